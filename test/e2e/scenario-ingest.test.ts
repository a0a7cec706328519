import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '@chaintrail/chain/testing';
import { readTruth, type Truth } from '@chaintrail/scenario';
import { openStore } from '@chaintrail/store';
import { chaintrailJson } from './cli-binary.js';
import { serveWorldOverEsplora, smallWorld, tempDir, type GeneratedWorld } from './scenario-world.js';
import { snapshotStore } from './store-snapshot.js';

/**
 * The scripted path of an analyst, through the real `chaintrail` binary, on a generated
 * world: create a case, import the noisy seized list, ingest, import tags, cluster. Once
 * from the block files and once from the same blocks served over Esplora's routes; both
 * stores must be the same.
 */
describe('chaintrail on a scenario world, from block files and from Esplora', () => {
  let world: GeneratedWorld;
  let truth: Truth;
  let server: FixtureServer;
  const homes = { blocks: tempDir('blocks-home'), esplora: tempDir('esplora-home') };
  const imports: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    world = await smallWorld(150, 31);
    truth = await readTruth(join(world.dir, 'truth.json'));
    server = await serveWorldOverEsplora(world.dir);
    const sources = { blocks: `blocks:${join(world.dir, 'blocks')}`, esplora: `esplora:${server.url}` };
    for (const kind of ['blocks', 'esplora'] as const) {
      const home = { home: homes[kind] };
      await chaintrailJson(['case', 'create', 'site'], home);
      imports[kind] = await chaintrailJson(['import', join(world.dir, 'seized-addresses.txt'), '--case', 'site'], home);
      await chaintrailJson(['ingest', '--case', 'site', '--source', sources[kind], '--hops-back', '2', '--hops-forward', '2', '--no-cluster', '--rps', '5000', '--concurrency', '16'], home);
      await chaintrailJson(['tags', 'import', join(world.dir, 'tags.yaml'), '--case', 'site'], home);
      await chaintrailJson(['cluster', '--case', 'site'], home);
    }
  }, 600_000);

  afterAll(async () => {
    await server?.close();
  });

  it('produces identical stores from both sources', async () => {
    const fromBlocks = await snapshotStore(`sqlite:${join(homes.blocks, 'cases', 'site.sqlite')}`, 'site');
    const fromEsplora = await snapshotStore(`sqlite:${join(homes.esplora, 'cases', 'site.sqlite')}`, 'site');
    expect(fromBlocks.txs.length).toBeGreaterThan(truth.summary.payments);
    expect(fromBlocks.stats.entities).toBeGreaterThan(0);
    expect(fromEsplora).toEqual(fromBlocks);
  });

  it("reports every noisy line of the seized list with its line number and reason", () => {
    const noise = truth.summary.seizedList;
    const summary = imports['blocks'] as { entries: number; accepted: number; rejected: Record<string, number>; rejectsFile: string };
    expect(summary.entries).toBe(noise.lines);
    expect(summary.accepted).toBe(truth.summary.users);
    expect(summary.rejected['empty']).toBe(noise.blankLines);
    expect(summary.rejected['duplicate']).toBe(noise.duplicates);
    expect(summary.rejected['wrong-network']).toBe(noise.wrongNetworkLines.length);
    expect((summary.rejected['malformed'] ?? 0) + (summary.rejected['bad-checksum'] ?? 0)).toBe(noise.malformedLines.length);
    const rows = readFileSync(summary.rejectsFile, 'utf8').trim().split('\n').slice(1);
    const lineOf = (reason: string): number[] => rows.filter((r) => r.split(',')[1] === reason).map((r) => Number(r.split(',')[0]));
    expect(lineOf('wrong-network')).toEqual([...noise.wrongNetworkLines]);
    expect([...lineOf('malformed'), ...lineOf('bad-checksum')].sort((a, b) => a - b)).toEqual([...noise.malformedLines]);
  });

  it("stores every payment to the site and the transactions that funded them", async () => {
    const store = await openStore(`sqlite:${join(homes.blocks, 'cases', 'site.sqlite')}`, { readonly: true });
    try {
      const payments = [...new Set(truth.payments.map((p) => p.txid))];
      expect(await store.hasTransactions(payments)).toHaveLength(payments.length);
      // Two hops back reach the exchange withdrawal of every payment made straight from it or from the wallet it paid.
      const oneOrTwoHops = truth.payments.filter((p) => p.route === 'direct' || p.route === 'wallet').map((p) => p.fundedBy);
      const funders = [...new Set(oneOrTwoHops)];
      const stored = await store.hasTransactions(funders);
      const missing = funders.filter((f) => !stored.includes(f));
      for (const txid of missing) {
        // Only withdrawals more than two hops behind a payment (a user's later payments spend earlier change) may be absent.
        const children = truth.payments.filter((p) => p.fundedBy === txid);
        for (const child of children) {
          const payment = await store.getTransaction(child.txid);
          expect(payment.inputs.map((i) => i.prevout.txid)).not.toContain(txid);
        }
      }
      expect(stored.length).toBeGreaterThan(funders.length / 2);
    } finally {
      await store.close();
    }
  });
});
