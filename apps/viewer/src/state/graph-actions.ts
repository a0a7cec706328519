/** What an investigator does to the graph: add, expand, collapse, hide, pin, trace a path, filter. */
import { describeError, ViewerApiError } from '../api/viewer-api-error.js';
import type { NodeRef, SearchResultJson } from '../api/wire-types.js';
import { formatBtc, parseBtc } from '../graph/btc-amount.js';
import { expandHops } from '../graph/expand-hops.js';
import { flowsOfEntityHops, flowsOfNeighbours, flowsOfTransaction, type FlowFact } from '../graph/flow-facts.js';
import type { GraphFilters } from '../graph/graph-filters.js';
import type { NodeOrigin } from '../graph/graph-model.js';
import { edgeKey, nodeKey, refOfKey, type NodeKey } from '../graph/node-key.js';
import { shortLabel } from '../render/graph-style.js';
import { loadPanel } from './node-panel.js';
import { runTask } from './task-runner.js';
import type { ViewerContext } from './viewer-context.js';
import { graphChanged, postMessage } from './viewer-store.js';

/** Nodes one expansion may add before it stops and says so. */
const MAX_NEW_NODES = 3000;
const MEMBERS_SHOWN = 100;

export function describeNode(key: NodeKey, label: string | null = null): string {
  const ref = refOfKey(key);
  return `${ref.kind === 'tx' ? 'transaction' : ref.kind} ${shortLabel(ref.kind, ref.id, label)}`;
}

export function refOfSearchResult(result: SearchResultJson): NodeRef {
  switch (result.kind) {
    case 'address':
    case 'tag':
      return { kind: 'address', id: result.address };
    case 'tx':
      return { kind: 'tx', id: result.txid };
    case 'entity':
      return { kind: 'entity', id: result.entityId };
  }
}

/** Puts nodes on the canvas (search results, seeds) and selects the first. */
export function addNodes(ctx: ViewerContext, refs: readonly NodeRef[], origin: NodeOrigin): void {
  const { model } = ctx.store.getState();
  const keys = refs.map((ref) => model.addNode(ref, origin).key);
  ctx.details.want(keys);
  graphChanged(ctx.store);
  if (keys[0] !== undefined) select(ctx, model.representative(model.node(keys[0])!), false);
}

export function select(ctx: ViewerContext, key: NodeKey | null, additive: boolean): void {
  const { selection } = ctx.store.getState();
  if (key === null) {
    ctx.store.setState({ selection: [], panel: null });
    return;
  }
  const next = additive ? (selection.includes(key) ? selection.filter((k) => k !== key) : [...selection.filter((k) => k !== key).slice(-1), key]) : [key];
  // The panel shows the node clicked last; the first one stays as the path's start.
  const primary = next.at(-1) ?? null;
  ctx.store.setState({ selection: next });
  if (primary === null) ctx.store.setState({ panel: null });
  else if (ctx.store.getState().panel?.key !== primary) void loadPanel(ctx, primary);
}

/**
 * The minimum value of the expansion settings, else the filter's (what is not drawn need not
 * be fetched), or null; reports a typo instead of guessing.
 */
function expansionMinimum(ctx: ViewerContext): bigint | null | 'invalid' {
  const text = ctx.store.getState().expand.minValueText.trim();
  if (text === '') return ctx.store.getState().filters.minValue;
  try {
    return parseBtc(text);
  } catch (error) {
    postMessage(ctx.store, 'error', `Minimum value for expansions: ${describeError(error)}`);
    return 'invalid';
  }
}

/**
 * Expands a node backward ('in': who paid it) or forward ('out': where its money went),
 * `hops` payments deep, largest payments first, with the expansion settings' minimum value
 * and the time filter applied by the API.
 */
