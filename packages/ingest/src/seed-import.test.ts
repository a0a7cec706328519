import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type GraphStore } from '@chaintrail/store';
import { JobJournal } from './job-journal.js';
import { RejectsFile } from './rejects-file.js';
import { importSeeds, type SeedImportSummary } from './seed-import.js';

const A = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const B = '12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX';
const C = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';

const dir = mkdtempSync(join(tmpdir(), 'seed-import-'));
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0)) await thing.close();
});

async function fresh(): Promise<{ store: GraphStore; journal: JobJournal; caseId: string }> {
  const store = await openStore('sqlite::memory:');
  const journal = JobJournal.open(':memory:');
  opened.push(store, journal);
  return { store, journal, caseId: (await store.createCase({ name: 'c' })).id };
}

async function importFile(env: { store: GraphStore; journal: JobJournal; caseId: string }, name: string, content: string): Promise<SeedImportSummary> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const rejects = await RejectsFile.create(join(dir, `${name}.rejects.csv`));
  try {
    return await importSeeds({ store: env.store, caseId: env.caseId, path, origins: { record: (s) => env.journal.recordSeedOrigins(env.caseId, s) }, rejects, batchSize: 2 });
  } finally {
    await rejects.close();
  }
}

describe('importSeeds', () => {
  it('adds the good lines as seeds with their line numbers and writes every bad line to the rejects file', async () => {
    const env = await fresh();
    const summary = await importFile(env, 'first.txt', `${A}\n\nnull\n${B}\n${A}\n`);
    expect(summary).toMatchObject({ file: 'first.txt', entries: 5, accepted: 2, rejectedTotal: 3 });
    expect(summary.rejected).toMatchObject({ empty: 1, malformed: 1, duplicate: 1 });
    const seeds = await env.store.caseSeeds(env.caseId, { limit: 10 });
    expect(seeds.items).toEqual([
      { address: A, line: 1, file: 'first.txt' },
      { address: B, line: 4, file: 'first.txt' },
    ]);
    const rows = readFileSync(summary.rejectsFile, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('line,reason,detail,input');
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 2).join(','))).toEqual(['2,empty', '3,malformed', '5,duplicate']);
  });

  it('reports a seed repeated from an earlier file with that file and line, and re-imports a file without calling its own lines duplicates', async () => {
    const env = await fresh();
    await importFile(env, 'first.txt', `${A}\n${B}\n`);
    const second = await importFile(env, 'second.csv', `address\n${C}\n${B}\n`);
    expect(second.rejected.duplicate).toBe(1);
    expect(second.examples[0]?.detail).toContain('line 2 of first.txt');
    const again = await importFile(env, 'first.txt', `${A}\n${B}\n`);
    expect(again.rejectedTotal).toBe(0);
    expect((await env.store.getCase(env.caseId)).seedCount).toBe(3);
  });
});
