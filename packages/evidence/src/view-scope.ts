/**
 * The transactions of a saved view. A view's state is whatever the viewer stores; every
 * node in it is a `{ kind, id }` object (the store's NodeRef), so the nodes are found by
 * that shape wherever they sit in the state. A view cites its transaction nodes and the
 * transactions of its address nodes (up to a limit per address, stated when it cuts).
 */
import type { GraphStore, JsonValue, NodeRef, SavedView } from '@chaintrail/store';
import { ViewNotFoundError } from './evidence-errors.js';

export interface ScopeTxids {
  readonly txids: string[];
  readonly notes: string[];
  readonly nodes: { readonly addresses: number; readonly txs: number; readonly entities: number };
}

const KINDS = new Set(['address', 'tx', 'entity']);

/** Every `{ kind, id }` node in a view's state, deduplicated, in the order found. */
export function viewNodes(state: JsonValue): NodeRef[] {
  const found = new Map<string, NodeRef>();
  const visit = (value: JsonValue): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const kind = value['kind'];
    const id = value['id'];
    if (typeof kind === 'string' && KINDS.has(kind) && typeof id === 'string' && id.length > 0) {
      found.set(`${kind}:${id}`, { kind: kind as NodeRef['kind'], id });
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(state);
  return [...found.values()];
}

export async function findView(store: GraphStore, caseId: string, caseName: string, name: string): Promise<SavedView> {
  const views = await store.listViews(caseId);
  const view = views.find((v) => v.name === name) ?? views.find((v) => v.id === name);
  if (!view) throw new ViewNotFoundError(name, caseName, views.map((v) => v.name));
  return view;
}

/** The transactions of a view's state (a saved view's, or the viewer's current one). */
export async function viewTxids(store: GraphStore, state: JsonValue, maxPerAddress: number): Promise<ScopeTxids> {
  const nodes = viewNodes(state);
  const txids = new Set<string>();
  const notes: string[] = [];
  let cut = 0;
  for (const node of nodes) {
    if (node.kind === 'tx') txids.add(node.id.toLowerCase());
    if (node.kind !== 'address') continue;
    let cursor: string | null = null;
    let taken = 0;
    do {
      let page;
      try {
        page = await store.addressHistory(node.id, { limit: Math.min(1000, maxPerAddress - taken), cursor });
      } catch (error) {
        if ((error as { code?: string }).code !== 'CHAINTRAIL_NOT_FOUND') throw error;
        notes.push(`address node ${node.id} of the view is not in the store`);
        break;
      }
      for (const entry of page.items) txids.add(entry.txid);
      taken += page.items.length;
      cursor = page.nextCursor;
      if (cursor !== null && taken >= maxPerAddress) {
        cut++;
        break;
      }
    } while (cursor !== null);
  }
  if (cut > 0) notes.push(`${cut} address nodes of the view have more than ${maxPerAddress} transactions; only their first ${maxPerAddress} (chain order) are cited`);
  const entities = nodes.filter((n) => n.kind === 'entity').length;
  if (entities > 0) notes.push(`${entities} entity nodes of the view are not expanded: an entity is in the entity tables when one of its addresses is in the bundle, and its members' transactions are cited only when other nodes bring them in`);
  return { txids: [...txids], notes, nodes: { addresses: nodes.filter((n) => n.kind === 'address').length, txs: nodes.filter((n) => n.kind === 'tx').length, entities } };
}
