import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeHasher } from '@chaintrail/chain';
import { isValidAddress, parseBlock } from '@chaintrail/core';
import { readBlocksManifest, readRealBlockFile } from '../support/real-blocks.js';
import { sharedData } from '../support/shared-data.js';
import { chaintrailJson } from './cli-binary.js';
import { tempDir } from './scenario-world.js';

/** Real blocks that carry outputs to addresses in the real tag files (found by scanning every block in ../shared/data). */
const BLOCK_FILES = ['hadoopcryptoledger/version4.blk', 'hadoopcryptoledger/scriptwitness2.blk', 'hadoopcryptoledger/block2019Jan.blk', 'bitcoinj/block481829.dat'];
const TAG_FILES = [
  ['tags', 'graphsense-tagpacks', 'packs', 'ransomware.yaml'],
  ['tags', 'graphsense-tagpacks', 'packs', 'ransomwhere.yaml'],
  ['tags', 'graphsense-tagpacks', 'packs', 'ponzi_scheme.yaml'],
  ['tags', 'graphsense-tagpacks', 'packs', 'interpol-real_services.yaml'],
  ['tags', 'ofac', 'sanctioned_addresses_XBT.txt'],
  ['tags', 'ofac', 'sanctioned_addresses_XBT.json'],
];

interface TaggedOutput {
  readonly address: string;
  readonly txid: string;
  readonly value: number;
}

/** Addresses in a tag file, read with a plain regular expression rather than chaintrail's parsers. */
function addressesIn(parts: readonly string[]): Set<string> {
  const text = readFileSync(sharedData(...parts), 'utf8');
  return new Set([...text.matchAll(/\b(bc1[a-z0-9]{11,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b/g)].map((m) => m[1] as string));
}

/** Outputs of the chosen blocks paying one of `addresses`, found by parsing the blocks in the test. */
function outputsPaying(addresses: ReadonlySet<string>): TaggedOutput[] {
  const hits: TaggedOutput[] = [];
  for (const file of BLOCK_FILES) {
    for (const raw of readRealBlockFile(file)) {
      for (const tx of parseBlock(raw, { hasher: nodeHasher }).transactions) {
        for (const output of tx.outputs) if (output.address !== null && addresses.has(output.address)) hits.push({ address: output.address, txid: tx.txid, value: output.value });
      }
    }
  }
  return hits;
}

interface SeedRow {
  address: string;
  txCount: number;
  received: string;
  tags: { label: string; source: string; abuse: string | null; category: string | null }[];
  entity: { id: string; label: string | null } | null;
}

describe('real mainnet blocks with the real tag files', () => {
  const home = { home: tempDir('real') };
  const ransomware = addressesIn(TAG_FILES[0] as string[]);
  const ofac = new Set([...addressesIn(TAG_FILES[4] as string[])].filter((a) => isValidAddress(a, { network: 'mainnet' })));
  const ransomOutputs = outputsPaying(ransomware);
  const ofacOutputs = outputsPaying(ofac);
  const otherTagged = outputsPaying(new Set([...addressesIn(TAG_FILES[2] as string[]), ...addressesIn(TAG_FILES[3] as string[])]));
  let seeds: SeedRow[];
  let tagImport: { stores: { files: { file: string; tags: number; errors: number; problems: { message: string }[] }[] }[] };

  beforeAll(async () => {
    const blocks = join(home.home, 'blocks');
    mkdirSync(blocks);
    BLOCK_FILES.forEach((file, i) => symlinkSync(sharedData('blocks', file), join(blocks, `${i}-${file.replace('/', '-')}`)));
    // The seized list: every address of the blocks that a ransomware, sanctions, Ponzi or Interpol tag names.
    const list = join(home.home, 'seeds.txt');
    writeFileSync(list, `${[...new Set([...ransomOutputs, ...ofacOutputs, ...otherTagged].map((o) => o.address))].join('\n')}\n`);
    await chaintrailJson(['case', 'create', 'real'], home);
    await chaintrailJson(['import', list, '--case', 'real'], home);
    await chaintrailJson(['ingest', '--case', 'real', '--source', `blocks:${blocks}`, '--hops-back', '1', '--hops-forward', '1', '--no-cluster'], home);
    tagImport = await chaintrailJson(['tags', 'import', ...TAG_FILES.map((parts) => sharedData(...parts)), '--case', 'real'], home);
    await chaintrailJson(['cluster', '--case', 'real'], home);
    seeds = (await chaintrailJson<{ seeds: SeedRow[] }>(['case', 'show', 'real', '--all'], home)).seeds;
  }, 600_000);

  it('finds the ransomware payments in the blocks and attributes them to their ransomware family', () => {
    expect(ransomOutputs.length).toBeGreaterThan(0);
    for (const output of ransomOutputs) {
      const seed = seeds.find((s) => s.address === output.address);
      expect(seed?.txCount).toBeGreaterThan(0);
      expect(BigInt(seed?.received ?? '0')).toBeGreaterThanOrEqual(BigInt(output.value));
      const tags = seed?.tags ?? [];
      expect(tags.some((t) => t.abuse === 'ransomware' && t.source === 'tagpack:ransomware.yaml')).toBe(true);
      expect(tags.some((t) => t.abuse === 'ransomware' && t.source === 'tagpack:ransomwhere.yaml')).toBe(true);
      expect(seed?.entity?.label).toBe(tags[0]?.label);
    }
  });

  it('attributes every other tagged output of the seeds with its tag and source', () => {
    for (const output of otherTagged) {
      const seed = seeds.find((s) => s.address === output.address);
      expect(seed?.txCount).toBeGreaterThan(0);
      expect(seed?.tags.length).toBeGreaterThan(0);
      expect(seed?.entity?.label ?? null).not.toBeNull();
    }
  });

  it('screens against the OFAC list: each listed address read, the non-Bitcoin entry reported, every listed output in the blocks found', () => {
    const [txt, json] = (tagImport.stores[0]?.files ?? []).filter((f) => f.file.includes('sanctioned_addresses_XBT'));
    expect(txt?.tags).toBe(ofac.size);
    expect(json?.tags).toBe(ofac.size);
    expect(txt?.errors).toBeGreaterThanOrEqual(1);
    expect(txt?.problems.some((p) => /sanctioned_addresses_XBT\.txt:\d+:/.test(p.message))).toBe(true);
    const sanctionedSeeds = seeds.filter((s) => s.tags.some((t) => t.category === 'sanction')).map((s) => s.address);
    expect(sanctionedSeeds.sort()).toEqual([...new Set(ofacOutputs.map((o) => o.address))].sort());
  });

  it('summarises real block files the way their manifest describes them', async () => {
    const entry = readBlocksManifest().find((f) => f.file === 'hadoopcryptoledger/firstblocks.blk');
    const result = await chaintrailJson<{ summaries: { blocks: number; transactions: number; heights: { min: number; max: number } | null; byScriptType: Record<string, { outputs: number }> }[] }>(
      ['blocks', 'summary', sharedData('blocks', 'hadoopcryptoledger', 'firstblocks.blk')],
      home,
    );
    const summary = result.summaries[0];
    expect(summary?.blocks).toBe(entry?.nBlocks);
    expect(summary?.transactions).toBe(entry?.txs);
    expect(summary?.heights).toEqual({ min: 0, max: (entry?.nBlocks ?? 0) - 1 });
    expect(summary?.byScriptType['p2pk']?.outputs).toBeGreaterThan(0);
  });
});
