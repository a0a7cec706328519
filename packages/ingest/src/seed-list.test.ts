import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/seed-lines.json' with { type: 'json' };
import { markDuplicates, memorySeedOriginIndex } from './seed-duplicates.js';
import { classifySeed, detectFormat, parseSeedList, type SeedEntry, type SeedListLayout, type SeedListOptions } from './seed-list.js';

describe('classifySeed', () => {
  for (const c of fixtures.valid) {
    it(`accepts ${c.name}`, () => {
      expect(classifySeed(c.input, 'mainnet')).toEqual({ address: c.address });
    });
  }
  for (const c of fixtures.invalid) {
    it(`rejects ${c.name} as ${c.reason}`, () => {
      const verdict = classifySeed(c.input, 'mainnet');
      expect('reason' in verdict && verdict.reason).toBe(c.reason);
    });
  }
  it('accepts a testnet address when the case is on testnet', () => {
    expect(classifySeed('mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'testnet')).toEqual({ address: 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn' });
  });
});

/** Every fixture line once, then the first valid one again (a duplicate), in fixture order. */
const lines = [...fixtures.valid.map((c) => c.input), ...fixtures.invalid.map((c) => c.input), fixtures.valid[0]!.input];
const expectedReasons = [...fixtures.valid.map(() => null), ...fixtures.invalid.map((c) => c.reason), 'duplicate'];

async function read(path: string, options?: SeedListOptions): Promise<{ entries: SeedEntry[]; layout: SeedListLayout | null }> {
  let layout: SeedListLayout | null = null;
  const entries: SeedEntry[] = [];
  for await (const e of markDuplicates(parseSeedList(path, options, (l) => (layout = l)), 'list', memorySeedOriginIndex())) entries.push(e);
  return { entries, layout };
}

function file(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'seed-list-')), name);
  writeFileSync(path, content);
  return path;
}

const reasons = (entries: readonly SeedEntry[]): (string | null)[] => entries.map((e) => (e.kind === 'seed' ? null : e.reason));

describe('parseSeedList', () => {
  it('reads plain text with mixed line ends and a byte-order mark, one entry per line with its number', async () => {
    const text = `\ufeff${lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('')}`;
    const { entries, layout } = await read(file('seized.txt', text));
    expect(layout).toEqual({ format: 'txt', column: null, header: false });
    expect(entries.map((e) => e.line)).toEqual(lines.map((_, i) => i + 1));
    expect(reasons(entries)).toEqual(expectedReasons);
    const duplicate = entries.at(-1);
    expect(duplicate?.kind === 'reject' && duplicate.detail).toContain('line 1');
  });

  it('reads a CSV dump, finding the address column by its header and counting the header line', async () => {
    const csv = ['user_id,username,btc_address,notes', ...lines.map((l, i) => `${i + 1},"user, ${i}",${l},x`)].join('\r\n');
    const { entries, layout } = await read(file('accounts.csv', csv));
    expect(layout).toEqual({ format: 'csv', column: 'btc_address', header: true });
    expect(entries.map((e) => e.line)).toEqual(lines.map((_, i) => i + 2));
    expect(reasons(entries)).toEqual(expectedReasons);
  });

  it('guesses the address column of a CSV whose header does not name it, from the first row with an address', async () => {
    const csv = ['id;wallet_hash;when', ';;', ...lines.map((l, i) => `${i};${l};2018-01-01`)].join('\n');
    const { entries, layout } = await read(file('dump.csv', csv));
    expect(layout).toEqual({ format: 'csv', column: 'wallet_hash', header: true });
    expect(reasons(entries)).toEqual(['empty', ...expectedReasons]);
  });

  it('takes the column the investigator names, by name or by number, and refuses a name the header lacks', async () => {
    const csv = ['a,b', ...lines.map((l) => `${l},1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa`)].join('\n');
    expect(reasons((await read(file('x.csv', csv), { column: 'a' })).entries)).toEqual(expectedReasons);
    expect(reasons((await read(file('x.csv', csv), { column: '1' })).entries)).toEqual(expectedReasons);
    await expect(read(file('x.csv', csv), { column: 'address' })).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_SEED_LIST' });
  });

  it('streams a JSON array of strings and objects, each element with the line it starts on', async () => {
    const json = `[\n${lines.map((l, i) => (i % 2 === 0 ? JSON.stringify(l) : `{ "user": ${i},\n  "address": ${JSON.stringify(l)} }`)).join(',\n')}\n]\n`;
    const { entries } = await read(file('export.json', json));
    expect(reasons(entries)).toEqual(expectedReasons);
    let line = 2;
    const starts = lines.map((_, i) => {
      const at = line;
      line += i % 2 === 0 ? 1 : 2;
      return at;
    });
    expect(entries.map((e) => e.line)).toEqual(starts);
  });

  it('reads {"addresses": [...]} and JSON Lines, and reports an element that is not an address', async () => {
    const wrapped = await read(file('wrapped.json', JSON.stringify({ site: 'x', addresses: [...lines, 42, null] })));
    expect(reasons(wrapped.entries)).toEqual([...expectedReasons, 'malformed', 'malformed']);
    const jsonl = await read(file('lines.jsonl', `${lines.map((l) => JSON.stringify({ address: l })).join('\n')}\n{not json\n`));
    expect(reasons(jsonl.entries)).toEqual([...expectedReasons, 'malformed']);
  });

  it('refuses a JSON file that holds no array, and one cut off in the middle', async () => {
    await expect(read(file('a.json', '{"a": 1}'))).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_SEED_LIST' });
    await expect(read(file('b.json', '["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1z'))).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_SEED_LIST' });
  });

  it('names a missing file in its error', async () => {
    const missing = read(join(tmpdir(), 'no-such-seed-list.txt'));
    await expect(missing).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_SEED_LIST' });
    await expect(missing).rejects.toThrow(/no-such-seed-list\.txt/);
  });
});

describe('detectFormat', () => {
  const cases: [string, string, string][] = [
    ['list.csv', 'a', 'csv'],
    ['list.tsv', 'a', 'csv'],
    ['list.json', 'x', 'json'],
    ['list.ndjson', 'x', 'jsonl'],
    ['list', '  [ "1A1z..." ]', 'json'],
    ['list', '{"address": "x"}\n{"address": "y"}', 'jsonl'],
    ['list', '{\n "addresses": []\n}', 'json'],
    ['list.txt', 'a,b', 'txt'],
    ['export', 'id,address\n1,x', 'csv'],
    ['export', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n', 'txt'],
  ];
  for (const [name, head, format] of cases) {
    it(`reads ${name} starting ${JSON.stringify(head.slice(0, 12))} as ${format}`, () => {
      expect(detectFormat(name, head)).toBe(format);
    });
  }
});
