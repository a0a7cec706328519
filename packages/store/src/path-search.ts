/**
 * Shortest path by bidirectional breadth-first search over a store's hop expansion. Both
 * ends grow one whole level at a time, the side that is cheaper to grow first. Meeting in
 * the middle keeps a 6-hop search from touching the millions of nodes a one-sided search
 * reaches through exchange hot wallets.
 *
 * The first meeting found is a shortest path, so the search stops there, even inside a
 * level: were a shorter path to exist, its middle node would have been reached from both
 * sides one level earlier, and that meeting would have ended the search then.
 */
import { SearchLimitError } from './errors.js';
import type { GraphPath, NodeRef, PathHop } from './graph-store.js';

/** One hop out of a node, as the store's expansion reports it. */
export interface PathStep {
  readonly node: NodeRef;
  /** Money direction relative to the expanded node: 'out' = from it to `node`. */
  readonly direction: 'in' | 'out';
  readonly txid?: string;
  readonly value: bigint;
}

/** Hops out of `node` whose money moves in `direction` ('both': either way). */
export type ExpandHops = (node: NodeRef, direction: 'in' | 'out' | 'both') => Promise<PathStep[]>;

/**
 * The hops out of a whole frontier at once (one query instead of one per node), as pairs
 * of (index into `nodes`, step). A lazy iterable lets the search stop reading at the first
 * meeting, halfway through an exchange hot wallet's payers.
 */
export interface FrontierExpander {
  expandFrontier(nodes: readonly NodeRef[], direction: 'in' | 'out' | 'both'): Iterable<readonly [number, PathStep]>;
  /**
   * A cheap estimate of what expanding the frontier costs (its nodes' degree). With it the
   * search grows the side that is cheaper to grow, not merely the one with fewer nodes: a
   * single exchange hot wallet is a small frontier and a huge expansion.
   */
  estimateCost?(nodes: readonly NodeRef[], direction: 'in' | 'out' | 'both'): number;
}

interface Visit {
  readonly node: NodeRef;
  readonly depth: number;
  /** The step that reached this node and the node it came from (null at the start). */
  readonly via: { readonly parent: string; readonly step: PathStep } | null;
}

interface Side {
  readonly visits: Map<string, Visit>;
  frontier: string[];
  depth: number;
  /** The frontier's estimated expansion cost, once computed. */
  cost: number | null;
  readonly direction: 'in' | 'out' | 'both';
}

const frontierSlice = 500;
const estimateSample = 200;
const key = (node: NodeRef): string => `${node.kind}\u0000${node.id}`;
const flip = (direction: 'in' | 'out' | 'both'): 'in' | 'out' | 'both' =>
  direction === 'both' ? 'both' : direction === 'in' ? 'out' : 'in';

export async function bidirectionalShortestPath(
  from: NodeRef,
  to: NodeRef,
  options: { maxHops: number; direction: 'in' | 'out' | 'both'; maxVisited: number },
  expand: ExpandHops | FrontierExpander,
): Promise<GraphPath | null> {
  if (key(from) === key(to)) return { nodes: [from], hops: [] };
  const forward: Side = { visits: new Map([[key(from), { node: from, depth: 0, via: null }]]), frontier: [key(from)], depth: 0, cost: null, direction: options.direction };
  const backward: Side = { visits: new Map([[key(to), { node: to, depth: 0, via: null }]]), frontier: [key(to)], depth: 0, cost: null, direction: flip(options.direction) };
  const expandSlice = typeof expand === 'function' ? perNode(expand) : (nodes: readonly NodeRef[], direction: 'in' | 'out' | 'both') => Promise.resolve(expand.expandFrontier(nodes, direction));
  const estimate = typeof expand === 'function' ? undefined : expand.estimateCost?.bind(expand);
  const costOf = (side: Side): number => {
    if (!estimate) return side.frontier.length;
    // From a sample when large: estimating thousands of nodes costs about what expanding them does.
    const sample = side.frontier.slice(0, estimateSample).map((k) => side.visits.get(k)!.node);
    return (side.cost ??= (estimate(sample, side.direction) * side.frontier.length) / sample.length);
  };

  while (forward.depth + backward.depth < options.maxHops && forward.frontier.length > 0 && backward.frontier.length > 0) {
    const [mine, theirs] = costOf(forward) <= costOf(backward) ? [forward, backward] : [backward, forward];
    const next: string[] = [];
    for (let start = 0; start < mine.frontier.length; start += frontierSlice) {
      const slice = mine.frontier.slice(start, start + frontierSlice);
      for (const [index, step] of await expandSlice(slice.map((k) => mine.visits.get(k)!.node), mine.direction)) {
        const parentKey = slice[index]!;
        const k = key(step.node);
        if (mine.visits.has(k)) continue;
        mine.visits.set(k, { node: step.node, depth: mine.depth + 1, via: { parent: parentKey, step } });
        next.push(k);
        if (theirs.visits.has(k)) return joinPath(k, forward.visits, backward.visits);
        if (forward.visits.size + backward.visits.size > options.maxVisited) throw new SearchLimitError('path search', options.maxVisited);
      }
    }
    mine.frontier = next;
    mine.depth++;
    mine.cost = null;
  }
  return null;
}

/** A per-node expansion as a frontier expansion. */
function perNode(expand: ExpandHops) {
  return async (nodes: readonly NodeRef[], direction: 'in' | 'out' | 'both'): Promise<(readonly [number, PathStep])[]> => {
    const pairs: (readonly [number, PathStep])[] = [];
    for (const [index, node] of nodes.entries()) for (const step of await expand(node, direction)) pairs.push([index, step]);
    return pairs;
  };
}

function joinPath(meet: string, forward: Map<string, Visit>, backward: Map<string, Visit>): GraphPath {
  const nodes: NodeRef[] = [];
  const hops: PathHop[] = [];
  // From the meeting node back to the start, then reversed.
  const head: PathHop[] = [];
  let visit = forward.get(meet)!;
  const headNodes: NodeRef[] = [visit.node];
  while (visit.via) {
    const parent = forward.get(visit.via.parent)!;
    head.push(hop(parent.node, visit.node, visit.via.step.direction, visit.via.step));
    headNodes.push(parent.node);
    visit = parent;
  }
  nodes.push(...headNodes.reverse());
  hops.push(...head.reverse());
  // From the meeting node forward to the end; backward steps were taken from the far side.
  visit = backward.get(meet)!;
  while (visit.via) {
    const parent = backward.get(visit.via.parent)!;
    const stepDirection = visit.via.step.direction === 'in' ? 'out' : 'in';
    hops.push(hop(visit.node, parent.node, stepDirection, visit.via.step));
    nodes.push(parent.node);
    visit = parent;
  }
  return { nodes, hops };
}

function hop(from: NodeRef, to: NodeRef, direction: 'in' | 'out', step: PathStep): PathHop {
  return step.txid === undefined
    ? { from, to, direction, value: step.value }
    : { from, to, direction, txid: step.txid, value: step.value };
}
