/**
 * A saved view: everything needed to draw the graph again exactly as it was (nodes with
 * their facts and positions, edges, collapsed entities, filters, zoom, selection, the
 * highlighted path), without asking the API again. Stored by the API as opaque JSON, so it
 * is checked field by field when read back; a view from a newer viewer is refused with a
 * message rather than half drawn.
 */
import type { NodeKind } from '../api/wire-types.js';
import type { GraphFilters } from '../graph/graph-filters.js';
import { GraphModel, type GraphNode, type NodeOrigin } from '../graph/graph-model.js';
import { edgeKey, type NodeKey } from '../graph/node-key.js';
import type { ViewTransform } from '../render/scene.js';

export const VIEW_FORMAT = 'chaintrail-view';
export const VIEW_VERSION = 1;

/** kind, id, x, y (null: not drawn), flags, origin, entityId, label, tagCategory, coinjoin, time, size */
type NodeTuple = [NodeKind, string, number | null, number | null, number, NodeOrigin, string | null, string | null, string | null, string | null, number | null, number | null];
/** from index, to index, 0 flow / 1 member, value (sats, decimal), txCount, firstTime, lastTime */
type EdgeTuple = [number, number, 0 | 1, string, number | null, number | null, number | null];

export interface ViewStateV1 {
  readonly format: typeof VIEW_FORMAT;
  readonly version: 1;
  readonly nodes: NodeTuple[];
  readonly edges: EdgeTuple[];
  readonly collapsed: string[];
  readonly filters: { readonly fromTime: number | null; readonly toTime: number | null; readonly minValue: string | null };
  readonly transform: ViewTransform;
  readonly selection: NodeKey[];
  readonly path: { readonly nodes: NodeKey[]; readonly edges: string[] } | null;
}

export interface ViewSnapshot {
  readonly model: GraphModel;
  /** Drawn positions by node key. */
  readonly positions: ReadonlyMap<NodeKey, readonly [number, number]>;
  readonly filters: GraphFilters;
  readonly transform: ViewTransform;
  readonly selection: readonly NodeKey[];
  readonly path: { readonly nodes: readonly NodeKey[]; readonly edges: readonly string[] } | null;
}

const FLAG_HIDDEN = 1;
const FLAG_PINNED = 2;
const FLAG_EXPANDED_IN = 4;
const FLAG_EXPANDED_OUT = 8;
const FLAG_DETAILS = 16;
/** The address's entity is known (null then means unclustered, not "not loaded yet"). */
const FLAG_ENTITY_KNOWN = 32;
const KINDS: readonly NodeKind[] = ['address', 'tx', 'entity'];
const ORIGINS: readonly NodeOrigin[] = ['seed', 'search', 'expansion', 'path', 'member'];

export function serialiseView(snapshot: ViewSnapshot): ViewStateV1 {
  const { model } = snapshot;
  const order = new Map<NodeKey, number>();
  const nodes: NodeTuple[] = [];
  for (const node of model.nodes.values()) {
    order.set(node.key, nodes.length);
    const at = snapshot.positions.get(node.key);
    const flags =
      (node.hidden ? FLAG_HIDDEN : 0) |
      (node.pinned ? FLAG_PINNED : 0) |
      (node.expandedIn ? FLAG_EXPANDED_IN : 0) |
      (node.expandedOut ? FLAG_EXPANDED_OUT : 0) |
      (node.detailsLoaded ? FLAG_DETAILS : 0) |
      (node.entityId !== undefined ? FLAG_ENTITY_KNOWN : 0);
    nodes.push([node.kind, node.id, at?.[0] ?? null, at?.[1] ?? null, flags, node.origin, node.entityId ?? null, node.label, node.tagCategory, node.coinjoin, node.time, node.size]);
  }
  const edges: EdgeTuple[] = [];
  for (const edge of model.edges.values()) {
    edges.push([order.get(edge.from)!, order.get(edge.to)!, edge.kind === 'flow' ? 0 : 1, edge.value.toString(), edge.txCount, edge.firstTime, edge.lastTime]);
  }
  return {
    format: VIEW_FORMAT,
    version: VIEW_VERSION,
    nodes,
    edges,
    collapsed: [...model.collapsed],
    filters: { fromTime: snapshot.filters.fromTime, toTime: snapshot.filters.toTime, minValue: snapshot.filters.minValue?.toString() ?? null },
    transform: { x: snapshot.transform.x, y: snapshot.transform.y, k: snapshot.transform.k },
    selection: [...snapshot.selection],
    path: snapshot.path === null ? null : { nodes: [...snapshot.path.nodes], edges: [...snapshot.path.edges] },
  };
}

export class SavedViewError extends Error {
  readonly code = 'CHAINTRAIL_VIEWER_BAD_VIEW';
  constructor(viewName: string, detail: string) {
    super(`The saved view "${viewName}" cannot be opened: ${detail}. Save the view again from the canvas, or open another one.`);
    this.name = 'SavedViewError';
  }
}

