import { describe, expect, it } from 'vitest';
import type { NeighbourResultJson, NodeRef } from '../api/wire-types.js';
import { expandHops, type NeighbourFetch } from './expand-hops.js';
import { flowsOfNeighbours } from './flow-facts.js';
import { GraphModel } from './graph-model.js';
import { nodeKey } from './node-key.js';

/**
 * A small chain walked backward: seed ← t1 ← payer ← t2 ← exchange ← t3 ← miner, where
 * t2 also has a second input from `other`.
 */
const payments: Record<string, string[]> = {
  'address:seed': ['tx:t1'],
  'tx:t1': ['address:payer'],
  'address:payer': ['tx:t2'],
  'tx:t2': ['address:exchange', 'address:other'],
  'address:exchange': ['tx:t3'],
  'address:other': [],
  'tx:t3': ['address:miner'],
};

function fakeApi(): { fetch: NeighbourFetch; asked: string[] } {
  const asked: string[] = [];
  const fetch: NeighbourFetch = (node, direction, limit) => {
    asked.push(nodeKey(node));
    const all = payments[nodeKey(node)] ?? [];
    const neighbours = all.slice(0, limit).map((key) => {
      const [kind, id] = key.split(':') as [NodeRef['kind'], string];
      return { node: { kind, id }, direction, value: '1000', txCount: 1, firstTime: 1, lastTime: 1 };
    });
    const result: NeighbourResultJson = { subject: node, neighbours, truncated: all.length > limit };
    return Promise.resolve(result);
  };
  return { fetch, asked };
}

async function expand(hops: number, options: { limit?: number; max?: number; start?: string } = {}) {
  const model = new GraphModel();
  const [kind, id] = (options.start ?? 'address:seed').split(':') as [NodeRef['kind'], string];
  const start = { kind, id };
  model.addNode(start, 'search');
  const api = fakeApi();
  const outcome = await expandHops(
    { start, direction: 'in', hops, perNodeLimit: options.limit ?? 50, maxNewNodes: options.max ?? 1000 },
    api.fetch,
    (result, from) => model.addFlows(flowsOfNeighbours(result), 'expansion', nodeKey(from)),
    new AbortController().signal,
  );
  return { model, outcome, asked: api.asked };
}

describe('N-hop expansion', () => {
  it('one hop back from an address reaches the addresses that paid it, through the transaction', async () => {
    const { model, asked } = await expand(1);
    expect([...model.nodes.keys()].sort()).toEqual(['address:payer', 'address:seed', 'tx:t1']);
    expect(asked).toEqual(['address:seed', 'tx:t1']);
  });

  it('two hops back reach the exchange that paid the payer', async () => {
    const { model, outcome } = await expand(2);
    expect(model.node('address:exchange')).toBeDefined();
    expect(model.node('address:other')).toBeDefined();
    expect(model.node('address:miner')).toBeUndefined();
    expect(outcome.added).toBe(5);
    expect(model.edges.get('address:exchange>tx:t2')?.value).toBe(1000n);
  });

  it('one hop from a transaction is its other side', async () => {
    const { model, asked } = await expand(1, { start: 'tx:t2' });
    expect(asked).toEqual(['tx:t2']);
    expect([...model.nodes.keys()].sort()).toEqual(['address:exchange', 'address:other', 'tx:t2']);
  });

  it('reports nodes that had more neighbours than asked for', async () => {
    const { outcome } = await expand(2, { limit: 1 });
    expect(outcome.truncated).toEqual(['tx:t2']);
  });

  it('stops asking once the node budget is spent and says so', async () => {
    const { outcome, asked } = await expand(5, { max: 2 });
    expect(outcome.cut).toBe(true);
    expect(asked).not.toContain('tx:t3');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const api = fakeApi();
    await expect(
      expandHops({ start: { kind: 'address', id: 'seed' }, direction: 'in', hops: 3, perNodeLimit: 10, maxNewNodes: 100 }, api.fetch, () => [], controller.signal),
    ).rejects.toThrow();
    expect(api.asked).toEqual([]);
  });
});
