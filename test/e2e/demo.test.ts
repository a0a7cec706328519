import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chaintrail, chaintrailJson } from './cli-binary.js';
import { tempDir } from './scenario-world.js';

interface DemoResult {
  world: string;
  ingest: { status: string; counts: { seedsDone: number } };
  import: { accepted: number; rejectedTotal: number };
  firstLook: {
    seeds: number;
    seedsWithTransactions: number;
    site: { entityId: string; seedsInIt: number } | null;
    payerSources: { label: string; category: string | null; via: number }[];
  };
}

describe('chaintrail demo --no-serve', () => {
  it('generates a world, imports, ingests, tags, clusters and names the exchanges the payers came from; a second run reuses it all', async () => {
    const home = { home: tempDir('demo') };
    const first = await chaintrailJson<DemoResult>(['demo', '--no-serve', '--users', '150'], home);
    expect(first.ingest.status).toBe('done');
    expect(first.firstLook.seeds).toBe(first.import.accepted);
    expect(first.firstLook.site?.seedsInIt).toBeGreaterThan(1);
    expect(first.firstLook.site?.seedsInIt).toBeLessThanOrEqual(first.firstLook.seedsWithTransactions);
    const tagLabels = new Set([...readFileSync(join(first.world, 'tags.yaml'), 'utf8').matchAll(/label: (.+)/g)].map((m) => (m[1] as string).trim()));
    expect(first.firstLook.payerSources.length).toBeGreaterThan(0);
    for (const source of first.firstLook.payerSources) {
      expect(tagLabels).toContain(source.label);
      expect(source.category).toBe('exchange');
    }

    const again = await chaintrail(['demo', '--no-serve', '--users', '150'], home);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Reusing the world');
    expect(again.stdout).toContain('What to look at first');
    for (const source of first.firstLook.payerSources.slice(0, 3)) expect(again.stdout).toContain(source.label);
  }, 600_000);
});