/** Reads a stored view back into a model; throws SavedViewError naming the first bad field. */
export function restoreView(state: unknown, viewName: string): ViewSnapshot {
  const fail = (detail: string): never => {
    throw new SavedViewError(viewName, detail);
  };
  if (!isRecord(state) || state['format'] !== VIEW_FORMAT) fail('it is not a chaintrail viewer view');
  const view = state as Record<string, unknown>;
  if (view['version'] !== VIEW_VERSION) fail(`it was saved in format version ${String(view['version'])}, and this viewer reads version ${VIEW_VERSION}; update chaintrail`);
  const nodes = arrayAt(view, 'nodes', fail);
  const edges = arrayAt(view, 'edges', fail);
  const model = new GraphModel();
  const positions = new Map<NodeKey, readonly [number, number]>();
  const keys: NodeKey[] = [];
  nodes.forEach((raw, i) => {
    const where = `nodes[${i}]`;
    if (!Array.isArray(raw) || raw.length !== 12) return fail(`${where} is not a node`);
    const [kind, id, x, y, flags, origin, entityId, label, tagCategory, coinjoin, time, size] = raw as unknown[];
    if (!KINDS.includes(kind as NodeKind) || typeof id !== 'string' || id === '') return fail(`${where} has no kind and id`);
    if (!ORIGINS.includes(origin as NodeOrigin)) return fail(`${where} has an unknown origin`);
    if (typeof flags !== 'number' || !Number.isInteger(flags)) return fail(`${where} has no flags`);
    const node: GraphNode = model.addNode({ kind: kind as NodeKind, id }, origin as NodeOrigin);
    node.hidden = (flags & FLAG_HIDDEN) !== 0;
    node.pinned = (flags & FLAG_PINNED) !== 0;
    node.expandedIn = (flags & FLAG_EXPANDED_IN) !== 0;
    node.expandedOut = (flags & FLAG_EXPANDED_OUT) !== 0;
    node.detailsLoaded = (flags & FLAG_DETAILS) !== 0;
    const entity = nullableText(entityId, `${where} entity`, fail);
    node.entityId = kind !== 'address' ? null : (flags & FLAG_ENTITY_KNOWN) !== 0 ? entity : undefined;
    node.label = nullableText(label, `${where} label`, fail);
    node.tagCategory = nullableText(tagCategory, `${where} category`, fail);
    node.coinjoin = nullableText(coinjoin, `${where} coinjoin`, fail);
    node.time = nullableNumber(time, `${where} time`, fail);
    node.size = nullableNumber(size, `${where} size`, fail);
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) positions.set(node.key, [x, y]);
    keys.push(node.key);
  });
  edges.forEach((raw, i) => {
    const where = `edges[${i}]`;
    if (!Array.isArray(raw) || raw.length !== 7) return fail(`${where} is not an edge`);
    const [from, to, kind, value, txCount, firstTime, lastTime] = raw as unknown[];
    const fromKey = typeof from === 'number' ? keys[from] : undefined;
    const toKey = typeof to === 'number' ? keys[to] : undefined;
    if (fromKey === undefined || toKey === undefined) return fail(`${where} joins nodes that are not in the view`);
    if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) return fail(`${where} has no value in satoshis`);
    if (kind !== 0 && kind !== 1) return fail(`${where} has an unknown kind`);
    const key = edgeKey(fromKey, toKey);
    model.edges.set(key, {
      key,
      from: fromKey,
      to: toKey,
      kind: kind === 0 ? 'flow' : 'member',
      value: BigInt(value),
      txCount: nullableNumber(txCount, `${where} txCount`, fail),
      firstTime: nullableNumber(firstTime, `${where} firstTime`, fail),
      lastTime: nullableNumber(lastTime, `${where} lastTime`, fail),
    });
  });
  for (const entityId of stringArray(view['collapsed'], 'collapsed', fail)) model.collapsed.add(entityId);
  const filters = view['filters'];
  if (!isRecord(filters)) return fail('filters are missing');
  const minValue = filters['minValue'];
  if (minValue !== null && (typeof minValue !== 'string' || !/^\d{1,20}$/.test(minValue))) return fail('the minimum value is not satoshis');
  const transform = view['transform'];
  if (!isRecord(transform) || ![transform['x'], transform['y'], transform['k']].every((v) => typeof v === 'number' && Number.isFinite(v)) || (transform['k'] as number) <= 0) return fail('the zoom is missing');
  const known = new Set(keys);
  const selection = stringArray(view['selection'], 'selection', fail).filter((key) => known.has(key));
  const path = view['path'];
  const pathState = path === null || path === undefined ? null : isRecord(path) ? { nodes: stringArray(path['nodes'], 'path.nodes', fail), edges: stringArray(path['edges'], 'path.edges', fail) } : fail('the path is not readable');
  model.version++;
  return {
    model,
    positions,
    filters: { fromTime: nullableNumber(filters['fromTime'], 'filters.fromTime', fail), toTime: nullableNumber(filters['toTime'], 'filters.toTime', fail), minValue: minValue === null ? null : BigInt(minValue) },
    transform: { x: transform['x'] as number, y: transform['y'] as number, k: transform['k'] as number },
    selection,
    path: pathState,
  };
}

/** Size of the stored JSON in bytes, to warn before the API's body limit refuses it. */
export function viewBytes(state: ViewStateV1): number {
  return new TextEncoder().encode(JSON.stringify(state)).length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayAt(view: Record<string, unknown>, key: string, fail: (detail: string) => never): unknown[] {
  const value = view[key];
  return Array.isArray(value) ? value : fail(`${key} are missing`);
}

function stringArray(value: unknown, what: string, fail: (detail: string) => never): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return fail(`${what} is not a list of names`);
  return value;
}

function nullableText(value: unknown, what: string, fail: (detail: string) => never): string | null {
  if (value === null || typeof value === 'string') return value;
  return fail(`${what} is not text`);
}

function nullableNumber(value: unknown, what: string, fail: (detail: string) => never): number | null {
  if (value === null || (typeof value === 'number' && Number.isFinite(value))) return value;
  return fail(`${what} is not a number`);
}
