import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANGE_HEURISTICS, COINJOIN_RULES, COMMON_INPUT, FLOW_MODEL_NAMES } from '@chaintrail/core';
import { PAYER_ATTRIBUTION_METHOD } from '@chaintrail/report';
import { publishedAccuracy, PUBLISHED_ACCURACY_FILE, readAccuracyFile, recordAccuracySection } from './accuracy-file.js';
import { BadExportOptionError } from './evidence-errors.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'chaintrail-accuracy-file-'));

describe('the published accuracy file shipped with @chaintrail/evidence', () => {
  it('has measured figures for every clustering rule, CoinJoin rule and report model chaintrail uses, with the version and date', () => {
    const published = publishedAccuracy();
    expect(published).not.toBeNull();
    const f = published!.figures;
    expect(f.format).toBe('chaintrail-accuracy');
    expect(f.chaintrailVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(f.measuredAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(f.worlds?.['heuristics']).toMatchObject({ generator: '@chaintrail/scenario' });
    expect(f.worlds?.['models']).toMatchObject({ generator: '@chaintrail/scenario' });
    for (const rule of [COMMON_INPUT.name, ...Object.keys(CHANGE_HEURISTICS), ...COINJOIN_RULES.map((r) => r.name)]) expect(Object.keys(f.heuristics)).toContain(rule);
    for (const model of [PAYER_ATTRIBUTION_METHOD.name, ...FLOW_MODEL_NAMES]) expect(Object.keys(f.models ?? {})).toContain(model);
    // METHODS.md's target for common-input ownership with the CoinJoin guard.
    expect(f.heuristics['cioh']?.['pairwisePrecision']).toBeGreaterThanOrEqual(0.99);
    expect(published!.sha256).toBe(createHash('sha256').update(readFileSync(PUBLISHED_ACCURACY_FILE)).digest('hex'));
    expect(published!.name).toBe('published-accuracy.json');
    expect(published!.basis).toContain(`chaintrail ${f.chaintrailVersion}`);
  });

  it('is null, not an error, for a build that ships none', () => {
    expect(publishedAccuracy(join(scratch(), 'absent.json'))).toBeNull();
  });
});

describe('readAccuracyFile (--accuracy FILE)', () => {
  const cases: { name: string; content: string; message: RegExp }[] = [
    { name: 'not JSON', content: '{"heuristics": ', message: /cannot read .* as JSON/ },
    { name: 'no heuristics', content: '{"models": {}}', message: /is not an accuracy file/ },
    { name: 'a figure that is an object', content: '{"heuristics": {"cioh": {"precision": {"value": 1}}}}', message: /is not an accuracy file/ },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}, naming the file and the flag`, () => {
      const path = join(scratch(), 'rates.json');
      writeFileSync(path, c.content);
      expect(() => readAccuracyFile(path)).toThrow(BadExportOptionError);
      expect(() => readAccuracyFile(path)).toThrow(c.message);
      expect(() => readAccuracyFile(path)).toThrow(/--accuracy/);
    });
  }

  it('rejects a file that does not exist', () => {
    expect(() => readAccuracyFile(join(scratch(), 'missing.json'))).toThrow(/cannot read .*missing\.json/);
  });

  it('cites a lab’s own file by name and hash, with its exact bytes', () => {
    const path = join(scratch(), 'our-lab.json');
    const text = '{"heuristics": {"cioh": {"precision": 0.97}}, "models": {"haircut": {"error": 0.01}}}';
    writeFileSync(path, text);
    const cited = readAccuracyFile(path);
    expect(cited.name).toBe('our-lab.json');
    expect(cited.basis).toMatch(/--accuracy/);
    expect(cited.bytes.toString('utf8')).toBe(text);
    expect(cited.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(cited.figures.models?.['haircut']).toEqual({ error: 0.01 });
  });
});

describe('recordAccuracySection (what pnpm accuracy writes)', () => {
  const world = { generator: '@chaintrail/scenario', seed: 7, users: 100 };
  const heuristics = { section: 'heuristics' as const, figures: { cioh: { pairwisePrecision: 1 } }, world, chaintrailVersion: '1.2.3', measuredAt: '2024-05-01' };
  const models = { section: 'models' as const, figures: { poison: { receiptsTracedOverTruth: 1 } }, world: { ...world, users: 50 }, chaintrailVersion: '1.2.3', measuredAt: '2024-05-02' };

  it('keeps the other benchmark’s section, and records each section’s world and date', () => {
    const path = join(scratch(), 'published.json');
    expect(recordAccuracySection(heuristics, path)).toBe(true);
    expect(recordAccuracySection(models, path)).toBe(true);
    const written = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(written['heuristics']).toEqual(heuristics.figures);
    expect(written['models']).toEqual(models.figures);
    expect(written['worlds']).toEqual({ heuristics: { ...world, measuredAt: '2024-05-01' }, models: { ...models.world, measuredAt: '2024-05-02' } });
    expect(written).toMatchObject({ format: 'chaintrail-accuracy', chaintrailVersion: '1.2.3', measuredAt: '2024-05-02', command: 'pnpm accuracy' });
  });

  it('leaves the file untouched when a rerun measures the same figures on another day, and rewrites it when a figure changes', () => {
    const path = join(scratch(), 'published.json');
    recordAccuracySection(heuristics, path);
    const before = readFileSync(path, 'utf8');
    expect(recordAccuracySection({ ...heuristics, measuredAt: '2025-01-01' }, path)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(recordAccuracySection({ ...heuristics, figures: { cioh: { pairwisePrecision: 0.98 } }, measuredAt: '2025-01-01' }, path)).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ measuredAt: '2025-01-01', heuristics: { cioh: { pairwisePrecision: 0.98 } } });
  });
});
