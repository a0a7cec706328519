import { readFileSync } from 'node:fs';
import { sharedData } from './shared-data.js';

/** One file of ../shared/data/blocks as MANIFEST.json describes it. */
export interface ManifestFile {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly nBlocks: number;
  readonly txs: number;
  readonly consecutiveLinks: number;
  /** Every block of the file, or for firstblocks.blk (590 blocks) a summary. */
  readonly blocks: readonly ManifestBlock[] | ManifestSummary;
}

export interface ManifestSummary {
  readonly first: string;
  readonly last: string;
  readonly firstTime: string;
  readonly lastTime: string;
}

export interface ManifestBlock {
  readonly hash: string;
  readonly prev: string;
  readonly merkleRoot: string;
  readonly bip34Height: number | null;
  /** ISO date of the header time. */
  readonly time: string;
  /** Hex with 0x prefix. */
  readonly version: string;
  readonly bits: string;
  readonly nonce: number;
  readonly ntx: number;
  readonly nSegwitTx: number;
  readonly size: number;
}

export function readBlocksManifest(): ManifestFile[] {
  return JSON.parse(readFileSync(sharedData('blocks', 'MANIFEST.json'), 'utf8')) as ManifestFile[];
}

const MAINNET_MAGIC = 0xd9b4bef9;

/**
 * The raw blocks of a file under ../shared/data/blocks: Bitcoin Core blk framing (4-byte
 * magic f9beb4d9, 4-byte little-endian length, block) when the file starts with the magic,
 * else one raw block. The real block-file source is in @chaintrail/chain; this is only
 * enough for tests and benchmarks over known-good files.
 */
export function readRealBlockFile(file: string): Uint8Array[] {
  const bytes = new Uint8Array(readFileSync(sharedData('blocks', file)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0, true) !== MAINNET_MAGIC) return [bytes];
  const blocks: Uint8Array[] = [];
  let pos = 0;
  while (pos + 8 <= bytes.length) {
    if (view.getUint32(pos, true) !== MAINNET_MAGIC) throw new Error(`${file}: no block magic at byte ${pos}`);
    const length = view.getUint32(pos + 4, true);
    if (pos + 8 + length > bytes.length) throw new Error(`${file}: block at byte ${pos} runs past the end of the file`);
    blocks.push(bytes.subarray(pos + 8, pos + 8 + length));
    pos += 8 + length;
  }
  if (pos !== bytes.length) throw new Error(`${file}: ${bytes.length - pos} stray bytes at the end`);
  return blocks;
}

/** Every block file listed in MANIFEST.json, read. */
export function readAllRealBlocks(): { readonly entry: ManifestFile; readonly blocks: Uint8Array[] }[] {
  return readBlocksManifest().map((entry) => ({ entry, blocks: readRealBlockFile(entry.file) }));
}

/** The 80-byte headers of btcd/blockheaders-mainnet-1-11.txt (blocks 1 to 11), one hex line each. */
export function readHeaderFile(): Uint8Array[] {
  return readFileSync(sharedData('blocks', 'btcd', 'blockheaders-mainnet-1-11.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => Uint8Array.from(Buffer.from(line, 'hex')));
}
