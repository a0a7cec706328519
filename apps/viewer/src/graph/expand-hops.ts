/**
 * N-hop expansion, breadth first. A hop is one payment between two addresses or entities,
 * as in the store's path search (DESIGN.md: address → tx → address), so the transactions in
 * between are walked through without counting: one hop back from an address reaches the
 * addresses that paid it, not just the transactions.
 */
import type { NeighbourResultJson, NodeRef } from '../api/wire-types.js';
import { nodeKey, type NodeKey } from './node-key.js';

export interface ExpandRequest {
  readonly start: NodeRef;
  readonly direction: 'in' | 'out';
  /** 1 or more. */
  readonly hops: number;
  /** Neighbours asked of each node (largest first). */
  readonly perNodeLimit: number;
  /** Stop asking once this many nodes were added. */
  readonly maxNewNodes: number;
}

export interface NeighbourFetch {
  (node: NodeRef, direction: 'in' | 'out', limit: number, signal: AbortSignal): Promise<NeighbourResultJson>;
}

export interface ExpandOutcome {
  readonly requests: number;
  readonly added: number;
  /** Nodes with more neighbours than asked for. */
  readonly truncated: NodeKey[];
  /** True when maxNewNodes cut the expansion short. */
  readonly cut: boolean;
}

interface Frontier {
  readonly ref: NodeRef;
  readonly remaining: number;
}

/**
 * Fetches level by level; `apply` records each answer and returns the keys it added. The
 * fetches of one level run together (the API client bounds how many are in flight).
 */
export async function expandHops(
  request: ExpandRequest,
  fetch: NeighbourFetch,
  apply: (result: NeighbourResultJson, from: NodeRef) => readonly NodeKey[],
  signal: AbortSignal,
  onLevel?: (outcome: ExpandOutcome) => void,
): Promise<ExpandOutcome> {
  const visited = new Set<NodeKey>([nodeKey(request.start)]);
  let level: Frontier[] = [{ ref: request.start, remaining: Math.max(1, request.hops) }];
  let requests = 0;
  let added = 0;
  let cut = false;
  const truncated: NodeKey[] = [];
  const outcome = (): ExpandOutcome => ({ requests, added, truncated: [...truncated], cut });
  while (level.length > 0 && !cut) {
    signal.throwIfAborted();
    const answers = await Promise.all(level.map((item) => fetch(item.ref, request.direction, request.perNodeLimit, signal).then((result) => ({ item, result }))));
    requests += answers.length;
    const next: Frontier[] = [];
    for (const { item, result } of answers) {
      added += apply(result, item.ref).length;
      if (result.truncated) truncated.push(nodeKey(item.ref));
      for (const neighbour of result.neighbours) {
        const key = nodeKey(neighbour.node);
        if (visited.has(key)) continue;
        // A transaction is half a hop: its other side belongs to the same hop.
        const remaining = neighbour.node.kind === 'tx' ? item.remaining : item.remaining - 1;
        if (remaining <= 0) continue;
        visited.add(key);
        next.push({ ref: neighbour.node, remaining });
      }
    }
    if (added >= request.maxNewNodes && next.length > 0) cut = true;
    onLevel?.(outcome());
    level = next;
  }
  return outcome();
}
