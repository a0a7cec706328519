import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, parseTransaction, toHex, verifyMerkleProof } from '@chaintrail/core';
import { openBlockFileSource, requirePrevouts, type BlockFileSource, type BlockFileSourceOptions, type SourceTx } from '@chaintrail/chain';
import { caught } from './caught.js';
import { allPages } from './paging.js';
import { sharedData } from '../support/shared-data.js';
import { blkFrames } from './real-world.js';

const block170Payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
/** Satoshi's block 9 key (P2PK), which explorers show as this P2PKH address. */
const satoshi = '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S';
/** Block 413567: four inputs whose parents are in no test file. */
const orphanInputs = 'a6304501c08ad56057b131edb82f24668bac41b57c5093d465f3f760f136fe42';
const MAGIC = Buffer.from('f9beb4d9', 'hex');

interface ManifestEntry {
  file: string;
  blocks: { hash: string; prev: string; bip34Height: number | null }[];
}

/** MANIFEST.json, with firstblocks.blk (summarised there) listed from firstblocks.index.csv. */
const manifest = (JSON.parse(readFileSync(sharedData('blocks', 'MANIFEST.json'), 'utf8')) as { file: string; blocks: unknown }[]).map((entry): ManifestEntry => {
  if (Array.isArray(entry.blocks)) return entry as ManifestEntry;
  const rows = readFileSync(sharedData('blocks', 'hadoopcryptoledger', 'firstblocks.index.csv'), 'utf8').trim().split('\n').slice(1);
  return { file: entry.file, blocks: rows.map((row) => ({ hash: row.split(',')[1] as string, prev: row.split(',')[2] as string, bip34Height: null })) };
});
const firstBlocks = blkFrames(readFileSync(sharedData('blocks', 'hadoopcryptoledger', 'firstblocks.blk')));