export async function expand(ctx: ViewerContext, key: NodeKey, direction: 'in' | 'out', hops?: number): Promise<void> {
  const state = ctx.store.getState();
  const minValue = expansionMinimum(ctx);
  if (minValue === 'invalid') return;
  const depth = hops ?? state.expand.hops;
  const { filters } = state;
  const node = state.model.node(key);
  const name = describeNode(key, node?.label ?? null);
  const label = `${direction === 'in' ? 'Backward' : 'Forward'} ${depth} hop${depth === 1 ? '' : 's'} from ${name}`;
  await runTask(ctx.store, label, async (signal, progress) => {
    let unknown = false;
    const outcome = await expandHops(
      { start: refOfKey(key), direction, hops: depth, perNodeLimit: state.expand.perNodeLimit, maxNewNodes: MAX_NEW_NODES },
      (ref, dir, limit, abort) =>
        ctx.client.neighbours(ref, { direction: dir, limit, minValue, fromTime: filters.fromTime, toTime: filters.toTime, order: 'value' }, { signal: abort }).catch((error: unknown) => {
          // An address the store never saw has no neighbours: an answer, not a failure.
          if (!(error instanceof ViewerApiError && error.code === 'CHAINTRAIL_NOT_FOUND' && nodeKey(ref) === key)) throw error;
          unknown = true;
          return { subject: ref, neighbours: [], truncated: false };
        }),
      (result, from) => {
        const model = ctx.store.getState().model;
        const added = model.addFlows(flowsOfNeighbours(result), 'expansion', nodeKey(from));
        model.markExpanded(nodeKey(from), direction);
        ctx.details.want(added);
        return added;
      },
      signal,
      (sofar) => {
        progress(`${sofar.requests} requests, ${sofar.added} nodes`);
        graphChanged(ctx.store);
      },
    );
    graphChanged(ctx.store);
    if (unknown) {
      postMessage(ctx.store, 'info', `${name} has no transaction in the store: it was never paid, or it lies outside the ingested hops (chaintrail ingest).`);
      return;
    }
    const parts = [`${label}: ${outcome.added === 0 ? 'nothing new' : `${outcome.added} node${outcome.added === 1 ? '' : 's'} added`}`];
    if (minValue !== null) parts.push(`payments below ${formatBtc(minValue)} BTC left out`);
    if (outcome.truncated.length > 0) parts.push(`${outcome.truncated.length} node${outcome.truncated.length === 1 ? '' : 's'} had more than ${state.expand.perNodeLimit} payments (largest shown; raise "per node")`);
    if (outcome.cut) parts.push(`stopped at ${MAX_NEW_NODES} new nodes; set a minimum value or fewer hops`);
    postMessage(ctx.store, outcome.truncated.length > 0 || outcome.cut ? 'info' : 'success', `${parts.join('; ')}.`);
  });
}

/** The entity of an address, loading it when unknown; null when the address is unclustered. */
async function entityOf(ctx: ViewerContext, key: NodeKey): Promise<string | null> {
  const ref = refOfKey(key);
  if (ref.kind === 'entity') return ref.id;
  if (ref.kind === 'tx') return null;
  const node = ctx.store.getState().model.node(key);
  if (node !== undefined && node.entityId !== undefined) return node.entityId;
  const summary = await ctx.client.address(ref.id);
  ctx.store.getState().model.setDetails(key, { entityId: summary.entityId });
  return summary.entityId;
}

/** Shows an entity's member addresses around it (for an address: its entity's). */
export async function expandEntity(ctx: ViewerContext, key: NodeKey): Promise<void> {
  await runTask(ctx.store, `Addresses of ${describeNode(key)}`, async (signal) => {
    const entityId = await entityOf(ctx, key);
    if (entityId === null) {
      postMessage(ctx.store, 'info', `${describeNode(key)} is in no entity: no transaction links it to another address.`);
      return;
    }
    const [entity, members] = await Promise.all([ctx.details.entity(entityId, 'interactive'), ctx.client.entityMembers(entityId, { limit: MEMBERS_SHOWN }, { signal })]);
    const model = ctx.store.getState().model;
    const added = model.addMembers(entityId, members.items);
    model.setDetails(`entity:${entityId}`, { label: entity.label, tagCategory: entity.category, size: entity.size });
    ctx.details.want(added);
    graphChanged(ctx.store);
    const shown = members.items.length;
    postMessage(ctx.store, 'info', `Entity ${entity.label ?? entityId}: ${shown} of ${entity.size} addresses shown${entity.size > shown ? ' (the first by address; the panel pages through all)' : ''}.`);
  });
}

/** Draws an address (and every other address of its entity on the canvas) as the entity. */
export async function collapseToEntity(ctx: ViewerContext, key: NodeKey): Promise<void> {
  await runTask(ctx.store, `Collapse ${describeNode(key)}`, async () => {
    const entityId = await entityOf(ctx, key);
    if (entityId === null) {
      postMessage(ctx.store, 'info', `${describeNode(key)} is in no entity, so there is nothing to collapse it into.`);
      return;
    }
    const model = ctx.store.getState().model;
    const entity = model.collapse(entityId);
    ctx.details.want([entity.key]);
    graphChanged(ctx.store);
    select(ctx, entity.key, false);
  });
}

export function uncollapse(ctx: ViewerContext, entityId: string): void {
  ctx.store.getState().model.uncollapse(entityId);
  graphChanged(ctx.store);
}

