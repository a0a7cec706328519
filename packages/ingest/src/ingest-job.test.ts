import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { childSeeds, testEnv, twoBlocks, type TestEnv, type TwoBlocks } from './fixtures/two-blocks.js';
import { resolveIngestSettings, type IngestSettingsInput } from './ingest-config.js';
import { readAddressHistory } from './address-history.js';
import { readIngestState, runIngest, type IngestState } from './ingest-job.js';

let blocks: TwoBlocks;
beforeAll(() => {
  blocks = twoBlocks();
});

const open: TestEnv[] = [];
afterEach(async () => {
  for (const env of open.splice(0)) await env.close();
});

async function setup(seeds: readonly string[]): Promise<TestEnv> {
  const env = await testEnv(blocks, seeds);
  open.push(env);
  return env;
}

const settings = (input: IngestSettingsInput = {}) => resolveIngestSettings({ seedBatch: 2, txBatch: 3, concurrency: 4, ...input });

describe('runIngest', () => {
  it("stores the seeds' transactions and their parents one hop back, and counts the parents outside the blocks as missing", async () => {
    const env = await setup(childSeeds(blocks));
    const result = await runIngest({ ...env, settings: settings({ hopsBack: 2, hopsForward: 1 }), cluster: false });
    expect(result.state.status).toBe('done');
    const parents = [...new Set(blocks.children.flatMap((tx) => tx.inputs.map((i) => i.prevout.txid)))];
    expect(await env.store.hasTransactions(blocks.children.map((t) => t.txid))).toHaveLength(blocks.children.length);
    const inBlocks = new Set([...blocks.first, ...blocks.second].map((t) => t.txid));
    expect(await env.store.hasTransactions(parents)).toEqual(parents.filter((p) => inBlocks.has(p)));
    expect(result.state.counts.missing).toBeGreaterThan(0);
    expect(result.state.cuts.samples.missing.every((m) => !inBlocks.has(m.subject))).toBe(true);
  });

  it('continues after an interruption and ends with the store of an uninterrupted run', async () => {
    const seeds = childSeeds(blocks);
    const whole = await setup(seeds);
    const reference = await runIngest({ ...whole, settings: settings({ hopsBack: 2, hopsForward: 2 }) });

    const cut = await setup(seeds);
    const controller = new AbortController();
    let checkpoints = 0;
    await expect(
      runIngest({ ...cut, settings: settings({ hopsBack: 2, hopsForward: 2 }), signal: controller.signal, afterCheckpoint: () => void (++checkpoints === 4 && controller.abort()) }),
    ).rejects.toMatchObject({ code: 'CHAINTRAIL_INTERRUPTED' });
    const saved = readIngestState((await cut.store.getCheckpoint(`ingest:${cut.caseId}`))?.state);
    expect(saved?.status).toBe('interrupted');
    const resumed = await runIngest({ ...cut, settings: settings({ hopsBack: 2, hopsForward: 2 }) });
    expect(resumed.resumed).toBe(true);
    expect(comparable(resumed.state)).toEqual(comparable(reference.state));
    expect(await cut.store.stats()).toEqual(await whole.store.stats());
    const all = [...blocks.first, ...blocks.second].map((t) => t.txid);
    expect(await cut.store.hasTransactions(all)).toEqual(await whole.store.hasTransactions(all));
  });

  it('has nothing to do when the same run finished, and starts over when the limits change', async () => {
    const env = await setup(childSeeds(blocks).slice(0, 3));
    await runIngest({ ...env, settings: settings(), cluster: false });
    expect((await runIngest({ ...env, settings: settings(), cluster: false })).alreadyDone).toBe(true);
    const reasons: string[] = [];
    const again = await runIngest({ ...env, settings: settings({ hopsBack: 1 }), cluster: false, onRestart: (r) => reasons.push(r) });
    expect(again.alreadyDone).toBe(false);
    expect(reasons).toEqual(['the hop and limit options differ from the checkpointed run']);
  });

  it("cuts a busy address's history at maxTxsPerAddress and says so", async () => {
    const counts = new Map<string, number>();
    for (const tx of [...blocks.first, ...blocks.second]) for (const a of new Set(tx.outputs.map((o) => o.address))) if (a) counts.set(a, (counts.get(a) ?? 0) + 1);
    const busy = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
    const env = await setup([busy]);
    // Its whole history in the blocks: the transactions paying it and those spending from it.
    const n = (await readAddressHistory(env.source, busy, 1_000_000)).txs.length;
    expect(n).toBeGreaterThan(2);
    const result = await runIngest({ ...env, settings: settings({ maxTxsPerAddress: n - 1, hopsBack: 0, hopsForward: 0 }), cluster: false });
    expect(result.state.cuts.truncatedSeeds).toBe(1);
    expect(result.state.cuts.samples.truncatedSeeds[0]?.subject).toBe(busy);
    expect(env.journal.seedStatus(env.caseId, busy)).toEqual({ address: busy, txs: n - 1, truncated: true });
    const exact = await setup([busy]);
    const whole = await runIngest({ ...exact, settings: settings({ maxTxsPerAddress: n, hopsBack: 0, hopsForward: 0 }), cluster: false });
    expect(whole.state.cuts.truncatedSeeds).toBe(0);
  });

  it('does not follow inputs worth less than minValue', async () => {
    const env = await setup(childSeeds(blocks));
    const result = await runIngest({ ...env, settings: settings({ hopsBack: 1, hopsForward: 0, minValue: 21_000_000 * 100_000_000 }), cluster: false });
    expect(result.state.counts.backInputsBelowMinimum).toBeGreaterThan(0);
    // Only parents of unknown value (outside the blocks) were followed, and not found.
    const hop1 = env.journal.hopCounts(env.caseId, 'back', 1);
    expect(hop1.written).toBe(0);
    expect(hop1.missing).toBeGreaterThan(0);
  });
});

/** The parts of a finished state that must not depend on interruptions. */
function comparable(state: IngestState): unknown {
  return { phase: state.phase, status: state.status, scope: state.scope, seedsTotal: state.seedsTotal, counts: state.counts, cuts: state.cuts, cluster: state.cluster };
}
