import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceManifest } from '@chaintrail/evidence';
import { readTruth, type Truth } from '@chaintrail/scenario';
import { openStore } from '@chaintrail/store';
import { chaintrail, chaintrailJson } from './cli-binary.js';
import { smallWorld, tempDir, type GeneratedWorld } from './scenario-world.js';

/**
 * The super-cluster guard through the real binary (issue 5): the cluster report lists large
 * entities with the transactions that merged them; a link the investigator judges false is
 * vetoed, the entity splits at once and stays split after re-clustering and re-ingestion;
 * the veto shows in `explain` and in the evidence manifest. The false link is the world's
 * own: a site payment built to look like change (truth: `payment-looks-like-change`), which
 * the change heuristics join to the payer. Also: every CLI path that clusters stores the
 * CoinJoin verdict, with its rule, of every mix the world's truth names.
 */

interface Explained {
  sameEntity: boolean;
  links?: { heuristic: string; txid: string }[];
  vetoes: { txid: string; reason: string | null }[];
}

interface ClusterResult {
  superClusterThreshold: number;
  largest: { entityId: string; size: number; topMerges: { txid: string; heuristic: string; sizes: [number, number]; unions: number }[] }[];
  vetoes: { txid: string }[];
}

interface VetoAdded {
  reclustered: boolean;
  entities: { before: { entityId: string; size: number } | null; after: { entityId: string; size: number; addresses: string[] }[] };
}

const CHANGE = ['--change-heuristics', 'change:address-type,change:one-time'];

/** Every mix the truth names that the store holds, with the rule stored on it. */
async function storedVerdicts(storePath: string, truth: Truth): Promise<{ txid: string; kind: string; rule: string | null }[]> {
  const store = await openStore(`sqlite:${storePath}`, { readonly: true });
  try {
    const mixes = truth.transactions.filter((t) => t.coinjoin);
    const stored = new Set(await store.hasTransactions(mixes.map((t) => t.txid)));
    const found: { txid: string; kind: string; rule: string | null }[] = [];
    for (const t of mixes) if (stored.has(t.txid)) found.push({ txid: t.txid, kind: t.kind, rule: (await store.getTransaction(t.txid)).coinjoin });
    return found;
  } finally {
    await store.close();
  }
}

function expectRuleOfEachMix(verdicts: readonly { kind: string; rule: string | null }[]): void {
  expect(verdicts.length).toBeGreaterThan(0);
  for (const v of verdicts) expect(v.rule).toMatch(v.kind === 'whirlpool-mix' ? /^whirlpool/ : /^wasabi/);
}

