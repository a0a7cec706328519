/**
 * What is drawn: the model with hidden nodes left out, collapsed addresses drawn as their
 * entity (their edges summed onto it), and the filters applied. Recomputed when the model,
 * the filters or the case context change; cheap enough for 20,000 nodes (one pass over
 * nodes and edges).
 */
import type { NodeKind } from '../api/wire-types.js';
import { filtersActive, spanInRange, valueAtLeast, type GraphFilters } from './graph-filters.js';
import type { EdgeKind, GraphModel, GraphNode } from './graph-model.js';
import { nodeCategory, type Category, type CategoryContext } from './node-category.js';
import { edgeKey, type NodeKey } from './node-key.js';

export interface DisplayNode {
  readonly key: NodeKey;
  readonly kind: NodeKind;
  readonly id: string;
  readonly node: GraphNode;
  readonly category: Category;
  /** Addresses drawn as this entity node (0 unless collapsed). */
  readonly collapsedMembers: number;
}

export interface DisplayEdge {
  readonly key: string;
  readonly kind: EdgeKind;
  /** Indices into DisplayGraph.nodes. */
  readonly source: number;
  readonly target: number;
  readonly value: bigint;
  readonly txCount: number | null;
  readonly firstTime: number | null;
  readonly lastTime: number | null;
}

export interface DisplayGraph {
  readonly nodes: readonly DisplayNode[];
  readonly edges: readonly DisplayEdge[];
  readonly index: ReadonlyMap<NodeKey, number>;
  /** Nodes and edges the filters leave out (hidden nodes not counted). */
  readonly filteredOut: { readonly nodes: number; readonly edges: number };
  readonly hiddenNodes: number;
}

interface EdgeSum {
  from: NodeKey;
  to: NodeKey;
  kind: EdgeKind;
  value: bigint;
  txCount: number | null;
  firstTime: number | null;
  lastTime: number | null;
  parts: number;
}

export function projectGraph(model: GraphModel, filters: GraphFilters, context: CategoryContext, keep: ReadonlySet<NodeKey> = new Set()): DisplayGraph {
  const representative = new Map<NodeKey, NodeKey>();
  const collapsedCount = new Map<NodeKey, number>();
  let hiddenNodes = 0;
  for (const node of model.nodes.values()) {
    if (node.hidden) {
      hiddenNodes++;
      continue;
    }
    const rep = model.representative(node);
    if (rep !== node.key) {
      const entity = model.nodes.get(rep);
      if (entity === undefined || entity.hidden) continue;
      collapsedCount.set(rep, (collapsedCount.get(rep) ?? 0) + 1);
    }
    representative.set(node.key, rep);
  }

  const sums = new Map<string, EdgeSum>();
  let edgesOut = 0;
  for (const edge of model.edges.values()) {
    const from = representative.get(edge.from);
    const to = representative.get(edge.to);
    if (from === undefined || to === undefined || from === to) continue;
    if (edge.kind === 'flow' && !spanInRange(edge.firstTime, edge.lastTime, filters)) {
      edgesOut++;
      continue;
    }
    const key = edgeKey(from, to);
    const sum = sums.get(key);
    if (sum === undefined) {
      sums.set(key, { from, to, kind: edge.kind, value: edge.value, txCount: edge.txCount, firstTime: edge.firstTime, lastTime: edge.lastTime, parts: 1 });
      continue;
    }
    sum.value += edge.value;
    sum.parts++;
    sum.txCount = sum.txCount === null || edge.txCount === null ? null : sum.txCount + edge.txCount;
    sum.firstTime = minTime(sum.firstTime, edge.firstTime);
    sum.lastTime = maxTime(sum.lastTime, edge.lastTime);
  }

  const active = filtersActive(filters);
  const kept: EdgeSum[] = [];
  const touched = new Set<NodeKey>();
  for (const sum of sums.values()) {
    if (sum.kind === 'flow' && !valueAtLeast(sum.value, filters)) {
      edgesOut++;
      continue;
    }
    // Addresses collapsed onto one entity pay a transaction once: the count is the tx's, not the sum.
    if (sum.parts > 1 && (sum.from.startsWith('tx:') || sum.to.startsWith('tx:'))) sum.txCount = 1;
    kept.push(sum);
    if (sum.kind === 'flow') {
      touched.add(sum.from);
      touched.add(sum.to);
    }
  }

  const nodes: DisplayNode[] = [];
  const index = new Map<NodeKey, number>();
  let nodesOut = 0;
  for (const [key, rep] of representative) {
    if (key !== rep) continue;
    const node = model.nodes.get(key)!;
    if (active && !keep.has(key) && !model.isAnchor(node)) {
      const outOfRange = node.kind === 'tx' && node.time !== null && !spanInRange(node.time, node.time, filters);
      if (outOfRange || !touched.has(key)) {
        nodesOut++;
        continue;
      }
    }
    index.set(key, nodes.length);
    nodes.push({ key, kind: node.kind, id: node.id, node, category: nodeCategory(node, context), collapsedMembers: collapsedCount.get(key) ?? 0 });
  }

  const edges: DisplayEdge[] = [];
  for (const sum of kept) {
    const source = index.get(sum.from);
    const target = index.get(sum.to);
    if (source === undefined || target === undefined) continue;
    edges.push({ key: edgeKey(sum.from, sum.to), kind: sum.kind, source, target, value: sum.value, txCount: sum.txCount, firstTime: sum.firstTime, lastTime: sum.lastTime });
  }
  return { nodes, edges, index, filteredOut: { nodes: nodesOut, edges: edgesOut }, hiddenNodes };
}

function minTime(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function maxTime(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
