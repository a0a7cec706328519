import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChainSource, SourceTx } from '@chaintrail/chain';
import { ChainWriter } from './chain-writer.js';
import { testEnv, twoBlocks, type TestEnv, type TwoBlocks } from './fixtures/two-blocks.js';
import { parentsToFollow, spendersOf } from './hop-expansion.js';

let blocks: TwoBlocks;
beforeAll(() => {
  blocks = twoBlocks();
});
const open: TestEnv[] = [];
afterEach(async () => {
  for (const env of open.splice(0)) await env.close();
});

/** The first-block transactions the children spend from, written to a fresh store. */
async function parentsStored(): Promise<{ env: TestEnv; parents: SourceTx[] }> {
  const env = await testEnv(blocks, []);
  open.push(env);
  const ids = [...new Set(blocks.children.flatMap((c) => c.inputs.map((i) => i.prevout.txid)))].filter((id) => blocks.first.some((t) => t.txid === id));
  const parents = (await Promise.all(ids.map((id) => env.source.tx(id)))).filter((t): t is SourceTx => t !== null);
  await new ChainWriter(env.store, env.source, 4).write(parents);
  return { env, parents };
}

describe('parentsToFollow', () => {
  it('follows every input once, except those the source knows to be worth less than the minimum', async () => {
    const { env } = await parentsStored();
    const child = (await env.source.tx(blocks.children[0]!.txid)) as SourceTx;
    expect(parentsToFollow(child, 0).parents).toEqual([...new Set(child.tx.inputs.map((i) => i.prevout.txid))]);
    const smallest = Math.min(...child.prevouts.map((p) => p?.value ?? Infinity));
    const step = parentsToFollow(child, smallest + 1);
    expect(step.belowMinimum).toBe(child.prevouts.filter((p) => p !== null && p.value <= smallest).length);
  });

  it('follows nothing back from a coinbase', async () => {
    const { env } = await parentsStored();
    const coinbase = (await env.source.tx(blocks.first[0]!.txid)) as SourceTx;
    expect(parentsToFollow(coinbase, 0)).toEqual({ parents: [], belowMinimum: 0 });
  });
});

/** The same source without its spend index, as a source with address history alone would be. */
function withoutSpendIndex(source: ChainSource): ChainSource {
  return new Proxy(source, {
    get: (target, key) => {
      if (key === 'capabilities') return { ...target.capabilities, outspends: false };
      if (key === 'outspends') return () => Promise.reject(new Error('outspends must not be asked'));
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('spendersOf', () => {
  it("finds the children through the source's spend index when the store does not hold them yet", async () => {
    const { env, parents } = await parentsStored();
    const step = await spendersOf(parents.map((p) => p.tx.txid), { store: env.store, source: env.source, minValue: 0, maxTxsPerAddress: 1000, concurrency: 4 });
    expect(step.spentInStore).toBe(0);
    expect(new Set(step.spenders)).toEqual(new Set(blocks.children.map((c) => c.txid)));
    expect(step.cutOutputs).toBe(0);
    const outputs = parents.reduce((n, p) => n + p.tx.outputs.length, 0);
    const spentInBlocks = blocks.children.flatMap((c) => c.inputs).filter((i) => parents.some((p) => p.tx.txid === i.prevout.txid)).length;
    expect(step.unspent + step.unsearchable).toBe(outputs - spentInBlocks);
  });

  it('finds the same children through their addresses\' histories on a source without a spend index', async () => {
    const { env, parents } = await parentsStored();
    const options = { store: env.store, minValue: 0, maxTxsPerAddress: 1000, concurrency: 4 };
    const byHistory = await spendersOf(parents.map((p) => p.tx.txid), { ...options, source: withoutSpendIndex(env.source) });
    const byIndex = await spendersOf(parents.map((p) => p.tx.txid), { ...options, source: env.source });
    expect(new Set(byHistory.spenders)).toEqual(new Set(byIndex.spenders));
    expect(byHistory.unspent + byHistory.unsearchable).toBe(byIndex.unspent + byIndex.unsearchable);
  });

  it('is not cut by the per-address limit when the source has a spend index', async () => {
    const { env, parents } = await parentsStored();
    const step = await spendersOf(parents.map((p) => p.tx.txid), { store: env.store, source: env.source, minValue: 0, maxTxsPerAddress: 1, concurrency: 4 });
    expect(step.cutOutputs).toBe(0);
    expect(new Set(step.spenders)).toEqual(new Set(blocks.children.map((c) => c.txid)));
  });

  it('reads spenders already stored from the store, without searching', async () => {
    const { env, parents } = await parentsStored();
    const children = (await Promise.all(blocks.children.map((c) => env.source.tx(c.txid)))) as SourceTx[];
    await new ChainWriter(env.store, env.source, 4).write(children);
    const step = await spendersOf(parents.map((p) => p.tx.txid), { store: env.store, source: env.source, minValue: 0, maxTxsPerAddress: 1000, concurrency: 4 });
    const spentOutputs = blocks.children.flatMap((c) => c.inputs).filter((i) => parents.some((p) => p.tx.txid === i.prevout.txid)).length;
    expect(step.spentInStore).toBe(spentOutputs);
    expect(new Set(step.spenders)).toEqual(new Set(blocks.children.map((c) => c.txid)));
  });

  it('reports outputs whose spender lies past the per-address limit as cut, never as unspent, when searching histories', async () => {
    const { env, parents } = await parentsStored();
    const source = withoutSpendIndex(env.source);
    const step = await spendersOf(parents.map((p) => p.tx.txid), { store: env.store, source, minValue: 0, maxTxsPerAddress: 1, concurrency: 4 });
    const whole = await spendersOf(parents.map((p) => p.tx.txid), { store: env.store, source, minValue: 0, maxTxsPerAddress: 1000, concurrency: 4 });
    expect(step.cutOutputs).toBeGreaterThan(0);
    expect(step.cutAddresses.length).toBeGreaterThan(0);
    expect(step.unspent).toBeLessThanOrEqual(whole.unspent);
    expect(step.spenders.length + step.cutOutputs).toBeGreaterThanOrEqual(whole.spenders.length);
  });

  it('does not search for the spenders of outputs below the minimum value', async () => {
    const { env, parents } = await parentsStored();
    const step = await spendersOf(parents.map((p) => p.tx.txid), { store: env.store, source: env.source, minValue: Number.MAX_SAFE_INTEGER, maxTxsPerAddress: 1000, concurrency: 4 });
    expect(step.spenders).toEqual([]);
    expect(step.belowMinimum).toBe(parents.reduce((n, p) => n + p.tx.outputs.length, 0));
  });
});
