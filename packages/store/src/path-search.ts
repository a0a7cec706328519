/**
 * Shortest path by bidirectional breadth-first search over a store's hop expansion. Both
 * ends grow one whole level at a time, always the smaller frontier; the first level at which
 * they meet yields a shortest path (every shorter path would have met at an earlier level).
 * Meeting in the middle keeps a 6-hop search from touching the millions of nodes a
 * one-sided search reaches through exchange hot wallets.
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
 * The hops out of a whole frontier at once (one query instead of one per node), as one
 * list per node, in the order of `nodes`.
 */
export interface FrontierExpander {
  expandFrontier(nodes: readonly NodeRef[], direction: 'in' | 'out' | 'both'): Promise<PathStep[][]>;
}

interface Visit {
  readonly node: NodeRef;
  readonly depth: number;
  /** The step that reached this node and the node it came from (null at the start). */
  readonly via: { readonly parent: string; readonly step: PathStep } | null;
}

const frontierSlice = 500;
const key = (node: NodeRef): string => `${node.kind}\u0000${node.id}`;
const flip = (direction: 'in' | 'out' | 'both'): 'in' | 'out' | 'both' =>
  direction === 'both' ? 'both' : direction === 'in' ? 'out' : 'in';

export async function bidirectionalShortestPath(
  from: NodeRef,
  to: NodeRef,
  options: { maxHops: number; direction: 'in' | 'out' | 'both'; maxVisited: number },
  expand: ExpandHops | FrontierExpander,
): Promise<GraphPath | null> {
  const expandFrontier =
    typeof expand === 'function'
      ? async (nodes: readonly NodeRef[], direction: 'in' | 'out' | 'both') => {
          const steps: PathStep[][] = [];
          for (const node of nodes) steps.push(await expand(node, direction));
          return steps;
        }
      : (nodes: readonly NodeRef[], direction: 'in' | 'out' | 'both') => expand.expandFrontier(nodes, direction);
  if (key(from) === key(to)) return { nodes: [from], hops: [] };
  const forward = new Map<string, Visit>([[key(from), { node: from, depth: 0, via: null }]]);
  const backward = new Map<string, Visit>([[key(to), { node: to, depth: 0, via: null }]]);
  let forwardFrontier = [key(from)];
  let backwardFrontier = [key(to)];
  let forwardDepth = 0;
  let backwardDepth = 0;

  while (forwardDepth + backwardDepth < options.maxHops && forwardFrontier.length > 0 && backwardFrontier.length > 0) {
    const growForward = forwardFrontier.length <= backwardFrontier.length;
    const [mine, theirs, frontier, direction] = growForward
      ? [forward, backward, forwardFrontier, options.direction]
      : [backward, forward, backwardFrontier, flip(options.direction)];
    const next: string[] = [];
    let best: { meet: string; length: number } | null = null;
    // In slices, so a frontier behind an exchange's hot wallet is neither one huge query
    // nor expanded past the visit limit.
    for (let start = 0; start < frontier.length; start += frontierSlice) {
      const slice = frontier.slice(start, start + frontierSlice);
      const expanded = await expandFrontier(
        slice.map((k) => mine.get(k)!.node),
        direction,
      );
      for (const [i, parentKey] of slice.entries()) {
        const parent = mine.get(parentKey)!;
        for (const step of expanded[i]!) {
          const k = key(step.node);
          if (mine.has(k)) continue;
          mine.set(k, { node: step.node, depth: parent.depth + 1, via: { parent: parentKey, step } });
          next.push(k);
          if (forward.size + backward.size > options.maxVisited) throw new SearchLimitError('path search', options.maxVisited);
          const other = theirs.get(k);
          if (other && (best === null || parent.depth + 1 + other.depth < best.length)) {
            best = { meet: k, length: parent.depth + 1 + other.depth };
          }
        }
      }
    }
    if (growForward) {
      forwardFrontier = next;
      forwardDepth++;
    } else {
      backwardFrontier = next;
      backwardDepth++;
    }
    if (best !== null) return best.length <= options.maxHops ? joinPath(best.meet, forward, backward) : null;
  }
  return null;
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