let root: string;
const open: BlockFileSource[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chaintrail-blocks-'));
});
afterEach(async () => {
  for (const source of open.splice(0)) await source.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dir(name: string): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return path;
}

async function openSource(path: string, options: Partial<BlockFileSourceOptions> = {}): Promise<BlockFileSource> {
  const source = await openBlockFileSource(path, { indexPath: join(root, 'indexes', `${path.replaceAll('/', '_')}.sqlite`), ...options });
  open.push(source);
  return source;
}

/** Blocks as Bitcoin Core frames them in blk*.dat: magic, little-endian length, block. */
function frame(blocks: readonly Uint8Array[]): Buffer {
  return Buffer.concat(blocks.flatMap((b) => [MAGIC, Buffer.from(Uint32Array.of(b.length).buffer), b]));
}


describe('block files: every real test block', () => {
  let source: BlockFileSource;
  beforeAll(async () => {
    // One directory of links to every block file of ../shared/data/blocks (not copies).
    const all = dir('all');
    for (const entry of manifest) symlinkSync(sharedData('blocks', entry.file), join(all, entry.file.replace('/', '-')));
    symlinkSync(sharedData('blocks', 'btcd', 'blockheaders-mainnet-1-11.txt'), join(all, 'btcd-blockheaders-mainnet-1-11.txt'));
    source = await openBlockFileSource(all, { indexPath: join(root, 'all.sqlite'), pageSize: 2 });
  });
  afterAll(() => source.close());

  /** Known heights: BIP34, the order of firstblocks.blk, and three blocks placed by their links. */
  const expected = manifest.flatMap((entry) =>
    entry.blocks.map((block, i) => {
      let height = entry.file.endsWith('firstblocks.blk') ? i : block.bip34Height;
      let why = height === null ? 'no BIP34 height and no link to a known block' : 'BIP34 or its place in firstblocks';
      if (block.prev === '0'.repeat(64)) [height, why] = [0, 'the genesis block'];
      if (entry.file === 'bitcoin-core-bench/block1.raw') [height, why] = [1, 'child of the genesis block'];
      if (entry.file === 'bitcoinj/block227835.dat') [height, why] = [227835, 'parent of block 227836, whose coinbase says 227836'];
      return { name: `${entry.file} ${block.hash.slice(0, 20)}`, hash: block.hash, height, why };
    }),
  );

  it.each(expected)('$name is at height $height ($why)', async ({ hash, height }) => {
    const header = await source.blockHeader(hash);
    expect(header?.hash).toBe(hash);
    expect(header?.height ?? null).toBe(height);
  });

  it('reports what it read, what it skipped and what it could not resolve', () => {
    const report = source.report();
    const blocks = new Set(manifest.flatMap((e) => e.blocks.map((b) => b.hash)));
    expect(report.blocks).toBe(blocks.size);
    expect(report.duplicateBlocks).toBe(manifest.reduce((n, e) => n + e.blocks.length, 0) - blocks.size);
    // The headers file holds 80-byte headers, one per line: no block in it.
    expect(report.skipped.count).toBe(11);
    expect(report.skipped.examples[0]?.file).toContain('blockheaders');
    expect(report.unresolvedPrevouts.count).toBeGreaterThan(0);
    expect(report.unresolvedPrevouts.examples[0]?.prevout).toMatch(/^[0-9a-f]{64}:\d+$/);
    expect(report.staleBlocks).toBe(0);
  });

  it('finds a transaction offline, placed, with prevouts read from the hashed parent', async () => {
    const tx = await source.tx(block170Payment);
    expect(parseTransaction(fromHex(tx?.raw ?? '')).txid).toBe(block170Payment);
    expect(tx?.placement).toEqual({ blockHash: '00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee', blockHeight: 170, blockTime: 1231731025, position: 1 });
    expect(tx?.prevoutTrust).toBe('verified');
    expect(tx?.prevouts[0]).toMatchObject({ txid: '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9', vout: 0, value: 5_000_000_000, address: satoshi });
  });

  it('reports inputs whose parents are in no file instead of guessing them', async () => {
    const tx = (await source.tx(orphanInputs)) as SourceTx;
    expect(tx.prevouts).toEqual([null, null, null, null]);
    expect(tx.unresolvedPrevouts).toEqual(tx.tx.inputs.map((i) => i.prevout));
    expect(() => requirePrevouts(tx, source.description)).toThrow(expect.objectContaining({ code: 'CHAINTRAIL_UNRESOLVED_PREVOUT', outpoints: tx.unresolvedPrevouts }) as Error);
    const resolved = (await source.tx(block170Payment)) as SourceTx;
    expect(requirePrevouts(resolved, source.description).map((p) => p.value)).toEqual([5_000_000_000]);
  });

  it("names the input spending an output from the index's spend links, null for an unspent or unknown output", async () => {
    const block9Coinbase = '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9';
    const payment = (await source.tx(block170Payment)) as SourceTx;
    const outpoints = [{ txid: block9Coinbase, vout: 0 }, ...payment.tx.outputs.map((_, vout) => ({ txid: block170Payment, vout })), { txid: orphanInputs, vout: 99 }, { txid: '11'.repeat(32), vout: 0 }];
    const answers = await source.outspends(outpoints);
    expect(answers[0]).toEqual({ txid: block170Payment, vin: 0 });
    // Whatever the files say spends block 170's outputs must name them in its input.
    const later = await Promise.all(answers.slice(1, -2).map(async (a) => a && (await source.tx(a.txid))?.tx.inputs[a.vin]?.prevout));
    expect(later).toEqual(answers.slice(1, -2).map((a, i) => a && { txid: block170Payment, vout: i }));
    expect(answers.slice(-2)).toEqual([null, null]);
    await expect(source.outspends([{ txid: 'not a txid', vout: 0 }])).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_HASH' });
  });

  it('pages an address history newest first, every transaction touching the address', async () => {
    const txs = await allPages(source, satoshi);
    const heights = txs.map((t) => t.placement?.blockHeight);
    expect(heights).toEqual([...heights].sort((a, b) => (b ?? 0) - (a ?? 0)));
    expect(txs.map((t) => t.tx.txid)).toContain(block170Payment);
    expect(txs.at(-1)?.tx.txid).toBe('0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9');
    for (const { tx, prevouts } of txs) expect([...tx.outputs, ...prevouts].some((o) => o?.address === satoshi)).toBe(true);
    await expect(source.addressTxs(satoshi, { afterTxid: orphanInputs })).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_CURSOR' });
    expect((await source.addressTxs('1BitcoinEaterAddressDontSendf59kuE')).txs).toEqual([]);
  });

  it('proves a transaction with a merkle branch checked against the header in the file', async () => {
    const proof = await source.merkleProof(block170Payment);
    expect(proof && verifyMerkleProof(block170Payment, proof, proof.header.merkleRoot)).toBe(true);
    expect(proof?.pos).toBe(1);
    expect(await source.merkleProof('00'.repeat(32))).toBeNull();
  });

  it('names the latest block as the tip', async () => {
    expect(await source.tip()).toEqual({ height: 556977, hash: manifest.find((e) => e.file.endsWith('block2019Jan.blk'))?.blocks[0]?.hash });
  });
});

describe('block files as Bitcoin Core writes them', () => {
  it('reads blk files obfuscated with xor.dat (Core 28+), and reports them unreadable without the key', async () => {
    const plain = dir('plain');
    const obfuscated = dir('xor');
    const bytes = frame(firstBlocks.slice(0, 200));
    writeFileSync(join(plain, 'blk00000.dat'), bytes);
    const key = Buffer.from('a1b2c3d4e5f60718', 'hex');
    writeFileSync(join(obfuscated, 'xor.dat'), key);
    writeFileSync(join(obfuscated, 'blk00000.dat'), bytes.map((b, i) => b ^ (key[i % 8] as number)));
    const expected = await openSource(plain);
    const actual = await openSource(obfuscated);
    expect(actual.report().blocks).toBe(200);
    expect(await actual.tx(block170Payment)).toEqual(await expected.tx(block170Payment));
    expect(await actual.tip()).toEqual(await expected.tip());

    await actual.close();
    unlinkSync(join(obfuscated, 'xor.dat'));
    const withoutKey = await openSource(obfuscated);
    expect(withoutKey.report()).toMatchObject({ blocks: 0, refresh: { rebuilt: true } });
    expect(withoutKey.report().skipped.count).toBeGreaterThan(0);
  });

  it('orders blocks stored out of order by their header links', async () => {
    const shuffled = dir('shuffled');
    const blocks = firstBlocks.slice(0, 300);
    writeFileSync(join(shuffled, 'blk00000.dat'), frame([...blocks.slice(150)].reverse()));
    writeFileSync(join(shuffled, 'blk00001.dat'), frame([...blocks.slice(0, 150)].reverse()));
    const source = await openSource(shuffled);
    expect(await source.tip()).toMatchObject({ height: 299 });
    expect((await source.blockHeader(170))?.hash).toBe('00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee');
    // Children were read before their parents; every input is still linked.
    expect(source.report().unresolvedPrevouts.count).toBe(0);
    expect((await source.tx(block170Payment))?.unresolvedPrevouts).toEqual([]);
  });

  it('indexes only what was appended to a growing blk file, and a record cut short once it is complete', async () => {
    const growing = dir('growing');
    const file = join(growing, 'blk00000.dat');
    const complete = frame(firstBlocks.slice(0, 300));
    const next = frame(firstBlocks.slice(300, 301));
    writeFileSync(file, Buffer.concat([complete, next.subarray(0, 100)]));
    const first = await openSource(growing);
    expect(first.report()).toMatchObject({ blocks: 300, skipped: { count: 1 } });
    expect(first.report().skipped.examples[0]?.reason).toContain('still being written');
    await first.close();

    appendFileSync(file, next.subarray(100));
    appendFileSync(file, frame(firstBlocks.slice(301)));
    const second = await openSource(growing);
    expect(second.report()).toMatchObject({ blocks: 590, skipped: { count: 0 }, refresh: { filesRead: 1, rebuilt: false, bytesRead: statSync(file).size - complete.length } });
    expect(await second.tip()).toMatchObject({ height: 589 });

    await second.close();
    const third = await openSource(growing);
    expect(third.report().refresh).toEqual({ filesRead: 0, bytesRead: 0, rebuilt: false });
  });

  it('rejects a transaction whose file changed after indexing, rather than returning other bytes', async () => {
    const changed = dir('changed');
    const file = join(changed, 'blk00000.dat');
    writeFileSync(file, frame(firstBlocks.slice(0, 200)));
    const source = await openSource(changed);
    const { mtime } = statSync(file);
    const location = readFileSync(file).indexOf(Buffer.from(fromHex((await source.rawTx(block170Payment)) ?? '')));
    const bytes = readFileSync(file);
    bytes[location + 50] = (bytes[location + 50] as number) ^ 0xff;
    writeFileSync(file, bytes);
    utimesSync(file, mtime, mtime);
    const error = await caught(source.tx(block170Payment));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_BAD_ANSWER');
    expect(error.message).toContain('re-index');
  });
});

describe('single block files and hex', () => {
  it('opens one raw block file and takes its height from BIP34', async () => {
    const source = await openSource(sharedData('blocks', 'bitcoin-core-bench', 'block413567.raw'));
    expect(source.report()).toMatchObject({ files: 1, blocks: 1, transactions: 1557 });
    expect(await source.tip()).toEqual({ height: 413567, hash: '0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069' });
  });

  it('reads blocks written as hex, one per line', async () => {
    const hex = dir('hex');
    writeFileSync(join(hex, 'blocks.hex'), `${firstBlocks.slice(0, 10).map((b) => toHex(b)).join('\n')}\n\nnot hex\n`);
    const source = await openSource(join(hex, 'blocks.hex'));
    expect(source.report()).toMatchObject({ blocks: 10, skipped: { count: 1 } });
    expect(await source.rawTx('0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098')).toBe(toHex(firstBlocks[1] as Uint8Array).slice(162));
    expect(await source.tip()).toMatchObject({ height: 9 });
  });
});
