import { describe, expect, it } from 'vitest';
import type { NodeRef } from './graph-store.js';
import { bidirectionalShortestPath, type FrontierExpander, type PathStep } from './path-search.js';

/** A directed multigraph of payments: [from, to, txid]. */
type Edge = readonly [string, string, string];

/** The hops out of a node of the graph. */
function stepsOf(edges: readonly Edge[], node: NodeRef, direction: 'in' | 'out' | 'both'): PathStep[] {
  const steps: PathStep[] = [];
  for (const [from, to, txid] of edges) {
    if (direction !== 'in' && from === node.id) steps.push({ node: { kind: 'address', id: to }, direction: 'out', txid, value: 1n });
    if (direction !== 'out' && to === node.id) steps.push({ node: { kind: 'address', id: from }, direction: 'in', txid, value: 1n });
  }
  return steps;
}

/** One node at a time, as the Neo4j store expands. */
function expander(edges: readonly Edge[]) {
  let calls = 0;
  const expand = (node: NodeRef, direction: 'in' | 'out' | 'both'): Promise<PathStep[]> => {
    calls++;
    return Promise.resolve(stepsOf(edges, node, direction));
  };
  return { expand, calls: () => calls };
}

/** A whole frontier per call, lazily, with cost estimates, as the SQLite store expands. */
function frontierExpander(edges: readonly Edge[]): FrontierExpander {
  return {
    *expandFrontier(nodes, direction) {
      for (const [i, node] of nodes.entries()) for (const step of stepsOf(edges, node, direction)) yield [i, step] as const;
    },
    estimateCost: (nodes, direction) => nodes.reduce((sum, node) => sum + stepsOf(edges, node, direction).length, 0),
  };
}

/** Plain one-sided BFS: the length every bidirectional answer must match. */
function bfsLength(edges: readonly Edge[], from: string, to: string, direction: 'in' | 'out' | 'both', maxHops: number): number | null {
  let frontier = [from];
  const seen = new Set(frontier);
  for (let depth = 1; depth <= maxHops; depth++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const [a, b] of edges) {
        const hits = [direction !== 'in' && a === node ? b : null, direction !== 'out' && b === node ? a : null];
        for (const hit of hits) {
          if (hit === null || seen.has(hit)) continue;
          if (hit === to) return depth;
          seen.add(hit);
          next.push(hit);
        }
      }
    }
    frontier = next;
  }
  return null;
}

const address = (id: string): NodeRef => ({ kind: 'address', id });

/** Small deterministic random graphs (a linear congruential generator, fixed seed). */
function randomGraph(seed: number, nodes: number, edges: number): Edge[] {
  let state = seed;
  // The high bits: an LCG's low bits repeat with a short period.
  const next = () => Math.floor(((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * nodes);
  return Array.from({ length: edges }, (_v, i) => [`n${next()}`, `n${next()}`, `t${i}`] as const);
}

describe('bidirectional shortest path', () => {
  it('matches a one-sided breadth-first search on random payment graphs, in every direction', async () => {
    let found = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const edges = randomGraph(seed, 40, 70);
      for (const [form, expand] of [['per node', expander(edges).expand], ['per frontier', frontierExpander(edges)]] as const) {
        for (const direction of ['out', 'in', 'both'] as const) {
          for (const [from, to] of [['n1', 'n2'], ['n3', 'n30'], ['n0', 'n39']] as const) {
            const expected = bfsLength(edges, from, to, direction, 6);
            const path = await bidirectionalShortestPath(address(from), address(to), { maxHops: 6, direction, maxVisited: 10_000 }, expand);
            expect(path?.hops.length ?? null, `seed ${seed} ${form} ${direction} ${from}→${to}`).toBe(expected);
            if (!path) continue;
            found++;
            expect(path.nodes[0]).toEqual(address(from));
            expect(path.nodes.at(-1)).toEqual(address(to));
            path.hops.forEach((hop, i) => {
              expect([hop.from, hop.to]).toEqual([path.nodes[i], path.nodes[i + 1]]);
              const [payer, payee] = hop.direction === 'out' ? [hop.from.id, hop.to.id] : [hop.to.id, hop.from.id];
              expect(edges).toContainEqual([payer, payee, hop.txid]);
              if (direction !== 'both') expect(hop.direction).toBe(direction);
            });
          }
        }
      }
    }
    expect(found).toBeGreaterThan(100);
  });

  it('stops with a typed error instead of answering "no path" when the search grows too broad', async () => {
    const star: Edge[] = Array.from({ length: 500 }, (_v, i) => ['hub', `leaf${i}`, `t${i}`] as const);
    const { expand } = expander(star);
    await expect(bidirectionalShortestPath(address('hub'), address('elsewhere'), { maxHops: 3, direction: 'out', maxVisited: 100 }, expand)).rejects.toMatchObject({
      code: 'CHAINTRAIL_SEARCH_LIMIT',
    });
  });

  it('returns a path of no hops from a node to itself', async () => {
    const { expand, calls } = expander([]);
    expect(await bidirectionalShortestPath(address('a'), address('a'), { maxHops: 2, direction: 'out', maxVisited: 10 }, expand)).toEqual({ nodes: [address('a')], hops: [] });
    expect(calls()).toBe(0);
  });
});
