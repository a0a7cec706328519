import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { rmSync } from 'node:fs';
import { sharedData } from '../../../../test/support/shared-data.js';
import { readTagPack, streamTagPack } from './tagpack.js';
import { TagFileError } from './tag-problems.js';

const dir = mkdtempSync(join(tmpdir(), 'chaintrail-tagpack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function pack(text: string): string {
  const path = join(dir, `pack-${n++}.yaml`);
  writeFileSync(path, text);
  return path;
}

const BINANCE = '1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s';
const SEGWIT = 'bc1qs604c7jv6amk4cxqlnvuxv26hv3e48cds4m0ew';

describe('TagPack header inheritance', () => {
  test('header fields apply to every tag that lacks them, wherever the header sits', async () => {
    const path = pack(`# a pack
title: Test pack
creator: chaintrail tests
label: Binance
category: exchange
currency: BTC
confidence: service_data
source: https://example.org/binance
tags:
- address: ${BINANCE}
  actor: binance
- address: '${SEGWIT.toUpperCase()}'
  label: "Wasabi Fee"   # overrides the header
  category: coinjoin
  is_cluster_definer: false
lastmod: 2021-11-12
`);
    const { tags, problems } = await readTagPack(path, { source: 'tagpack:test' });
    expect(problems).toEqual([]);
    expect(tags).toEqual([
      { address: BINANCE, label: 'Binance', category: 'exchange', source: 'tagpack:test', confidence: 'service_data', url: 'https://example.org/binance', lastmod: '2021-11-12', abuse: null, actor: 'binance', context: null, origin: { file: path, line: 10 } },
      { address: SEGWIT, label: 'Wasabi Fee', category: 'coinjoin', source: 'tagpack:test', confidence: 'service_data', url: 'https://example.org/binance', lastmod: '2021-11-12', abuse: null, actor: null, context: null, isClusterDefiner: false, origin: { file: path, line: 12 } },
    ]);
  });

  test('tags of other chains are counted and skipped', async () => {
    const path = pack(`title: t\ncreator: c\nlabel: Archive\nsource: s\nconfidence: ownership\ntags:\n- address: ${BINANCE}\n  currency: BTC\n- address: '0xFA8E3920daF271daB92Be9B87d9998DDd94FEF08'\n  currency: ETH\n- address: x\n  network: LTC\n`);
    const { tags, otherChains, problems } = await readTagPack(path);
    expect(tags.map((t) => t.address)).toEqual([BINANCE]);
    expect(otherChains).toBe(2);
    expect(problems).toEqual([]);
  });
});

describe('TagPack validation names file and line', () => {
  test('each rejected tag is reported where its problem is, and the others are read', async () => {
    const path = pack(`title: t
creator: c
currency: BTC
source: s
tags:
- address: ${BINANCE}
  label: fine
  confidence: forensic
- address: ${BINANCE}
  confidence: forensic
- address: 1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1t
  label: typo
  confidence: forensic
- address: ${SEGWIT}
  label: rumour
  confidence: overheard
- address: ${SEGWIT}
  label: no confidence
- address: ${SEGWIT}
  label: [a, list]
  confidence: forensic
- tx_hash: ab
  label: a transaction
- address: [unclosed
  label: broken
`);
    const { tags, problems } = await readTagPack(path);
    expect(tags.map((t) => [t.label, t.origin?.line])).toEqual([['fine', 6], ['no confidence', 17]]);
    expect(problems.map((p) => [p.severity, p.code, p.line])).toEqual([
      ['error', 'CHAINTRAIL_TAG_MISSING_FIELD', 9],
      ['error', 'CHAINTRAIL_BAD_CHECKSUM', 11],
      ['error', 'CHAINTRAIL_TAG_BAD_CONFIDENCE', 16],
      ['warning', 'CHAINTRAIL_TAG_NO_CONFIDENCE', 17],
      ['error', 'CHAINTRAIL_TAG_BAD_FIELD', 20],
      ['warning', 'CHAINTRAIL_TAG_TX_TAG', 22],
      ['error', 'CHAINTRAIL_TAG_BAD_YAML', 25],
    ]);
    expect(problems[0]!.message).toBe(`${path}:9: the tag has no \`label\`, in the tag or the header. Every tag needs one.`);
  });

  test('a bad value inherited from the header is reported at the header line', async () => {
    const path = pack(`title: t\ncreator: c\ncurrency: BTC\nsource: s\nconfidence: maybe\ntags:\n- address: ${BINANCE}\n  label: x\n`);
    const { problems } = await readTagPack(path);
    expect(problems.map((p) => [p.code, p.line])).toEqual([['CHAINTRAIL_TAG_BAD_CONFIDENCE', 5]]);
  });

  test('a pack without title or creator imports nothing and says why', async () => {
    const path = pack(`creator: c\ncurrency: BTC\nsource: s\nlabel: x\ntags:\n- address: ${BINANCE}\n`);
    const { tags, problems } = await readTagPack(path);
    expect(tags).toEqual([]);
    expect(problems.map((p) => [p.code, p.message])).toEqual([['CHAINTRAIL_TAGPACK_MISSING_HEADER', `${path}:1: the TagPack header has no \`title\`; no tag of this pack is imported. Add \`title:\` at the top.`]]);
  });

  test('a header that is not YAML is a file error with its line', async () => {
    const path = pack(`title: t\ncreator: c: d\ntags:\n- address: ${BINANCE}\n`);
    await expect(readTagPack(path)).rejects.toThrow(TagFileError);
    await expect(readTagPack(path)).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_TAG_FILE', file: path, line: 2 });
  });

  test('a flow-style tag list is read by the full YAML reader, lines included', async () => {
    const path = pack(`title: t\ncreator: c\ncurrency: BTC\nsource: s\nconfidence: forensic\ntags: [\n  {address: ${BINANCE}, label: one},\n  {address: nope, label: two}\n]\n`);
    const { tags, problems } = await readTagPack(path);
    expect(tags.map((t) => [t.label, t.origin?.line])).toEqual([['one', 7]]);
    expect(problems.map((p) => [p.code, p.line])).toEqual([['CHAINTRAIL_BAD_ADDRESS_LENGTH', 8]]);
  });

  test('a nested list (concepts) is read through the YAML reader', async () => {
    const path = pack(`title: t\ncreator: c\ncurrency: BTC\nsource: s\nconfidence: forensic\ntags:\n  - address: ${BINANCE}\n    label: one\n    concepts:\n      - exchange\n      - sanction\n`);
    const { tags } = await readTagPack(path);
    expect(tags.map((t) => [t.concepts, t.origin?.line])).toEqual([[['exchange', 'sanction'], 7]]);
  });
});

describe('TagPack streaming', () => {
  test('hands out tags in chunks of the batch size', async () => {
    const body = Array.from({ length: 5 }, (_, i) => `- address: ${BINANCE}\n  label: tag ${i}`).join('\n');
    const path = pack(`title: t\ncreator: c\ncurrency: BTC\nsource: s\nconfidence: forensic\ntags:\n${body}\n`);
    const sizes: number[] = [];
    for await (const chunk of streamTagPack(path, { batchSize: 2 })) sizes.push(chunk.tags.length);
    expect(sizes).toEqual([2, 2, 1]);
  });
});

describe('the real GraphSense packs', () => {
  test('every pack parses; the BTC tags match the data README (499,327 tags over 483,296 addresses)', { timeout: 240_000 }, async () => {
    const packs = sharedData('tags', 'graphsense-tagpacks', 'packs');
    let accepted = 0;
    let otherChains = 0;
    const addresses = new Set<string>();
    const rejectedAddresses = new Set<string>();
    const codes = new Map<string, number>();
    for (const name of readdirSync(packs).sort()) {
      const path = join(packs, name);
      const lines = readFileSync(path, 'utf8').split('\n');
      for await (const chunk of streamTagPack(path)) {
        accepted += chunk.tags.length;
        otherChains += chunk.otherChains;
        for (const t of chunk.tags) addresses.add(t.address);
        for (const p of chunk.problems) {
          codes.set(p.code, (codes.get(p.code) ?? 0) + 1);
          expect(p.message.startsWith(`${path}:${p.line}: `)).toBe(true);
          if (p.severity === 'error') {
            const address = /Invalid address "([^"]+)"/.exec(p.message)![1]!;
            expect(lines[p.line - 1]).toContain(address);
            rejectedAddresses.add(address);
          }
        }
      }
    }
    const rejected = (codes.get('CHAINTRAIL_BAD_CHECKSUM') ?? 0) + (codes.get('CHAINTRAIL_BAD_ADDRESS') ?? 0);
    expect(accepted + rejected).toBe(499_327);
    expect(addresses.size + rejectedAddresses.size).toBe(483_296);
    expect(otherChains).toBe(3_465);
    expect(Object.fromEntries(codes)).toEqual({ CHAINTRAIL_TAG_NO_CONFIDENCE: 924, CHAINTRAIL_BAD_CHECKSUM: 8, CHAINTRAIL_BAD_ADDRESS: 2 });
  });
});
