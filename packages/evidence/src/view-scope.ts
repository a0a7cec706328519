/**
 * The transactions of a saved view. Two shapes of view state are read: the viewer's own
 * (apps/viewer/src/state/saved-view.ts, `format: "chaintrail-view"`), whose nodes are
 * tuples `[kind, id, x, y, flags, origin, entityId, ...]`, and any other state whose nodes
 * are `{ kind, id }` objects (the store's NodeRef) wherever they sit. A view cites its
 * transaction nodes and the transactions of its address nodes (up to a limit per address,
 * stated when it cuts).
 */
import type { GraphStore, JsonValue, NodeRef, SavedView } from '@chaintrail/store';
import { ViewNotFoundError } from './evidence-errors.js';

export interface ScopeTxids {
  readonly txids: string[];
  readonly notes: string[];
  readonly nodes: { readonly addresses: number; readonly txs: number; readonly entities: number };
}

const KINDS = new Set(['address', 'tx', 'entity']);
/** The viewer's saved-view format name and the flag bit it sets on nodes the investigator hid (saved-view.ts). */
const VIEWER_FORMAT = 'chaintrail-view';
const VIEWER_FLAG_HIDDEN = 1;

export interface ViewNodes {
  /** Nodes shown in the view, deduplicated, in the order found. */
  readonly nodes: NodeRef[];
  /** Nodes the investigator hid in the viewer: in the saved state, not on the canvas, so not cited. */
  readonly hidden: number;
}

function nodeRef(kind: unknown, id: unknown): NodeRef | null {
  return typeof kind === 'string' && KINDS.has(kind) && typeof id === 'string' && id.length > 0 ? { kind: kind as NodeRef['kind'], id } : null;
}

function isViewerState(state: JsonValue): state is { readonly [key: string]: JsonValue } {
  return state !== null && typeof state === 'object' && !Array.isArray(state) && state['format'] === VIEWER_FORMAT;
}

/**
 * The viewer's tuples: element 0 is the kind, 1 the id, 4 the flags. Only `nodes` holds
 * nodes; `selection` and `path` name the same nodes by key, and element 6 (an address's
 * entity) is a fact about the address, not a node of the view.
 */
function viewerNodes(state: { readonly [key: string]: JsonValue }): ViewNodes {
  const found = new Map<string, NodeRef>();
  let hidden = 0;
  const nodes = state['nodes'];
  for (const tuple of Array.isArray(nodes) ? nodes : []) {
    if (!Array.isArray(tuple)) continue;
    const ref = nodeRef(tuple[0], tuple[1]);
    if (ref === null) continue;
    const flags = tuple[4];
    if (typeof flags === 'number' && (flags & VIEWER_FLAG_HIDDEN) !== 0) {
      hidden++;
      continue;
    }
    found.set(`${ref.kind}:${ref.id}`, ref);
  }
  return { nodes: [...found.values()], hidden };
}

/** Every `{ kind, id }` node in a view state wherever it sits, deduplicated, in the order found. */
function objectNodes(state: JsonValue): ViewNodes {
  const found = new Map<string, NodeRef>();
  const visit = (value: JsonValue): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const ref = nodeRef(value['kind'], value['id']);
    if (ref !== null) found.set(`${ref.kind}:${ref.id}`, ref);
    for (const child of Object.values(value)) visit(child);
  };
  visit(state);
  return { nodes: [...found.values()], hidden: 0 };
}

/** The nodes of a view state, in the viewer's saved-view format or as `{ kind, id }` objects. */
export function viewNodes(state: JsonValue): ViewNodes {
  return isViewerState(state) ? viewerNodes(state) : objectNodes(state);
}

export async function findView(store: GraphStore, caseId: string, caseName: string, name: string): Promise<SavedView> {
  const views = await store.listViews(caseId);
  const view = views.find((v) => v.name === name) ?? views.find((v) => v.id === name);
  if (!view) throw new ViewNotFoundError(name, caseName, views.map((v) => v.name));
  return view;
}

/** The transactions of a view's state (a saved view's, or the viewer's current one). */
export async function viewTxids(store: GraphStore, state: JsonValue, maxPerAddress: number): Promise<ScopeTxids> {
  const { nodes, hidden } = viewNodes(state);
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
  if (hidden > 0) notes.push(`${hidden} nodes hidden in the viewer are not cited (show them and save the view again to include them)`);
  const entities = nodes.filter((n) => n.kind === 'entity').length;
  if (entities > 0) notes.push(`${entities} entity nodes of the view are not expanded: an entity is in the entity tables when one of its addresses is in the bundle, and its members' transactions are cited only when other nodes bring them in`);
  return { txids: [...txids], notes, nodes: { addresses: nodes.filter((n) => n.kind === 'address').length, txs: nodes.filter((n) => n.kind === 'tx').length, entities } };
}
