import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fromHex } from '@chaintrail/core';
import { readXorKey, xorAt } from './block-file-xor.js';

/**
 * How blocks lie in a file:
 * - `blk`: Bitcoin Core's `blk*.dat` records, each the network magic, a 4-byte little-endian
 *   length and the block (`node/blockstorage.cpp` `WriteBlockToDisk`), possibly XORed;
 * - `raw`: the whole file is one serialized block;
 * - `hex`: text, one block in hex per line.
 */
export type BlockFraming = 'blk' | 'raw' | 'hex';

export interface BlockFile {
  readonly path: string;
  readonly framing: BlockFraming;
  /** Whether the file is obfuscated with the directory's `xor.dat` key. */
  readonly xor: boolean;
}

/** One block read from a file. For `hex`, `offset` is the position of its first hex digit. */
export interface BlockRecord {
  readonly kind: 'block';
  readonly offset: number;
  /** Bytes of the block (not of its hex). */
  readonly length: number;
  readonly bytes: Uint8Array;
}

/** A stretch of a file that holds no readable block, reported rather than guessed at. */
export interface SkippedRecord {
  readonly kind: 'skipped';
  readonly offset: number;
  readonly reason: string;
}

/** Network magic of each known network (`chainparams.cpp` `pchMessageStart`), as a little-endian u32. */
const MAGICS = new Set([
  0xd9b4bef9, // mainnet f9beb4d9
  0x0709110b, // testnet3 0b110907
  0x283f161c, // testnet4 1c163f28
  0x40cf030a, // signet 0a03cf40
  0xdab5bffa, // regtest fabfb5da
]);
/** Larger than any block Core accepts (4 MB weight), smaller than garbage read as a length. */
const MAX_BLOCK_BYTES = 8 * 1024 * 1024;
const BLK_NAME = /^blk\d+\.dat$/i;
const CANDIDATE = /\.(dat|blk|raw|bin|hex|txt)$/i;
const SCAN_WINDOW = 1 << 20;

/**
 * The block files at `path`: the file itself, or the candidate files of a directory (not
 * its subdirectories): `blk*.dat` in number order, then `.dat`, `.blk`, `.raw`, `.bin`,
 * `.hex` and `.txt` files by name. `rev*.dat` (undo data) and `xor.dat` are not blocks.
 */
export function listBlockFiles(path: string): { files: BlockFile[]; xorKey: Uint8Array | null } {
  const isDir = statSync(path).isDirectory();
  const dir = isDir ? path : dirname(path);
  const xorKey = readXorKey(dir);
  const names = isDir
    ? readdirSync(path, { withFileTypes: true })
        .filter((e) => (e.isFile() || (e.isSymbolicLink() && statSync(join(path, e.name)).isFile())) && CANDIDATE.test(e.name))
        .filter((e) => !/^rev\d+\.dat$/i.test(e.name) && e.name.toLowerCase() !== 'xor.dat')
        .map((e) => e.name)
        .sort(compareBlockFileNames)
    : [basename(path)];
  const files = names.map((name) => {
    const file = join(dir, name);
    const obfuscated = xorKey !== null && BLK_NAME.test(name);
    return { path: file, framing: obfuscated ? ('blk' as const) : sniffFraming(file), xor: obfuscated };
  });
  return { files, xorKey };
}

function compareBlockFileNames(a: string, b: string): number {
  const blkA = BLK_NAME.test(a);
  const blkB = BLK_NAME.test(b);
  if (blkA !== blkB) return blkA ? -1 : 1;
  if (blkA) return Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Magic at the start: `blk`; hex digits: `hex`; anything else: one `raw` block. */
function sniffFraming(path: string): BlockFraming {
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, head, 0, 8, 0);
    if (n >= 4 && MAGICS.has(head.readUInt32LE(0))) return 'blk';
    if (n > 0 && /^[0-9a-fA-F\s]+$/.test(head.subarray(0, n).toString('latin1'))) return 'hex';
    return 'raw';
  } finally {
    closeSync(fd);
  }
}

/**
 * The blocks of `file` from byte `from` on, one at a time (memory holds one block), and the
 * stretches that hold none. Returns where reading stopped: the end of the file, or the start
 * of an incomplete last record that a running node is still writing, to resume from later.
 */
