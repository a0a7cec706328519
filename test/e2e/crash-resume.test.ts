import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '@chaintrail/store';
import { chaintrailJson, finished, startChaintrail } from './cli-binary.js';
import { smallWorld, tempDir, type GeneratedWorld } from './scenario-world.js';
import { snapshotStore } from './store-snapshot.js';

/** Small batches: many checkpoints, so kills land mid-run. */
const env = { CHAINTRAIL_SEED_BATCH: '8', CHAINTRAIL_TX_BATCH: '16' };
/** One kill in each phase: kills land inside seed, backward, forward and clustering batches. */
const KILL_PHASES = ['seeds', 'back', 'forward', 'cluster'] as const;
const PHASES = ['seeds', 'back', 'forward', 'cluster', 'done'];

/** mulberry32: the kill points are random but the same on every run of the test. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where the ingestion's checkpoint stands, read from the store while the job writes to it. */
async function checkpointKey(storePath: string): Promise<string | null> {
  let store;
  try {
    store = await openStore(`sqlite:${storePath}`, { readonly: true });
  } catch {
    return null;
  }
  try {
    const [record] = await store.listCases();
    const state = record ? ((await store.getCheckpoint(`ingest:${record.id}`))?.state as Record<string, unknown> | undefined) : undefined;
    return state ? `${String(state['phase'])}/${String(state['hop'])}/${String(state['hopDone'])}/${String(state['status'])}` : null;
  } catch {
    return null;
  } finally {
    await store.close();
  }
}

describe('ingestion stopped and started again', () => {
  let world: GeneratedWorld;
  beforeAll(async () => {
    world = await smallWorld(200, 41);
  }, 120_000);

  it('stops at a checkpoint on Ctrl-C with exit status 130, and says how to go on', async () => {
    const home = { home: tempDir('sigint'), env };
    await chaintrailJson(['case', 'create', 'site'], home);
    await chaintrailJson(['import', join(world.dir, 'seized-addresses.txt'), '--case', 'site'], home);
    const child = startChaintrail(['ingest', '--case', 'site', '--source', `blocks:${join(world.dir, 'blocks')}`], home);
    const done = finished(child);
    const storePath = join(home.home, 'cases', 'site.sqlite');
    while ((await checkpointKey(storePath)) === null) await sleep(50);
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('Run the same command again to continue');
    const status = await chaintrailJson<{ ingest: { status: string } }>(['status', '--case', 'site'], home);
    expect(status.ingest.status).toBe('interrupted');
  }, 300_000);

  it('resumes after SIGKILLs in every phase and ends in the same store as an uninterrupted run', async () => {
    const seized = join(world.dir, 'seized-addresses.txt');
    const source = `blocks:${join(world.dir, 'blocks')}`;
    const ingestArgs = ['ingest', '--case', 'site', '--source', source, '--hops-back', '2', '--hops-forward', '3'];

    const reference = { home: tempDir('reference'), env };
    await chaintrailJson(['case', 'create', 'site'], reference);
    await chaintrailJson(['import', seized, '--case', 'site'], reference);
    await chaintrailJson(ingestArgs, reference);

    const crashed = { home: tempDir('crashed'), env };
    const storePath = join(crashed.home, 'cases', 'site.sqlite');
    await chaintrailJson(['case', 'create', 'site'], crashed);
    await chaintrailJson(['import', seized, '--case', 'site'], crashed);
    const random = prng(20190101);
    const killedMidRun: string[] = [];
    for (const target of KILL_PHASES) {
      const child = startChaintrail(['--quiet', ...ingestArgs], crashed);
      const done = finished(child);
      let exited = false;
      void done.then(() => (exited = true));
      // Once the target phase is reached, let the checkpoint move 0 to 3 more times, then kill
      // somewhere inside the next batch.
      const moves = Math.floor(random() * 4);
      let last = await checkpointKey(storePath);
      let seen = 0;
      const reached = (key: string | null): boolean => key !== null && PHASES.indexOf(key.split('/')[0] as string) >= PHASES.indexOf(target);
      while (!exited && !reached(last)) {
        await sleep(50);
        last = (await checkpointKey(storePath)) ?? last;
      }
      while (!exited && seen < moves && target !== 'cluster') {
        await sleep(50);
        const key = await checkpointKey(storePath);
        if (key !== null && key !== last) {
          seen++;
          last = key;
        }
      }
      await sleep(Math.floor(random() * 200));
      if (!exited) {
        child.kill('SIGKILL');
        const run = await done;
        if (run.signal === 'SIGKILL') killedMidRun.push(last ?? 'before the first checkpoint');
      }
    }
    expect(killedMidRun.length).toBeGreaterThanOrEqual(KILL_PHASES.length - 1);

    const final = await chaintrailJson<{ resumed: boolean; alreadyDone: boolean; status: string }>(ingestArgs, crashed);
    expect(final.status).toBe('done');
    expect(final.resumed || final.alreadyDone).toBe(true);

    const expected = await snapshotStore(`sqlite:${join(reference.home, 'cases', 'site.sqlite')}`, 'site');
    const actual = await snapshotStore(`sqlite:${storePath}`, 'site');
    expect(expected.txs.length).toBeGreaterThan(world.summary.payments);
    expect(actual).toEqual(expected);
  }, 900_000);
});
