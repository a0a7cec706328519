import { describe, expect, it } from 'vitest';
import type { NodeRef } from '../graph-store.js';
import { bidirectionalShortestPath, type PathStep } from '../path-search.js';
import { prefetchingExpander } from './frontier-prefetch.js';

/** A small payment graph: a → b, c; b → d; c → d, e; d → f; e → f (address hops, one tx each). */
const edges: Record<string, string[]> = { a: ['b', 'c'], b: ['d'], c: ['d', 'e'], d: ['f'], e: ['f'], f: [] };
const address = (id: string): NodeRef => ({ kind: 'address', id });
function hopsOf(id: string, direction: 'in' | 'out'): PathStep[] {
  const targets = direction === 'out' ? (edges[id] ?? []) : Object.keys(edges).filter((from) => edges[from]!.includes(id));
  return targets.map((to) => ({ node: address(to), direction, txid: `${id}>${to}`, value: 1n }));
}

function countingFrontier() {
  const calls: string[][] = [];
  const expand = (nodes: readonly NodeRef[], direction: 'in' | 'out') => {
    calls.push(nodes.map((n) => n.id));
    return Promise.resolve(new Map(nodes.map((n) => [`${n.kind}:${n.id}`, hopsOf(n.id, direction)])));
  };
  return { calls, expand };
}

describe('prefetching expander', () => {
  it('answers every node with the hops one query per node would give', async () => {
    const { expand } = countingFrontier();
    const expander = prefetchingExpander(expand);
    for (const direction of ['in', 'out', 'both'] as const) {
      for (const id of Object.keys(edges)) {
        const want = direction === 'both' ? [...hopsOf(id, 'in'), ...hopsOf(id, 'out')] : hopsOf(id, direction);
        expect(await expander(address(id), direction)).toEqual(want);
      }
    }
  });

  it('expands the next level in one query: a path search asks once per level, not once per node', async () => {
    const { calls, expand } = countingFrontier();
    const path = await bidirectionalShortestPath(address('a'), address('f'), { maxHops: 6, direction: 'out', maxVisited: 1000 }, prefetchingExpander(expand));
    expect(path?.nodes.map((n) => n.id)).toHaveLength(4);
    const perNode = Object.keys(edges).length;
    expect(calls.length).toBeLessThan(perNode);
    expect(calls.some((nodes) => nodes.length > 1)).toBe(true);
  });
});
