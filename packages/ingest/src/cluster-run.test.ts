import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { journalClusterInputs, runClustering } from './cluster-run.js';
import { childSeeds, testEnv, twoBlocks, type TestEnv, type TwoBlocks } from './fixtures/two-blocks.js';
import { resolveIngestSettings } from './ingest-config.js';
import { runIngest } from './ingest-job.js';

let blocks: TwoBlocks;
beforeAll(() => {
  blocks = twoBlocks();
});
const open: TestEnv[] = [];
afterEach(async () => {
  for (const env of open.splice(0)) await env.close();
});

/** The children and one hop around them, ingested without clustering. */
async function ingested(): Promise<TestEnv> {
  const env = await testEnv(blocks, childSeeds(blocks));
  open.push(env);
  await runIngest({ ...env, settings: resolveIngestSettings({ hopsBack: 1, hopsForward: 1 }), cluster: false });
  return env;
}

/** Stored transactions with two or more distinct known input addresses that no CoinJoin rule claims. */
async function multiInputTxs(env: TestEnv): Promise<{ txid: string; addresses: string[] }[]> {
  const found: { txid: string; addresses: string[] }[] = [];
  for (const txid of env.journal.storeTxids(null, 100_000)) {
    const tx = await env.store.getTransaction(txid);
    const addresses = [...new Set(tx.inputs.map((i) => i.address).filter((a): a is string => a !== null))];
    if (!tx.isCoinbase && tx.coinjoin === null && addresses.length > 1) found.push({ txid, addresses });
  }
  return found;
}

describe('runClustering', () => {
  it("puts every multi-input transaction's input addresses in one entity and explains each link by its transaction", async () => {
    const env = await ingested();
    const report = await runClustering({ store: env.store, ...journalClusterInputs(env.journal) });
    expect(report.transactions).toBe(env.journal.storeTxCount());
    const txs = await multiInputTxs(env);
    expect(txs.length).toBeGreaterThan(0);
    for (const { txid, addresses } of txs) {
      const entities = new Set(await Promise.all(addresses.map(async (a) => (await env.store.addressSummary(a)).entityId)));
      expect(entities.size).toBe(1);
      const explanation = await env.store.explainCluster(addresses[0]!, addresses[1]!);
      expect(explanation?.links.every((l) => l.heuristic.startsWith('cioh'))).toBe(true);
      if (explanation?.links.length === 1) expect(explanation.links[0]?.txid).toBe(txid);
    }
    expect(report.links).toBe((await env.store.stats()).clusterLinks);
  });

  it('gives the same store when run twice (a run replaces the previous one)', async () => {
    const env = await ingested();
    await runClustering({ store: env.store, ...journalClusterInputs(env.journal) });
    const once = await env.store.stats();
    await runClustering({ store: env.store, ...journalClusterInputs(env.journal) });
    expect(await env.store.stats()).toEqual(once);
  });

  it("lifts an address's tag to its entity, and leaves an entity whose tags disagree unlabelled", async () => {
    const env = await ingested();
    const [a, b] = (await multiInputTxs(env))[0]!.addresses as [string, string];
    await env.store.writeTags([{ address: a, label: 'Exchange X', category: 'exchange', source: 'test', confidence: 'ownership' }]);
    env.journal.addTagged([a]);
    const labelled = await runClustering({ store: env.store, ...journalClusterInputs(env.journal) });
    const entityId = (await env.store.addressSummary(b)).entityId as string;
    expect(labelled.labelled).toBe(1);
    expect(await env.store.getEntity(entityId)).toMatchObject({ label: 'Exchange X', category: 'exchange' });

    await env.store.writeTags([{ address: b, label: 'Mixer Y', category: 'mixing_service', source: 'test', confidence: 'web_crawl' }]);
    env.journal.addTagged([b]);
    const conflicting = await runClustering({ store: env.store, ...journalClusterInputs(env.journal) });
    expect(conflicting.tagConflicts).toBe(1);
    expect(await env.store.getEntity(entityId)).toMatchObject({ label: null, category: null });
  });
});