describe('vetoing a false cluster link with the real binary', () => {
  let world: GeneratedWorld;
  let truth: Truth;
  const home = { home: tempDir('veto-home') };
  const storePath = (): string => join(home.home, 'cases', 'site.sqlite');
  let bad: { txid: string; payer: string; site: string };

  beforeAll(async () => {
    world = await smallWorld(120, 31);
    truth = await readTruth(join(world.dir, 'truth.json'));
    const misleading = truth.transactions.find((t) => t.misleading === 'payment-looks-like-change');
    if (misleading === undefined) throw new Error('the world has no payment built to look like change');
    const payment = truth.payments.find((p) => p.txid === misleading.txid);
    if (payment === undefined) throw new Error(`the misleading transaction ${misleading.txid} is not a site payment`);
    bad = { txid: misleading.txid, payer: '', site: payment.address };
    await chaintrailJson(['case', 'create', 'site'], home);
    await chaintrailJson(['import', join(world.dir, 'seized-addresses.txt'), '--case', 'site'], home);
    await chaintrailJson(['ingest', '--case', 'site', '--source', `blocks:${join(world.dir, 'blocks')}`, '--hops-back', '2', '--hops-forward', '2', ...CHANGE], home);
    const store = await openStore(`sqlite:${storePath()}`, { readonly: true });
    try {
      const payer = (await store.getTransaction(bad.txid)).inputs[0]?.address;
      if (payer === null || payer === undefined) throw new Error(`the payer of ${bad.txid} is not resolved in the store`);
      bad.payer = payer;
    } finally {
      await store.close();
    }
  }, 600_000);

  it("stores the CoinJoin verdict, with its rule, of every mix the world's truth names, from ingest's clustering and from a cluster rerun", async () => {
    expectRuleOfEachMix(await storedVerdicts(storePath(), truth));
    await chaintrailJson(['cluster', '--case', 'site', ...CHANGE], home);
    expectRuleOfEachMix(await storedVerdicts(storePath(), truth));
  }, 300_000);

  it('lists the entities past the threshold with the transactions that merged them', async () => {
    const low = await chaintrailJson<ClusterResult>(['cluster', '--case', 'site', ...CHANGE, '--super-cluster-threshold', '5'], home);
    expect(low.superClusterThreshold).toBe(5);
    expect(low.largest.length).toBeGreaterThan(0);
    for (const entity of low.largest) {
      expect(entity.size).toBeGreaterThanOrEqual(5);
      expect(entity.topMerges.length).toBeGreaterThan(0);
      expect(new Set(entity.topMerges.map((m) => m.txid)).size).toBe(entity.topMerges.length);
      for (const m of entity.topMerges) expect(m.sizes[0] + m.sizes[1]).toBeLessThanOrEqual(entity.size);
    }
    expect(low.largest.map((e) => e.size)).toEqual([...low.largest.map((e) => e.size)].sort((a, b) => b - a));
    const biggest = low.largest[0]!.size;
    const high = await chaintrailJson<ClusterResult>(['cluster', '--case', 'site', ...CHANGE, '--super-cluster-threshold', String(biggest + 1)], home);
    expect(high.largest).toEqual([]);

    const text = await chaintrail(['cluster', '--case', 'site', ...CHANGE, '--super-cluster-threshold', '5'], home);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(low.largest[0]!.topMerges[0]!.txid);
    expect(text.stdout).toContain('chaintrail veto --case site --txid TXID');
  }, 300_000);

  it('splits the entity at once, keeps it split after re-clustering and re-ingestion, and shows the veto in explain, the list and the evidence manifest', async () => {
    const before = await chaintrailJson<Explained>(['explain', bad.payer, bad.site, '--case', 'site'], home);
    expect(before.sameEntity).toBe(true);
    expect(before.links?.some((l) => l.txid === bad.txid && l.heuristic.startsWith('change:'))).toBe(true);

    const reason = 'a payment to the site, not change';
    const added = await chaintrailJson<VetoAdded>(['veto', '--case', 'site', '--txid', bad.txid, '--reason', reason], home);
    expect(added.reclustered).toBe(true);
    expect(added.entities.after).toHaveLength(2);
    expect(added.entities.after.reduce((sum, p) => sum + p.size, 0)).toBe(added.entities.before?.size);
    const pieceOf = (address: string): string | undefined => added.entities.after.find((p) => p.addresses.includes(address))?.entityId;
    expect(pieceOf(bad.payer)).not.toBe(pieceOf(bad.site));

    const split = async (): Promise<void> => {
      const now = await chaintrailJson<Explained>(['explain', bad.payer, bad.site, '--case', 'site'], home);
      expect(now.sameEntity).toBe(false);
      expect(now.vetoes).toEqual([expect.objectContaining({ txid: bad.txid, reason })]);
    };
    await split();
    await chaintrailJson(['cluster', '--case', 'site', ...CHANGE], home);
    await split();
    // Another scope is a new ingestion, which clusters again at its end.
    await chaintrailJson(['ingest', '--case', 'site', '--source', `blocks:${join(world.dir, 'blocks')}`, '--hops-back', '2', '--hops-forward', '3', ...CHANGE], home);
    await split();

    const listed = await chaintrailJson<{ vetoes: { txid: string; reason: string; heuristic: string | null }[] }>(['veto', 'list', '--case', 'site'], home);
    expect(listed.vetoes).toEqual([expect.objectContaining({ txid: bad.txid, reason, heuristic: null })]);

    const bundle = join(tempDir('veto-bundle'), 'bundle');
    await chaintrailJson(['export', '--case', 'site', '--out', bundle, '--no-render', '--exported-at', '2024-05-01T09:00:00Z'], home);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as EvidenceManifest;
    expect(manifest.vetoes).toEqual([expect.objectContaining({ txid: bad.txid, reason, heuristic: null })]);
    expect(readFileSync(join(bundle, 'report', 'report.html'), 'utf8')).toContain(reason);
    expect((await chaintrail(['verify', bundle], home)).code).toBe(0);

    const removed = await chaintrailJson<{ removed: unknown[] }>(['veto', 'remove', '--case', 'site', '--txid', bad.txid], home);
    expect(removed.removed).toHaveLength(1);
    expect((await chaintrailJson<Explained>(['explain', bad.payer, bad.site, '--case', 'site'], home)).sameEntity).toBe(true);
  }, 600_000);

  it('exits 4 for a veto that does not exist or a transaction not in the store, and 3 for a malformed txid', async () => {
    const absent = 'ab'.repeat(32);
    const remove = await chaintrail(['--json', 'veto', 'remove', '--case', 'site', '--txid', absent, '--no-recluster'], home);
    expect(remove.code).toBe(4);
    expect(JSON.parse(remove.stdout)).toMatchObject({ error: { code: 'CHAINTRAIL_NOT_FOUND_VETO' } });
    expect((await chaintrail(['veto', 'add', '--case', 'site', '--txid', absent, '--no-recluster'], home)).code).toBe(4);
    const malformed = await chaintrail(['veto', '--case', 'site', '--txid', 'not-a-txid'], home);
    expect(malformed.code).toBe(3);
    expect(malformed.stderr).toContain('64 hexadecimal digits');
    expect((await chaintrailJson<{ vetoes: unknown[] }>(['veto', 'list', '--case', 'site'], home)).vetoes).toEqual([]);
  }, 120_000);
});

describe('chaintrail demo --no-serve', () => {
  it("stores the CoinJoin verdict, with its rule, of every mix of the demo world's truth that it ingested", async () => {
    const home = { home: tempDir('veto-demo') };
    const demo = await chaintrailJson<{ world: string; store: string }>(['demo', '--no-serve', '--users', '150', '--seed', '7'], home);
    expectRuleOfEachMix(await storedVerdicts(demo.store, await readTruth(join(demo.world, 'truth.json'))));
  }, 600_000);
});
