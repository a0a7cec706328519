import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { sharedData } from '../../../../test/support/shared-data.js';
import { readOfacList } from './ofac.js';
import { TagFileError } from './tag-problems.js';

describe('OFAC SDN address list', () => {
  test.each(['txt', 'json'])('the real list (%s): 435 entries, 434 tags, the Tron-format entry rejected with its line', async (ext) => {
    const path = sharedData('tags', 'ofac', `sanctioned_addresses_XBT.${ext}`);
    const { tags, problems } = await readOfacList(path);
    expect(tags.length + problems.length).toBe(435);
    expect(tags).toHaveLength(434);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', code: 'CHAINTRAIL_BAD_ADDRESS', line: ext === 'txt' ? 355 : 356 });
    expect(problems[0]!.message).toContain('TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq');
    expect(problems[0]!.message).toContain('Tron');
    expect(tags[0]).toEqual({
      address: '123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX',
      label: 'OFAC SDN list',
      category: 'sanction',
      source: `ofac:sanctioned_addresses_XBT.${ext}`,
      confidence: 'authority_data',
      url: null,
      origin: { file: path, line: ext === 'txt' ? 1 : 2 },
    });
  });

  test('the text and JSON forms of the list give the same addresses', async () => {
    const txt = await readOfacList(sharedData('tags', 'ofac', 'sanctioned_addresses_XBT.txt'));
    const json = await readOfacList(sharedData('tags', 'ofac', 'sanctioned_addresses_XBT.json'));
    expect(txt.tags.map((t) => t.address)).toEqual(json.tags.map((t) => t.address));
  });

  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-ofac-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a broken JSON list is a file error with its line', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '[\n  "123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX",\n  "unterminated\n]\n');
    await expect(readOfacList(path)).rejects.toBeInstanceOf(TagFileError);
  });

  test('blank and comment lines of a text list are skipped; a missing file is a file error', async () => {
    const path = join(dir, 'list.txt');
    writeFileSync(path, '# SDN list\n\n123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX\r\n');
    const { tags } = await readOfacList(path);
    expect(tags.map((t) => [t.address, t.origin?.line])).toEqual([['123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX', 3]]);
    await expect(readOfacList(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_TAG_FILE' });
  });
});