export function hide(ctx: ViewerContext, keys: readonly NodeKey[]): void {
  if (keys.length === 0) return;
  const { model } = ctx.store.getState();
  const hidden: NodeKey[] = [];
  for (const key of keys) {
    const node = model.node(key);
    // An entity drawn for collapsed addresses hides with them.
    if (node?.kind === 'entity' && model.collapsed.has(node.id)) hidden.push(...model.membersOf(node.id).map((n) => n.key));
    hidden.push(key);
  }
  model.setHidden(hidden, true);
  ctx.store.setState((s) => ({ selection: s.selection.filter((k) => !keys.includes(k)), panel: s.panel !== null && keys.includes(s.panel.key) ? null : s.panel }));
  graphChanged(ctx.store);
  postMessage(ctx.store, 'info', `${keys.length === 1 ? describeNode(keys[0]!) : `${keys.length} nodes`} hidden; "Show hidden" below (or H) brings ${keys.length === 1 ? 'it' : 'them'} back.`);
}

export function showHidden(ctx: ViewerContext): void {
  const shown = ctx.store.getState().model.showAll();
  graphChanged(ctx.store);
  postMessage(ctx.store, 'info', shown === 0 ? 'No node is hidden.' : `${shown} hidden node${shown === 1 ? '' : 's'} shown again.`);
}

export function togglePin(ctx: ViewerContext, key: NodeKey): void {
  const { model } = ctx.store.getState();
  const node = model.node(key);
  if (node === undefined) return;
  model.setPinned(key, !node.pinned);
  graphChanged(ctx.store);
}

export function setFilters(ctx: ViewerContext, filters: GraphFilters): void {
  ctx.store.setState({ filters });
}

/**
 * Highlights the shortest money path between the two selected nodes: first following money
 * from the first to the second, then the other way round. Address hops are completed from
 * their transaction, so both edges of each hop carry exact amounts.
 */
export async function highlightPath(ctx: ViewerContext): Promise<void> {
  const { selection, model } = ctx.store.getState();
  if (selection.length !== 2) {
    postMessage(ctx.store, 'info', 'Select two nodes for a path: click one, then Shift+click the other.');
    return;
  }
  const [a, b] = selection.map(refOfKey) as [NodeRef, NodeRef];
  if (a.kind === 'tx' || b.kind === 'tx' || a.kind !== b.kind) {
    postMessage(ctx.store, 'info', 'Paths join two addresses or two entities; collapse addresses into their entity to compare them with one.');
    return;
  }
  const minValue = expansionMinimum(ctx);
  if (minValue === 'invalid') return;
  const kind = a.kind;
  await runTask(ctx.store, `Path between ${describeNode(selection[0]!)} and ${describeNode(selection[1]!)}`, async (signal) => {
    let from = a;
    let to = b;
    let found = (await ctx.client.path({ kind, from: a.id, to: b.id, direction: 'out', minValue }, { signal })).path;
    if (found === null) {
      [from, to] = [b, a];
      found = (await ctx.client.path({ kind, from: b.id, to: a.id, direction: 'out', minValue }, { signal })).path;
    }
    if (found === null) {
      ctx.store.setState({ path: null });
      postMessage(ctx.store, 'info', `No money path between them within the API's hop limit${minValue !== null ? ` with payments of at least ${formatBtc(minValue)} BTC` : ''}.`);
      return;
    }
    const facts: FlowFact[] = flowsOfEntityHops(found);
    for (const hop of found.hops) {
      if (hop.txid === undefined) continue;
      const tx = await ctx.client.transaction(hop.txid, { signal });
      facts.push(...flowsOfTransaction(tx, new Set([hop.from.id, hop.to.id])));
    }
    const added = model.addFlows(facts, 'path', nodeKey(from));
    ctx.details.want(added);
    highlightFlows(ctx, facts, `${found.hops.length} hop${found.hops.length === 1 ? '' : 's'} from ${describeNode(nodeKey(from))} to ${describeNode(nodeKey(to))}`);
    postMessage(ctx.store, 'success', `Path found: ${found.hops.length} hop${found.hops.length === 1 ? '' : 's'}, money flowing from ${describeNode(nodeKey(from))} to ${describeNode(nodeKey(to))}.`);
  });
}

/** Highlights the edges of `facts` (already in the model) as they are drawn: collapsed addresses as their entity. */
export function highlightFlows(ctx: ViewerContext, facts: readonly FlowFact[], description: string): void {
  const { model } = ctx.store.getState();
  const drawnAs = (ref: NodeRef): NodeKey => model.representative(model.node(nodeKey(ref))!);
  const nodes = new Set<NodeKey>(facts.flatMap((f) => [drawnAs(f.from), drawnAs(f.to)]));
  const edges = new Set(facts.map((f) => edgeKey(drawnAs(f.from), drawnAs(f.to))));
  ctx.store.setState({ path: { nodes, edges, description } });
  graphChanged(ctx.store);
}

export function clearPath(ctx: ViewerContext): void {
  ctx.store.setState({ path: null });
}