export function* readBlockRecords(file: BlockFile, xorKey: Uint8Array | null, from = 0): Generator<BlockRecord | SkippedRecord, number> {
  const fd = openSync(file.path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (file.framing === 'blk') return yield* readBlk(fd, size, file.xor ? xorKey : null, from);
    if (file.framing === 'raw') {
      if (size > MAX_BLOCK_BYTES) {
        yield { kind: 'skipped', offset: 0, reason: `${size} bytes, more than any block; not a raw block file` };
        return size;
      }
      yield { kind: 'block', offset: 0, length: size, bytes: readAt(fd, 0, size, null) };
      return size;
    }
    return yield* readHexLines(fd, size, from);
  } finally {
    closeSync(fd);
  }
}

function* readBlk(fd: number, size: number, key: Uint8Array | null, from: number): Generator<BlockRecord | SkippedRecord, number> {
  let pos = from;
  while (pos + 8 <= size) {
    const head = readAt(fd, pos, 8, key);
    const view = new DataView(head.buffer, head.byteOffset, 8);
    const magic = view.getUint32(0, true);
    // Core preallocates blk files in chunks of zeros; the first zero magic ends the data.
    if (magic === 0) return pos;
    const length = view.getUint32(4, true);
    if (!MAGICS.has(magic) || length < 81 || length > MAX_BLOCK_BYTES) {
      const next = findMagic(fd, size, key, pos + 1);
      yield { kind: 'skipped', offset: pos, reason: `no block record here (magic ${hex32(magic)}, length ${length}); resumed at ${next === null ? 'end of file' : `offset ${next}`}` };
      if (next === null) return size;
      pos = next;
      continue;
    }
    if (pos + 8 + length > size) {
      yield { kind: 'skipped', offset: pos, reason: `the last record promises ${length} bytes, ${size - pos - 8} are there (file still being written, or cut off)` };
      return pos;
    }
    yield { kind: 'block', offset: pos + 8, length, bytes: readAt(fd, pos + 8, length, key) };
    pos += 8 + length;
  }
  return pos;
}

/** The next offset where a known magic starts, as Core's `LoadExternalBlockFile` scans for one. */
function findMagic(fd: number, size: number, key: Uint8Array | null, from: number): number | null {
  for (let start = from; start + 4 <= size; start += SCAN_WINDOW - 3) {
    const window = readAt(fd, start, Math.min(SCAN_WINDOW, size - start), key);
    const view = new DataView(window.buffer, window.byteOffset, window.length);
    for (let i = 0; i + 4 <= window.length; i++) if (MAGICS.has(view.getUint32(i, true))) return start + i;
  }
  return null;
}

function* readHexLines(fd: number, size: number, from: number): Generator<BlockRecord | SkippedRecord, number> {
  let pos = from;
  let carry = '';
  let carryStart = from;
  const chunk = Buffer.alloc(SCAN_WINDOW);
  while (pos < size) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - pos), pos);
    if (n <= 0) break;
    let text = carry + chunk.toString('latin1', 0, n);
    let textStart = carryStart;
    pos += n;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      yield* hexLine(text.slice(0, nl), textStart);
      textStart += nl + 1;
      text = text.slice(nl + 1);
    }
    carry = text;
    carryStart = textStart;
  }
  if (carry.length > 0) yield* hexLine(carry, carryStart);
  return size;
}

function* hexLine(line: string, lineStart: number): Generator<BlockRecord | SkippedRecord> {
  const lead = line.length - line.trimStart().length;
  const text = line.trim();
  if (text.length === 0 || text.startsWith('#')) return;
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) {
    yield { kind: 'skipped', offset: lineStart, reason: 'the line is not an even number of hex digits' };
    return;
  }
  yield { kind: 'block', offset: lineStart + lead, length: text.length / 2, bytes: fromHex(text) };
}

/**
 * `length` bytes of a block, starting `start` bytes into the block that begins at
 * `blockOffset` of the open file `fd`: how a transaction is read back from the index.
 */
export function readFromBlock(fd: number, file: BlockFile, xorKey: Uint8Array | null, blockOffset: number, start: number, length: number): Uint8Array {
  if (file.framing === 'hex') return fromHex(readAt(fd, blockOffset + 2 * start, 2 * length, null).toString('latin1'));
  return readAt(fd, blockOffset + start, length, file.xor ? xorKey : null);
}

function readAt(fd: number, position: number, length: number, key: Uint8Array | null): Buffer {
  const out = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n <= 0) throw new RangeError(`Block file ended at ${position + done}, ${length - done} bytes short.`);
    done += n;
  }
  if (key) xorAt(out, key, position);
  return out;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
