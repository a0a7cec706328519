import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '@chaintrail/chain/testing';
import { openBundle, verifyEvidenceBundle, type EvidenceManifest, type Finding } from '@chaintrail/evidence';
import { readTruth, type Truth } from '@chaintrail/scenario';
import { chaintrail, chaintrailJson } from '../e2e/cli-binary.js';
import { serveWorldOverEsplora, smallWorld, tempDir, type GeneratedWorld } from '../e2e/scenario-world.js';
import { copyBundle, csvRows, edit, lineOf, rehash } from './bundle-tamper.js';

/**
 * A case built from a generated world through the real binary, exported as a folder and a
 * zip, then verified offline; every kind of tampering must be caught and named.
 */
describe('evidence bundle of a scenario world', () => {
  let world: GeneratedWorld;
  let truth: Truth;
  let server: FixtureServer | undefined;
  const home = { home: tempDir('evidence-home') };
  const out = tempDir('evidence-out');
  const folder = join(out, 'bundle');
  const zipA = join(out, 'a.zip');
  const zipB = join(out, 'b.zip');
  const stamp = ['--exported-by', 'Test Analyst, Unit 7', '--exported-at', '2024-05-01T09:00:00Z'];

  beforeAll(async () => {
    world = await smallWorld(80, 11);
    truth = await readTruth(join(world.dir, 'truth.json'));
    await chaintrailJson(['case', 'create', 'site'], home);
    await chaintrailJson(['import', join(world.dir, 'seized-addresses.txt'), '--case', 'site'], home);
    await chaintrailJson(['ingest', '--case', 'site', '--source', `blocks:${join(world.dir, 'blocks')}`, '--hops-back', '2', '--hops-forward', '2', '--no-cluster'], home);
    await chaintrailJson(['tags', 'import', join(world.dir, 'tags.yaml'), '--case', 'site'], home);
    await chaintrailJson(['cluster', '--case', 'site'], home);
    await chaintrailJson(['export', '--case', 'site', '--out', folder, ...stamp, '--tag-file', join(world.dir, 'tags.yaml')], home);
    await chaintrailJson(['export', '--case', 'site', '--out', zipA, ...stamp, '--tag-file', join(world.dir, 'tags.yaml')], home);
    await chaintrailJson(['export', '--case', 'site', '--out', zipB, ...stamp, '--tag-file', join(world.dir, 'tags.yaml')], home);
  }, 900_000);

  afterAll(async () => {
    await server?.close();
  });

  const manifestOf = (dir: string): EvidenceManifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as EvidenceManifest;

  it('passes offline verification, as a folder and as a zip, with every transaction proven up to the tip', async () => {
    const manifest = manifestOf(folder);
    for (const bundle of [folder, zipA]) {
      const report = await verifyEvidenceBundle(bundle);
      expect(report.failures).toEqual([]);
      expect(report.gaps).toEqual([]);
      expect(report.verdict).toBe('pass');
      expect(report.checked.transactions).toBe(manifest.contents.transactions);
      expect(report.checked.merkleProofs).toBe(manifest.contents.transactions);
      expect(report.checked.paymentsToSeeds).toBe(manifest.contents.paymentsToSeeds);
      expect(report.tip).toEqual({ height: truth.summary.tipHeight, hash: truth.summary.tipHash });
      // A generated world's headers meet only regtest's target, and the verdict says so.
      expect(report.notes.join('\n')).toMatch(/regtest's limit/);
    }
    expect(manifest.proofs.complete).toBe(true);
    expect(manifest.chain.proofOfWorkNetwork).toBe('regtest');
  });

  it('gives the same bytes when the same case is exported twice, as a zip or a folder', async () => {
    expect(readFileSync(zipA).equals(readFileSync(zipB))).toBe(true);
    const zip = await openBundle(zipA);
    try {
      expect(zip.files).toEqual([...zip.files].sort());
      for (const file of ['SHA256SUMS', 'report/report.html', 'figure/entities.svg', 'manifest.json']) expect((await zip.read(file)).equals(readFileSync(join(folder, file)))).toBe(true);
    } finally {
      await zip.close();
    }
  });

  it('states who exported, when, on which tip, with which heuristics, tag files and reports', () => {
    const m = manifestOf(folder);
    expect(m.exported).toMatchObject({ by: 'Test Analyst, Unit 7', at: '2024-05-01T09:00:00.000Z' });
    expect(m.chain.source).toBe(`blocks:${join(world.dir, 'blocks')}`);
    expect(m.heuristics.find((h) => h.name === 'cioh')).toMatchObject({ version: 1, confidence: 100 });
    const tagSha = createHash('sha256').update(readFileSync(join(world.dir, 'tags.yaml'))).digest('hex');
    expect(m.tagSources).toEqual([expect.objectContaining({ source: 'tagpack:tags.yaml', sha256: tagSha, file: 'tags.yaml' })]);
    expect(m.parameters.jobs.map((j) => j.kind).sort()).toEqual(expect.arrayContaining(['import', 'ingest', 'cluster']));
    expect(m.sections.filter((s) => s.included).map((s) => s.id)).toEqual(['payments-to-seeds', 'payers', 'flows']);
    for (const optional of m.optionalFiles) {
      const present = readdirSync(join(folder, optional.path.split('/')[0] as string)).includes(optional.path.split('/')[1] as string);
      expect(present).toBe(optional.included);
    }
    const pdf = m.optionalFiles.find((f) => f.path === 'report/report.pdf');
    if (pdf?.included) expect(readFileSync(join(folder, 'report/report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('lists every payment the world made to a seized address, with its amount', () => {
    const rows = csvRows(folder, 'tables/payments-to-seeds.csv');
    const header = readFileSync(join(folder, 'tables/payments-to-seeds.csv'), 'utf8').split('\n')[0];
    expect(header).toContain('value_sat');
    const byOutput = new Map(rows.map((r) => [`${r['txid']}:${r['vout']}`, r]));
    for (const payment of truth.payments) {
      expect(byOutput.get(`${payment.txid}:${payment.vout}`)).toMatchObject({ seed_address: payment.address, value_sat: String(payment.value) });
    }
  });

  const some = (dir: string, file: string, column: string, accept: (row: Record<string, string>) => boolean = () => true): Record<string, string> => {
    const row = csvRows(dir, file).find((r) => accept(r) && (r[column] ?? '') !== '');
    if (!row) throw new Error(`no row of ${file} to tamper with`);
    return row;
  };

  interface TamperCase {
    readonly name: string;
    /** Mutates a copy; returns what verify must report among its failures. */
    readonly tamper: (dir: string) => Omit<Partial<Finding>, 'message'> & { message: RegExp };
  }

  const cases: TamperCase[] = [
    {
      name: 'a changed amount in a CSV, SHA256SUMS left as it was',
      tamper: (dir) => {
        const row = some(dir, 'tables/outputs.csv', 'value_sat', (r) => r['value_sat'] !== '0');
        edit(dir, 'tables/outputs.csv', new RegExp(`^(${row['txid']},${row['vout']},)${row['value_sat']},`, 'm'), (_m, p: string) => `${p}${BigInt(row['value_sat']!) + 1n},`);
        return { check: 'files', file: 'tables/outputs.csv', message: /content changed since export/ };
      },
    },
    {
      name: 'a changed amount in a CSV, SHA256SUMS rewritten to match',
      tamper: (dir) => {
        const row = some(dir, 'tables/outputs.csv', 'value_sat', (r) => r['value_sat'] !== '0');
        const line = lineOf(dir, 'tables/outputs.csv', `${row['txid']},${row['vout']},`);
        edit(dir, 'tables/outputs.csv', new RegExp(`^(${row['txid']},${row['vout']},)${row['value_sat']},`, 'm'), (_m, p: string) => `${p}${BigInt(row['value_sat']!) + 1n},`);
        rehash(dir);
        return { check: 'outputs', file: 'tables/outputs.csv', line, txid: row['txid']!, message: /value_sat is \d+, the raw transaction pays/ };
      },
    },
    {
      name: 'a changed payment to a seized address',
      tamper: (dir) => {
        const row = some(dir, 'tables/payments-to-seeds.csv', 'value_sat');
        const line = lineOf(dir, 'tables/payments-to-seeds.csv', `${row['txid']},${row['vout']},`);
        edit(dir, 'tables/payments-to-seeds.csv', new RegExp(`^(${row['txid']},${row['vout']},.*?,)${row['value_sat']},`, 'm'), (_m, p: string) => `${p}${BigInt(row['value_sat']!) * 2n},`);
        rehash(dir);
        return { check: 'payments', file: 'tables/payments-to-seeds.csv', line, message: /value_sat is \d+, the raw transaction pays/ };
      },
    },
    {
      name: "a changed input address (whose parent's bytes say otherwise)",
      tamper: (dir) => {
        const row = some(dir, 'tables/inputs.csv', 'address', (r) => r['resolved'] === 'yes');
        const other = some(dir, 'tables/addresses.csv', 'address', (r) => r['address'] !== row['address'])['address']!;
        const line = lineOf(dir, 'tables/inputs.csv', `${row['txid']},${row['vin']},`);
        edit(dir, 'tables/inputs.csv', new RegExp(`^(${row['txid']},${row['vin']},[^,]*,[^,]*,yes,)[^,]*,`, 'm'), (_m, p: string) => `${p}${other},`);
        rehash(dir);
        return { check: 'inputs', file: 'tables/inputs.csv', line, message: /the output it spends pays/ };
      },
    },
    {
      name: 'a swapped raw transaction',
      tamper: (dir) => {
        const [a, b] = readdirSync(join(dir, 'raw'));
        writeFileSync(join(dir, 'raw', a!), readFileSync(join(dir, 'raw', b!)));
        rehash(dir);
        return { check: 'raw', file: `raw/${a!}`, message: /hash to txid [0-9a-f]{64}, not [0-9a-f]{64}: the raw transaction was replaced/ };
      },
    },
    {
      name: 'a forged merkle proof',
      tamper: (dir) => {
        const file = readdirSync(join(dir, 'proofs/merkle')).find((f) => (JSON.parse(readFileSync(join(dir, 'proofs/merkle', f), 'utf8')) as { proofs: { merkle: string[] }[] }).proofs[0]!.merkle.length > 0)!;
        const txid = (JSON.parse(readFileSync(join(dir, 'proofs/merkle', file), 'utf8')) as { proofs: { txid: string }[] }).proofs[0]!.txid;
        edit(dir, `proofs/merkle/${file}`, /("merkle": \[\s*")([0-9a-f])/, (_m, p: string, first: string) => `${p}${first === '0' ? '1' : '0'}`);
        rehash(dir);
        return { check: 'merkle', file: `proofs/merkle/${file}`, txid, message: /does not lead to the merkle root .*forged or corrupt/ };
      },
    },
    {
      name: 'a removed file',
      tamper: (dir) => {
        const file = readdirSync(join(dir, 'raw'))[0]!;
        rmSync(join(dir, 'raw', file));
        return { check: 'files', file: `raw/${file}`, message: /listed in SHA256SUMS \(line \d+\) but missing/ };
      },
    },
    {
      name: "a block's proofs removed, their SHA256SUMS line removed too",
      tamper: (dir) => {
        const file = readdirSync(join(dir, 'proofs/merkle'))[0]!;
        const txid = (JSON.parse(readFileSync(join(dir, 'proofs/merkle', file), 'utf8')) as { proofs: { txid: string }[] }).proofs[0]!.txid;
        rmSync(join(dir, 'proofs/merkle', file));
        rehash(dir);
        return { check: 'transactions', file: 'tables/transactions.csv', txid, line: lineOf(dir, 'tables/transactions.csv', txid), message: /merkle_proof says included, but proofs\/merkle\/[0-9a-f]{64}\.json holds no proof of it/ };
      },
    },
    {
      name: 'a changed manifest, SHA256SUMS left as it was',
      tamper: (dir) => {
        edit(dir, 'manifest.json', /"by": "Test Analyst, Unit 7"/, () => '"by": "Someone Else"');
        return { check: 'files', file: 'manifest.json', message: /content changed since export/ };
      },
    },
    {
      name: 'a changed manifest tip, SHA256SUMS rewritten to match',
      tamper: (dir) => {
        edit(dir, 'manifest.json', /("tip": \{\s*"height": \d+,\s*"hash": ")([0-9a-f]{64})"/, (_m, p: string, hash: string) => `${p}${hash.replace(/^./, (c) => (c === 'f' ? 'e' : 'f'))}"`);
        rehash(dir);
        return { check: 'headers', file: 'proofs/headers.csv', message: /the manifest's tip is/ };
      },
    },
    {
      name: 'a changed block header',
      tamper: (dir) => {
        const row = some(dir, 'proofs/headers.csv', 'raw_header_hex');
        const line = lineOf(dir, 'proofs/headers.csv', row['hash']!);
        edit(dir, 'proofs/headers.csv', new RegExp(`${row['raw_header_hex']}`), (raw) => `${raw.slice(0, 150)}${raw.slice(150) === 'ffffffffff' ? '0000000000' : 'ffffffffff'}`);
        rehash(dir);
        return { check: 'headers', file: 'proofs/headers.csv', line, message: /the raw header hashes to/ };
      },
    },
    {
      name: 'a cluster link pinned on a transaction that does not show it',
      tamper: (dir) => {
        const row = some(dir, 'tables/cluster-links.csv', 'justifying_txid', (r) => r['heuristic'] === 'cioh');
        const spendsA = new Set(csvRows(dir, 'tables/inputs.csv').filter((i) => i['address'] === row['address_a']).map((i) => i['txid']));
        const other = some(dir, 'tables/transactions.csv', 'txid', (r) => !spendsA.has(r['txid']))['txid']!;
        const line = lineOf(dir, 'tables/cluster-links.csv', `${row['address_a']},${row['address_b']}`);
        edit(dir, 'tables/cluster-links.csv', new RegExp(`(${row['address_a']},${row['address_b']},cioh,\\d+,\\d+,)${row['justifying_txid']}`), (_m, p: string) => `${p}${other}`);
        rehash(dir);
        return { check: 'links', file: 'tables/cluster-links.csv', line, message: /not among the input addresses/ };
      },
    },
    {
      name: 'a changed amount in a report',
      tamper: (dir) => {
        edit(dir, 'reports/payers.json', /("vout": \d+,\s*"height": (?:\d+|null),\s*"blockHash": (?:"[0-9a-f]{64}"|null),\s*"time": (?:\d+|null),\s*"value": ")(\d+)"/, (_m, p: string, v: string) => `${p}${BigInt(v) + 1000n}"`);
        rehash(dir);
        return { check: 'reports', file: 'reports/payers.json', message: /holds \d+ sat, the report says \d+/ };
      },
    },
    {
      name: 'a file added after export',
      tamper: (dir) => {
        writeFileSync(join(dir, 'tables', 'extra.csv'), 'a,b\n1,2\n');
        return { check: 'files', file: 'tables/extra.csv', message: /not listed in SHA256SUMS/ };
      },
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('catches and names %s', async (_name, c) => {
    const dir = copyBundle(folder);
    const { message, ...where } = c.tamper(dir);
    const report = await verifyEvidenceBundle(dir);
    expect(report.verdict).toBe('fail');
    expect(report.failures).toContainEqual(expect.objectContaining({ ...where, message: expect.stringMatching(message) as unknown }));
  });

  it('says so, in the manifest and in verify, when the proofs could not be obtained', async () => {
    const bundle = join(out, 'no-source');
    await chaintrailJson(['export', '--case', 'site', '--out', bundle, '--no-source', '--no-render', ...stamp], home);
    const m = manifestOf(bundle);
    expect(m.proofs.complete).toBe(false);
    expect(m.proofs.merkle.missing).toHaveLength(m.contents.transactions);
    expect(m.proofs.merkle.missing[0]?.reason).toMatch(/--no-source/);
    expect(m.optionalFiles.every((f) => !f.included && /--no-render/.test(f.how))).toBe(true);
    const report = await verifyEvidenceBundle(bundle);
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('incomplete');
    expect(report.gaps).toContainEqual(expect.objectContaining({ check: 'transactions', message: expect.stringMatching(/not proven to be in the chain/) as unknown }));
    expect(report.notes.join('\n')).toMatch(/report\/report.pdf was not produced/);

    const strict = await chaintrail(['verify', bundle], home);
    expect(strict.code).toBe(3);
    expect(strict.stdout).toContain('INCOMPLETE');
    expect((await chaintrail(['verify', bundle, '--allow-incomplete'], home)).code).toBe(0);
  }, 120_000);

  it('fails `chaintrail verify` with exit status 3, naming the file and line', async () => {
    const dir = copyBundle(folder);
    const row = some(dir, 'tables/outputs.csv', 'value_sat', (r) => r['value_sat'] !== '0');
    const line = lineOf(dir, 'tables/outputs.csv', `${row['txid']},${row['vout']},`);
    edit(dir, 'tables/outputs.csv', new RegExp(`^(${row['txid']},${row['vout']},)${row['value_sat']},`, 'm'), (_m, p: string) => `${p}1,`);
    rehash(dir);
    const run = await chaintrail(['verify', dir], home);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('FAIL');
    expect(run.stdout).toContain(`tables/outputs.csv:${line}`);
    const json = await chaintrail(['--json', 'verify', dir], home);
    expect(json.code).toBe(3);
    const error = (JSON.parse(json.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('CHAINTRAIL_BAD_BUNDLE');
    expect(error.message).toContain(`tables/outputs.csv:${line}`);
    expect((await chaintrail(['verify', zipA], home)).code).toBe(0);
  }, 120_000);

  it('builds the same proofs from an Esplora server (/tx/:txid/merkle-proof, /block/:hash/header) as from the block files', async () => {
    server = await serveWorldOverEsplora(world.dir);
    const bundle = join(out, 'esplora');
    await chaintrailJson(['export', '--case', 'site', '--out', bundle, '--source', `esplora:${server.url}`, '--no-render', ...stamp], { ...home, env: { CHAINTRAIL_RPS: '5000' } });
    const report = await verifyEvidenceBundle(bundle);
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('pass');
    for (const file of ['proofs/headers.csv', 'tables/transactions.csv', 'tables/outputs.csv']) expect(readFileSync(join(bundle, file), 'utf8')).toBe(readFileSync(join(folder, file), 'utf8'));
    expect(readdirSync(join(bundle, 'proofs/merkle'))).toEqual(readdirSync(join(folder, 'proofs/merkle')));
    for (const file of readdirSync(join(folder, 'proofs/merkle'))) expect(readFileSync(join(bundle, 'proofs/merkle', file), 'utf8')).toBe(readFileSync(join(folder, 'proofs/merkle', file), 'utf8'));
  }, 120_000);
});
