import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_ACCURACY_FILE, verifyEvidenceBundle, type EvidenceManifest } from '@chaintrail/evidence';
import { chaintrail, chaintrailJson } from '../e2e/cli-binary.js';
import { smallWorld, tempDir } from '../e2e/scenario-world.js';
import { copyBundle, edit, rehash } from './bundle-tamper.js';

/**
 * Issue 10: the method section of every bundle cites the published error rates of each rule
 * and model it used, without any step from the user (the file `pnpm accuracy` writes ships
 * with @chaintrail/evidence), or a lab's own file given with --accuracy; either way the file
 * is embedded, named and hashed in the manifest, and verify holds the bundle to it. A bundle
 * without proofs says so plainly in verify, with where proofs come from.
 */
describe('error rates cited by evidence bundles', () => {
  const home = { home: tempDir('accuracy-home') };
  const out = tempDir('accuracy-out');
  const stamp = ['--exported-at', '2024-05-01T09:00:00Z', '--no-render'];
  const shipped = readFileSync(PUBLISHED_ACCURACY_FILE);
  const published = JSON.parse(shipped.toString('utf8')) as { chaintrailVersion: string; heuristics: Record<string, unknown>; models: Record<string, unknown> };
  const byDefault = join(out, 'default');
  const lab = join(out, 'lab-rates.json');
  const labRates = { heuristics: { cioh: { pairwisePrecision: 0.9876, note: 'our lab, 2024 casework sample' } }, models: { haircut: { receiptsTracedOverTruth: 0.999 } } };
  const overridden = join(out, 'overridden');
  const manifestOf = (dir: string): EvidenceManifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as EvidenceManifest;

  beforeAll(async () => {
    const world = await smallWorld(60, 5);
    await chaintrailJson(['case', 'create', 'site'], home);
    await chaintrailJson(['import', join(world.dir, 'seized-addresses.txt'), '--case', 'site'], home);
    await chaintrailJson(['ingest', '--case', 'site', '--source', `blocks:${join(world.dir, 'blocks')}`, '--hops-back', '2', '--hops-forward', '2'], home);
    await chaintrailJson(['tags', 'import', join(world.dir, 'tags.yaml'), '--case', 'site'], home);
    await chaintrailJson(['export', '--case', 'site', '--out', byDefault, ...stamp], home);
    writeFileSync(lab, JSON.stringify(labRates));
    await chaintrailJson(['export', '--case', 'site', '--out', overridden, '--accuracy', lab, ...stamp], home);
  }, 600_000);

  it('embeds the published rates by default, names and hashes them in the manifest, and cites them per rule and model', async () => {
    const m = manifestOf(byDefault);
    expect(m.accuracy).toMatchObject({ file: 'method/accuracy.json', name: 'published-accuracy.json', sha256: createHash('sha256').update(shipped).digest('hex'), chaintrailVersion: published.chaintrailVersion });
    expect(m.accuracy?.basis).toMatch(/published with chaintrail/);
    expect(readFileSync(join(byDefault, 'method', 'accuracy.json')).equals(shipped)).toBe(true);
    const cioh = m.heuristics.find((h) => h.name === 'cioh');
    expect(cioh?.errorRates).toEqual(published.heuristics['cioh']);
    for (const h of m.heuristics) expect(h.errorRates).not.toBeNull();
    expect(m.models.map((x) => x.name).sort()).toEqual(['fifo', 'haircut', 'payer-attribution', 'poison']);
    for (const model of m.models) expect(model.errorRates).toEqual(published.models[model.name]);
    const html = readFileSync(join(byDefault, 'report', 'report.html'), 'utf8');
    expect(html).toContain('Report models');
    expect(html).toContain(`pairwisePrecision: ${String((published.heuristics['cioh'] as Record<string, unknown>)['pairwisePrecision'])}`);
    expect(html).toContain(m.accuracy!.sha256);
    const report = await verifyEvidenceBundle(byDefault);
    expect(report.verdict).toBe('pass');
    expect(report.notes.join('\n')).toContain('error rates cited: method/accuracy.json');
  });

  it("cites a lab's own file given with --accuracy instead, and says which rules it has no figure for", async () => {
    const m = manifestOf(overridden);
    expect(m.accuracy).toMatchObject({ name: 'lab-rates.json', sha256: createHash('sha256').update(readFileSync(lab)).digest('hex'), chaintrailVersion: null });
    expect(m.accuracy?.basis).toMatch(/--accuracy/);
    expect(readFileSync(join(overridden, 'method', 'accuracy.json')).equals(readFileSync(lab))).toBe(true);
    expect(m.heuristics.find((h) => h.name === 'cioh')?.errorRates).toEqual(labRates.heuristics.cioh);
    expect(m.models.find((x) => x.name === 'haircut')?.errorRates).toEqual(labRates.models.haircut);
    expect(m.models.find((x) => x.name === 'poison')?.errorRates).toBeNull();
    expect(readFileSync(join(overridden, 'report', 'report.html'), 'utf8')).toContain('not measured');
    expect((await verifyEvidenceBundle(overridden)).verdict).toBe('pass');
    const bad = join(out, 'bad-rates.json');
    writeFileSync(bad, '{"rates": []}');
    const refused = await chaintrail(['export', '--case', 'site', '--out', join(out, 'refused'), '--accuracy', bad, ...stamp], home);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/bad-rates\.json is not an accuracy file/);
  });

  it('fails verify when the cited rates are swapped, even with SHA256SUMS rewritten to match', async () => {
    const dir = copyBundle(byDefault);
    edit(dir, 'method/accuracy.json', /"pairwisePrecision": [0-9.]+/, () => '"pairwisePrecision": 0.5');
    rehash(dir);
    const report = await verifyEvidenceBundle(dir);
    expect(report.verdict).toBe('fail');
    expect(report.failures).toContainEqual(expect.objectContaining({ check: 'manifest', file: 'method/accuracy.json', message: expect.stringMatching(/accuracy\.sha256/) as unknown }));
  });

  it("states the chain tip the analysis stands on (the store's), the one its reports record, and places it on the proven header chain", async () => {
    const m = manifestOf(byDefault);
    expect(m.chain.storeTip).not.toBeNull();
    expect(m.chain.storeTip!.height).toBeLessThanOrEqual(m.chain.tip!.height);
    for (const report of ['payers', 'flows']) {
      const computedAt = (JSON.parse(readFileSync(join(byDefault, 'reports', `${report}.json`), 'utf8')) as { computedAt: { height: number; hash: string; basis: string } }).computedAt;
      expect({ height: computedAt.height, hash: computedAt.hash, basis: computedAt.basis }).toEqual({ ...m.chain.storeTip, basis: 'store-tip' });
    }
    expect((await verifyEvidenceBundle(byDefault)).notes.join('\n')).toContain(`the analysis stands on block ${m.chain.storeTip!.height} ${m.chain.storeTip!.hash}`);
    const dir = copyBundle(byDefault);
    edit(dir, 'manifest.json', /("storeTip": \{\s*"height": )(\d+)/, (_m, p: string, h: string) => `${p}${Number(h) - 1}`);
    rehash(dir);
    expect((await verifyEvidenceBundle(dir)).failures).toContainEqual(expect.objectContaining({ check: 'headers', message: expect.stringMatching(/store tip .* is at height/) as unknown }));
  });

  it('says plainly in verify that a bundle exported without a chain source has no proofs, why, and where proofs come from', async () => {
    const bundle = join(out, 'no-proofs');
    await chaintrailJson(['export', '--case', 'site', '--out', bundle, '--no-source', ...stamp], home);
    const run = await chaintrail(['verify', bundle], home);
    expect(run.code).toBe(3);
    const m = manifestOf(bundle);
    expect(run.stdout).toContain(`PROOFS MISSING: ${m.proofs.merkle.missing.length} of ${m.proofs.merkle.expected} transactions have no merkle proof`);
    expect(run.stdout).toMatch(/without proof: .*--no-source/);
    expect(run.stdout).toMatch(/Where proofs come from: .*--source blocks:DIR/);
    expect(run.stdout.indexOf('PROOFS MISSING')).toBeLessThan(run.stdout.indexOf('Not proven (declared in the manifest)'));
    const json = await chaintrailJson<{ proofs: { complete: boolean; missingMerkle: number } }>(['verify', bundle, '--allow-incomplete'], home);
    expect(json.proofs).toMatchObject({ complete: false, missingMerkle: m.proofs.merkle.missing.length });
  });
});
