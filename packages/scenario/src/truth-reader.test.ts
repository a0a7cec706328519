import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTruth, streamTruth } from './truth-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'chaintrail-truth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function drain(path: string): Promise<number> {
  let n = 0;
  for await (const _ of streamTruth(path)) n++;
  return n;
}

describe('truth.json readers', () => {
  it('reject a file of another format, naming it', async () => {
    const path = file('other.json', '{"format":"something-else","version":1}\n');
    await expect(readTruth(path)).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_TRUTH_FILE', message: expect.stringContaining(path) as string });
    await expect(drain(path)).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_TRUTH_FILE' });
  });

  it('reject an unknown section and a record outside any section, with the line', async () => {
    const unknown = file('unknown.json', '{"format":"chaintrail-scenario-truth","version":1,\n"wallets":[\n{"a":1}\n]}\n');
    await expect(drain(unknown)).rejects.toThrow(/section "wallets" on line 2/);
    const stray = file('stray.json', '{"format":"chaintrail-scenario-truth","version":1,\n{"a":1}\n');
    await expect(drain(stray)).rejects.toThrow(/outside any section on line 2/);
  });
});
