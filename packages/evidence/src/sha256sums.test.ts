import { describe, expect, it } from 'vitest';
import { formatSums, parseSums } from './sha256sums.js';

const a = 'a'.repeat(64);
const b = 'b'.repeat(64);

describe('SHA256SUMS', () => {
  it('is sorted by path in sha256sum -c format, and parses back', () => {
    const text = formatSums(new Map([['tables/z.csv', a], ['manifest.json', b]]));
    expect(text).toBe(`${b}  manifest.json\n${a}  tables/z.csv\n`);
    expect(parseSums(text)).toEqual({ sums: [{ sha256: b, path: 'manifest.json', line: 1 }, { sha256: a, path: 'tables/z.csv', line: 2 }], bad: [] });
  });

  it('names lines that are not "<sha256>  <path>"', () => {
    expect(parseSums(`${a}  ok.txt\nnot a sum\n${'A'.repeat(64)}  upper.txt\n`).bad).toEqual([
      { line: 2, text: 'not a sum' },
      { line: 3, text: `${'A'.repeat(64)}  upper.txt` },
    ]);
  });
});
