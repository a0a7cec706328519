import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportEvidenceBundle, verifyEvidenceBundle, type EvidenceManifest } from '@chaintrail/evidence';
import { NotFoundError, openStore, type JsonValue } from '@chaintrail/store';
import { chaintrail, chaintrailJson } from '../e2e/cli-binary.js';
import { smallWorld, tempDir } from '../e2e/scenario-world.js';
import { copyBundle, csvRows, edit, rehash } from './bundle-tamper.js';

/**
 * A view and a report are parts of a case: their transactions spend outputs of transactions
 * outside the part, and their bundles must still let verify recompute every input total,
 * input address and payment from raw bytes.
 */

/**
 * A saved view in the viewer's own format (apps/viewer/src/state/saved-view.ts): the node
 * tuples of packages/evidence/src/fixtures/viewer-saved-view.json, which `serialiseView`
 * wrote, with this world's seed addresses as the address nodes.
 */
function viewerView(seeds: readonly string[]): JsonValue {
  const template = JSON.parse(readFileSync(new URL('../../packages/evidence/src/fixtures/viewer-saved-view.json', import.meta.url), 'utf8')) as { nodes: JsonValue[][]; selection: string[]; edges: JsonValue[] };
  const seedTuple = template.nodes[0] as JsonValue[];
  return { ...template, nodes: seeds.map((address) => [seedTuple[0] as JsonValue, address, ...seedTuple.slice(2)]), edges: [], selection: [] };
}

