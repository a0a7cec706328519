/**
 * The shared path search (../path-search.ts) asks for one node's hops at a time, and a Bolt
 * round trip per node makes a 6-hop search through an exchange wallet take seconds. The
 * search grows whole levels, and the nodes it expands next are exactly the ones the last
 * expansions returned; so on a miss this expander fetches the asked node together with
 * those waiting nodes (up to `batch`) in one query, and answers the following asks from
 * what it fetched. The hops are the same as one query per node would give.
 */
import type { NodeRef } from '../graph-store.js';
import type { ExpandHops, PathStep } from '../path-search.js';

/** Hops of several nodes in one direction, keyed by `${kind}:${id}`. */
export type ExpandFrontier = (nodes: readonly NodeRef[], direction: 'in' | 'out') => Promise<Map<string, PathStep[]>>;

type Direction = 'in' | 'out' | 'both';
const nodeKey = (node: NodeRef): string => `${node.kind}:${node.id}`;

export function prefetchingExpander(expandFrontier: ExpandFrontier, batch = 500): ExpandHops {
  const fetched = new Map<Direction, Map<string, PathStep[]>>();
  const waiting = new Map<Direction, Map<string, NodeRef>>();
  const of = <V>(map: Map<Direction, Map<string, V>>, direction: Direction): Map<string, V> => {
    let inner = map.get(direction);
    if (!inner) map.set(direction, (inner = new Map<string, V>()));
    return inner;
  };

  return async (node, direction) => {
    const done = of(fetched, direction);
    const queue = of(waiting, direction);
    const key = nodeKey(node);
    if (!done.has(key)) {
      const nodes = [node];
      for (const [waitingKey, next] of queue) {
        if (nodes.length >= batch) break;
        if (waitingKey !== key && !done.has(waitingKey)) nodes.push(next);
      }
      const steps = new Map(nodes.map((n) => [nodeKey(n), [] as PathStep[]]));
      for (const d of direction === 'both' ? (['in', 'out'] as const) : [direction]) {
        for (const [k, hops] of await expandFrontier(nodes, d)) steps.get(k)!.push(...hops);
      }
      for (const [k, hops] of steps) {
        done.set(k, hops);
        queue.delete(k);
      }
    }
    const hops = done.get(key)!;
    done.delete(key);
    for (const step of hops) queue.set(nodeKey(step.node), step.node);
    return hops;
  };
}
