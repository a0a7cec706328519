import { afterEach, describe, expect, it } from 'vitest';
import { journalClusterInputs, runClustering } from './cluster-run.js';
import { childSeeds, testEnv, twoBlocks, type TestEnv } from './fixtures/two-blocks.js';
import { resolveIngestSettings } from './ingest-config.js';
import { runIngest } from './ingest-job.js';
import { caseVetoes, recordVeto, removeVeto, storedVetoes, UnreadableVetoesError, vetoJobId } from './link-vetoes.js';

const open: TestEnv[] = [];
afterEach(async () => {
  for (const env of open.splice(0)) await env.close();
});

async function clustered(): Promise<TestEnv> {
  const env = await testEnv(twoBlocks(), childSeeds(twoBlocks()));
  open.push(env);
  await runIngest({ ...env, settings: resolveIngestSettings({ hopsBack: 1, hopsForward: 1 }), cluster: true });
  return env;
}

/** A cioh link whose transaction is the only one joining its two addresses. */
async function soleLink(env: TestEnv): Promise<{ txid: string; a: string; b: string }> {
  for (const txid of env.journal.storeTxids(null, 100_000)) {
    const tx = await env.store.getTransaction(txid);
    const addresses = [...new Set(tx.inputs.map((i) => i.address).filter((a): a is string => a !== null))];
    if (addresses.length < 2) continue;
    const explanation = await env.store.explainCluster(addresses[0]!, addresses[1]!);
    if (explanation?.links.length === 1 && explanation.links[0]?.txid === txid) return { txid, a: addresses[0]!, b: addresses[1]! };
  }
  throw new Error('the fixture has no multi-input transaction');
}

const veto = (txid: string, reason: string | null = 'looks like a PayJoin') => ({ txid, heuristic: null, reason, recordedAt: '2024-05-01T09:00:00.000Z', by: null });

describe('link vetoes remembered in the store', () => {
  it('splits the entity on the next clustering run, and keeps it split when ingestion clusters again', async () => {
    const env = await clustered();
    const { txid, a, b } = await soleLink(env);
    await recordVeto(env.store, env.caseId, veto(txid));
    await runClustering({ store: env.store, ...journalClusterInputs(env.journal) });
    expect(await env.store.explainCluster(a, b)).toBeNull();
    await runIngest({ ...env, settings: resolveIngestSettings({ hopsBack: 1, hopsForward: 2 }), cluster: true });
    expect(await env.store.explainCluster(a, b)).toBeNull();

    expect(await removeVeto(env.store, env.caseId, txid)).toHaveLength(1);
    await runClustering({ store: env.store, ...journalClusterInputs(env.journal) });
    expect((await env.store.explainCluster(a, b))?.links.map((l) => l.txid)).toEqual([txid]);
  });

  it('replaces a veto of the same transaction (a new reason), lists every case’s vetoes, and removes only what matches', async () => {
    const env = await clustered();
    const txid = 'ab'.repeat(32);
    await recordVeto(env.store, env.caseId, veto(txid, 'first'));
    await recordVeto(env.store, env.caseId, veto(txid, 'second'));
    await recordVeto(env.store, env.caseId, { ...veto(txid, 'change only'), heuristic: 'change:one-time' });
    expect((await caseVetoes(env.store, env.caseId)).map((v) => v.reason)).toEqual(['second', 'change only']);
    expect((await storedVetoes(env.store)).every((v) => v.caseId === env.caseId)).toBe(true);
    expect(await removeVeto(env.store, env.caseId, 'cd'.repeat(32))).toEqual([]);
    expect((await removeVeto(env.store, env.caseId, txid, 'change:one-time')).map((v) => v.reason)).toEqual(['change only']);
    expect(await caseVetoes(env.store, env.caseId)).toHaveLength(1);
  });

  it('refuses to cluster when the stored vetoes cannot be read, rather than merge vetoed links again', async () => {
    const env = await clustered();
    await env.store.setCheckpoint({ jobId: vetoJobId(env.caseId), caseId: env.caseId, kind: 'cluster-vetoes', state: { vetoes: [{ txid: 'not a txid' }] } });
    await expect(runClustering({ store: env.store, ...journalClusterInputs(env.journal) })).rejects.toBeInstanceOf(UnreadableVetoesError);
  });
});