describe('evidence bundles of a saved view and of a report', () => {
  const home = { home: tempDir('evidence-scoped') };
  const out = tempDir('evidence-scoped-out');
  const stamp = ['--exported-by', 'Test Analyst', '--exported-at', '2024-05-01T09:00:00Z', '--no-render'];
  let seeds: string[] = [];

  beforeAll(async () => {
    const world = await smallWorld(70, 5);
    await chaintrailJson(['case', 'create', 'part'], home);
    await chaintrailJson(['import', join(world.dir, 'seized-addresses.txt'), '--case', 'part'], home);
    await chaintrailJson(['ingest', '--case', 'part', '--source', `blocks:${join(world.dir, 'blocks')}`, '--hops-back', '2', '--hops-forward', '1', '--no-cluster'], home);
    await chaintrailJson(['cluster', '--case', 'part'], home);
    const store = await openStore(`sqlite:${join(home.home, 'cases', 'part.sqlite')}`);
    try {
      const caseId = (await store.listCases())[0]!.id;
      seeds = (await store.caseSeeds(caseId, { limit: 20, cursor: null })).items.map((s) => s.address);
      await store.saveView(caseId, { name: 'seeds', state: viewerView(seeds) });
    } finally {
      await store.close();
    }
  }, 900_000);

  const manifestOf = (dir: string): EvidenceManifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as EvidenceManifest;

  it.each([
    ['a saved view of the viewer', 'view:seeds', 'view'],
    ['the payers report', 'payers', 'report'],
  ])('%s: cites its transactions and passes verify with every figure recomputed, the same bytes each time', async (_name, report, kind) => {
    const bundle = join(out, report.replace(':', '-'));
    await chaintrailJson(['export', '--case', 'part', '--report', report, '--out', bundle, ...stamp], home);
    const manifest = manifestOf(bundle);
    expect(manifest.scope.kind).toBe(kind);
    expect(manifest.contents.scopeTransactions).toBeGreaterThan(0);
    // Parents outside the scope are carried as context, with their proofs.
    expect(manifest.parents.contextTransactions).toBeGreaterThan(0);
    expect(manifest.parents.absent).toEqual([]);
    expect(manifest.proofs.complete).toBe(true);
    const context = csvRows(bundle, 'tables/transactions.csv').filter((r) => r['roles'] === 'parent');
    expect(context).toHaveLength(manifest.parents.contextTransactions);
    expect(context.every((r) => r['merkle_proof'] === 'included')).toBe(true);
    const verified = await verifyEvidenceBundle(bundle);
    expect(verified.failures).toEqual([]);
    expect(verified.gaps).toEqual([]);
    expect(verified.notRecomputable).toEqual([]);
    expect(verified.verdict).toBe('pass');

    const [zipA, zipB] = [join(out, `${report.replace(':', '-')}-a.zip`), join(out, `${report.replace(':', '-')}-b.zip`)];
    for (const zip of [zipA, zipB]) await chaintrailJson(['export', '--case', 'part', '--report', report, '--out', zip, ...stamp], home);
    expect(readFileSync(zipA).equals(readFileSync(zipB))).toBe(true);
    expect((await verifyEvidenceBundle(zipA)).verdict).toBe('pass');
  }, 300_000);

  it('cites the transactions of the view\'s seed addresses, and says how many nodes it read', () => {
    const manifest = manifestOf(join(out, 'view-seeds'));
    expect(manifest.scope.description).toContain(`${seeds.length} address`);
    const cited = new Set(csvRows(join(out, 'view-seeds'), 'tables/transactions.csv').filter((r) => r['roles']?.split(';').includes('scope')).map((r) => r['txid']));
    const touching = csvRows(join(out, 'view-seeds'), 'tables/outputs.csv').filter((r) => seeds.includes(r['address'] ?? '')).map((r) => r['txid']);
    expect(touching.length).toBeGreaterThan(0);
    // Every payment to an address node is in that address's history, so a finding, never mere context.
    for (const txid of touching) expect(cited.has(txid)).toBe(true);
  });

  it("catches a removed parent: the finding's input figures no longer rest on bytes in the bundle", async () => {
    const dir = copyBundle(join(out, 'view-seeds'));
    const parent = csvRows(dir, 'tables/transactions.csv').find((r) => r['roles'] === 'parent')!['txid']!;
    const spender = csvRows(dir, 'tables/inputs.csv').find((r) => r['prev_txid'] === parent && r['resolved'] === 'yes')!;
    edit(dir, 'tables/transactions.csv', new RegExp(`^${parent},.*\n`, 'm'), () => '');
    edit(dir, 'tables/outputs.csv', new RegExp(`^(?:${parent},.*\n)+`, 'm'), () => '');
    edit(dir, 'manifest.json', /"contextTransactions": (\d+)/, (_m, n: string) => `"contextTransactions": ${Number(n) - 1}`);
    rmSync(join(dir, 'raw', `${parent}.hex`));
    rehash(dir);
    const report = await verifyEvidenceBundle(dir);
    expect(report.verdict).toBe('fail');
    expect(report.failures).toContainEqual(expect.objectContaining({ check: 'inputs', txid: spender['txid'], message: expect.stringMatching(new RegExp(`the parent ${parent} is not in the bundle to prove it`)) as unknown }));
  });

  it('catches figures stated for an input of a context transaction whose parent is outside the bundle', async () => {
    const dir = copyBundle(join(out, 'view-seeds'));
    const row = csvRows(dir, 'tables/inputs.csv').find((r) => r['resolved'] === 'not-cited');
    expect(row).toBeDefined();
    edit(dir, 'tables/inputs.csv', new RegExp(`^(${row!['txid']},${row!['vin']},[^,]*,[^,]*,)not-cited,,`, 'm'), (_m, p: string) => `${p}yes,${seeds[0]},`);
    rehash(dir);
    const report = await verifyEvidenceBundle(dir);
    expect(report.verdict).toBe('fail');
    expect(report.failures).toContainEqual(expect.objectContaining({ check: 'inputs', txid: row!['txid'], message: expect.stringMatching(/is not in the bundle to prove it/) as unknown }));
  });

  it('names a parent the store does not hold as not recomputable, declared in the manifest and apart from failures', async () => {
    const view = join(out, 'view-seeds');
    const rows = csvRows(view, 'tables/transactions.csv');
    const contextTxids = new Set(rows.filter((r) => r['roles'] === 'parent').map((r) => r['txid']));
    const spender = csvRows(view, 'tables/inputs.csv').find((r) => contextTxids.has(r['prev_txid']) && r['resolved'] === 'yes' && rows.find((t) => t['txid'] === r['txid'])?.['roles']?.includes('scope'))!;
    const hidden = spender['prev_txid']!;
    const store = await openStore(`sqlite:${join(home.home, 'cases', 'part.sqlite')}`);
    // The store as it would be had it never held the parent's transaction.
    const lacking = new Proxy(store, {
      get(target, prop): unknown {
        if (prop === 'getTransaction') return (txid: string) => (txid === hidden ? Promise.reject(new NotFoundError('transaction', txid)) : target.getTransaction(txid));
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const bundle = join(out, 'lacking');
    try {
      const caseId = (await store.listCases())[0]!.id;
      const scope = rows.filter((r) => r['roles']?.split(';').includes('scope')).map((r) => r['txid']!);
      const result = await exportEvidenceBundle({
        store: lacking,
        caseId,
        scope: { kind: 'view', name: 'seeds', description: 'saved view "seeds"', txids: scope },
        out: bundle,
        source: null,
        noSourceReason: 'exported without a chain source by the test',
        toolVersion: 'test',
        network: manifestOf(view).chain.network,
        exportedAt: '2024-05-01T09:00:00Z',
        chromium: false,
      });
      expect(result.manifest.parents.absent).toContainEqual({ txid: spender['txid'], vin: Number(spender['vin']), parentTxid: hidden, reason: expect.stringMatching(/store/) as unknown });
      expect(result.manifest.scope.notes.join('\n')).toMatch(/cannot be recomputed from the bundle/);
    } finally {
      await store.close();
    }
    const report = await verifyEvidenceBundle(bundle);
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('incomplete');
    expect(report.notRecomputable).toContainEqual(expect.objectContaining({ check: 'inputs', txid: spender['txid'], message: expect.stringMatching(new RegExp(`not recomputable: parent tx ${hidden} absent from the bundle`)) as unknown }));
    expect(report.notRecomputable).toContainEqual(expect.objectContaining({ check: 'transactions', txid: spender['txid'], message: expect.stringMatching(/input_total_sat \d+ and fee_sat \d+ not recomputable/) as unknown }));

    // On the command line: INCOMPLETE, exit status 3, the figures listed under their own heading.
    const cli = await chaintrail(['verify', bundle], home);
    expect(cli.code).toBe(3);
    expect(cli.stdout).toMatch(/^INCOMPLETE: /);
    expect(cli.stdout).toMatch(/Not recomputable \(parent transaction absent, declared in the manifest\) \(\d+\):/);
    expect(cli.stdout).toContain(`parent tx ${hidden} absent from the bundle`);
    expect(cli.stderr).toMatch(/\d+ not recomputable/);
  }, 300_000);
});
