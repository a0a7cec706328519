import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readCsvTags, streamCsvTags } from './csv-tags.js';
import { TagFileError } from './tag-problems.js';

const dir = mkdtempSync(join(tmpdir(), 'chaintrail-csv-tags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const A = '1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s';
const B = 'bc1qs604c7jv6amk4cxqlnvuxv26hv3e48cds4m0ew';

describe('CSV tags', () => {
  test('reads address,label,category,source with a header, and reports bad rows by line', async () => {
    const path = csv('tags.csv', `address,label,category,source
${A},Binance,exchange,"subpoena return, 2021"
1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1t,Typo,exchange,notes
${B},,coinjoin,notes
${B.toUpperCase()},"Wasabi
fee",coinjoin,

TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq,Tron,exchange,notes
`);
    const { tags, problems } = await readCsvTags(path);
    expect(tags).toEqual([
      { address: A, label: 'Binance', category: 'exchange', source: 'subpoena return, 2021', confidence: null, url: null, lastmod: null, abuse: null, actor: null, origin: { file: path, line: 2 } },
      { address: B, label: 'Wasabi\nfee', category: 'coinjoin', source: 'csv:tags.csv', confidence: null, url: null, lastmod: null, abuse: null, actor: null, origin: { file: path, line: 5 } },
    ]);
    expect(problems.map((p) => [p.code, p.line])).toEqual([
      ['CHAINTRAIL_BAD_CHECKSUM', 3],
      ['CHAINTRAIL_TAG_MISSING_FIELD', 4],
      ['CHAINTRAIL_BAD_ADDRESS', 8],
    ]);
    expect(problems[1]!.message).toBe(`${path}:4: the row has no label. Give every row an address and a label.`);
  });

  test('without a header, columns are address,label,category,source', async () => {
    const path = csv('plain.csv', `${A},Binance,exchange,my notes\n${B},Wasabi fee\n`);
    const { tags } = await readCsvTags(path);
    expect(tags.map((t) => [t.address, t.label, t.category, t.source])).toEqual([
      [A, 'Binance', 'exchange', 'my notes'],
      [B, 'Wasabi fee', null, 'csv:plain.csv'],
    ]);
  });

  test('a header may reorder columns and add confidence, which must be from the vocabulary', async () => {
    const path = csv('extra.csv', `label,address,confidence,colour\nBinance,${A},service_data,red\nKraken,${B},gut_feeling,blue\n`);
    const { tags, problems } = await readCsvTags(path);
    expect(tags.map((t) => [t.label, t.confidence])).toEqual([['Binance', 'service_data']]);
    expect(problems.map((p) => [p.severity, p.code, p.line])).toEqual([
      ['warning', 'CHAINTRAIL_TAG_UNKNOWN_FIELD', 1],
      ['error', 'CHAINTRAIL_TAG_BAD_CONFIDENCE', 3],
    ]);
  });

  test('a quote left open is a file error naming the file', async () => {
    const path = csv('broken.csv', `address,label\n${A},"Binance\n`);
    await expect(readCsvTags(path)).rejects.toBeInstanceOf(TagFileError);
    await expect(readCsvTags(path)).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_TAG_FILE', file: path });
  });

  test('streams in chunks', async () => {
    const path = csv('many.csv', Array.from({ length: 5 }, (_, i) => `${A},tag ${i}`).join('\n'));
    const sizes: number[] = [];
    for await (const chunk of streamCsvTags(path, { batchSize: 2 })) sizes.push(chunk.tags.length);
    expect(sizes).toEqual([2, 2, 1]);
  });
});
