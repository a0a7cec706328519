import { ByteCursor } from './byte-cursor.js';
import { nobleHasher, sha256d, type Hasher, type HasherOption } from './hash.js';
import { toHex, toReversedHashesHex, toReversedHex, type HexEncoder } from './hex.js';
import { merkleRootWithMutation } from './merkle.js';
import type { Block, BlockHeader, Network, Transaction, TxOutput } from './model.js';
import { NETWORKS, type NetworkParams } from './networks.js';
import { BadBlockError } from './parse-errors.js';
import { checkProofOfWork } from './pow.js';
import { ParsedInput, ParsedOutput, TxBytes } from './parsed-tx-parts.js';
import { scriptTypeAt } from './script.js';
import { shortSha256 } from './short-sha256.js';

/**
 * Zero-copy deserialization of Bitcoin transactions and blocks (the wire format of Bitcoin
 * Core's `primitives/transaction.h` and BIP144). Txids are hashed from slices of the input,
 * never from a re-serialization, so they prove the bytes that were read.
 */

export interface ParseOptions extends HasherOption {
  /** Network the output addresses are encoded for; default mainnet. */
  readonly network?: Network;
  /**
   * Encodes each transaction's bytes as hex (its scripts and witness items are slices of
   * that string); default core's portable {@link toHex}. Pass `nodeHexEncoder` from
   * @chaintrail/chain on Node: the same strings, made natively.
   */
  readonly hexEncoder?: HexEncoder;
}

export interface BlockParseOptions extends ParseOptions {
  /**
   * Also recompute the merkle root from the transactions (rejecting CVE-2012-2459 duplicate
   * trees) and check the header's proof of work against its bits; a failure throws
   * `CHAINTRAIL_BAD_BLOCK`. Off by default: the bytes are often already verified upstream.
   */
  readonly verify?: boolean;
}

/** Largest amount of satoshis that can exist (Bitcoin Core `MAX_MONEY`). */
const MAX_MONEY = 21_000_000 * 100_000_000;
export const BLOCK_HEADER_SIZE = 80;

/**
 * Where the parts of one serialized transaction lie in a buffer: enough to hash its txid
 * from the original bytes without copying.
 * - legacy: `[start, end)` is the whole serialization and also what the txid hashes;
 * - segwit (BIP144): the txid hashes `[start, start+4)`, `[ioStart, ioEnd)` and `[end-4, end)`
 *   (version, inputs and outputs, locktime), skipping marker, flag and witnesses.
 */
export interface TxSpan {
  readonly start: number;
  readonly end: number;
  /** Offset of the input count: start + 4, or start + 6 after a segwit marker and flag. */
  readonly ioStart: number;
  /** Offset just past the last output; witness data, if any, runs from here to end - 4. */
  readonly ioEnd: number;
  readonly hasWitness: boolean;
  readonly inputCount: number;
  readonly outputCount: number;
}

/** The layout of a block: its header and the span of every transaction, nothing decoded. */
export interface BlockSpans {
  readonly header: BlockHeader;
  readonly txs: readonly TxSpan[];
  /** Offset just past the last transaction. */
  readonly end: number;
}

/** Decodes one raw transaction; the whole of `bytes` must be that transaction. */
export function parseTransaction(bytes: Uint8Array, options?: ParseOptions): Transaction {
  // A copy the lazily read fields can rely on: the caller may reuse or change `bytes`.
  const cursor = new ByteCursor(new Uint8Array(bytes), 0, false);
  const tx = readTransaction(cursor, NETWORKS[options?.network ?? 'mainnet'], options?.hasher ?? nobleHasher, options?.hexEncoder ?? toHex);
  if (cursor.pos !== bytes.length) cursor.fail(`${bytes.length - cursor.pos} bytes after the end of the transaction`);
  return tx;
}

/** Decodes a raw block (80-byte header, CompactSize count, transactions); the whole of `bytes`. */
export function parseBlock(bytes: Uint8Array, options?: BlockParseOptions): Block {
  const hasher = options?.hasher ?? nobleHasher;
  const encodeHex = options?.hexEncoder ?? toHex;
  const params = NETWORKS[options?.network ?? 'mainnet'];
  const header = parseBlockHeader(bytes, 0, { hasher });
  // A copy the lazily read fields can rely on: the caller may reuse or change `bytes`
  // (block file readers do). One copy per block costs little next to the parse; the
  // constructor copies where `Buffer#slice` would not.
  const cursor = new ByteCursor(new Uint8Array(bytes), BLOCK_HEADER_SIZE, true);
  cursor.context = 'block';
  const count = cursor.compactSize('transaction count');
  const transactions = new Array<Transaction>(count);
  for (let i = 0; i < count; i++) {
    cursor.context = `transaction ${i} of block ${header.hash}`;
    transactions[i] = readTransaction(cursor, params, hasher, encodeHex);
  }
  cursor.context = `block ${header.hash}`;
  if (cursor.pos !== bytes.length) cursor.fail(`${bytes.length - cursor.pos} bytes after the last transaction`);
  if (count === 0) cursor.fail('a block has at least its coinbase transaction', BLOCK_HEADER_SIZE);
  const block: Block = { header, transactions, size: bytes.length };
  if (options?.verify) verifyBlock(block, options.network ?? 'mainnet', hasher);
  return block;
}

/**
 * Checks what makes a block's content provable: the merkle root of its txids equals the
 * header's (with no duplicated subtree, CVE-2012-2459) and the header's hash meets its bits.
 * Throws `CHAINTRAIL_BAD_BLOCK`.
 */
export function verifyBlock(block: Block, network: Network = 'mainnet', hasher: Hasher = nobleHasher): void {
  const { root, mutated } = merkleRootWithMutation(
    block.transactions.map((tx) => tx.txid),
    { hasher },
  );
  if (mutated) throw new BadBlockError('duplicated transactions make its merkle tree ambiguous (CVE-2012-2459)', BLOCK_HEADER_SIZE, `block ${block.header.hash}`);
  if (root !== block.header.merkleRoot) {
    throw new BadBlockError(`merkle root of the transactions is ${root}, the header says ${block.header.merkleRoot}`, 36, `block ${block.header.hash}`);
  }
  if (!checkProofOfWork(block.header, { network, hasher })) {
    throw new BadBlockError(`header hash does not meet its target (bits 0x${block.header.bits.toString(16)})`, 72, `block ${block.header.hash}`);
  }
}

/** Decodes the 80-byte header at `offset`; its hash is computed from those bytes. */
export function parseBlockHeader(bytes: Uint8Array, offset = 0, options?: HasherOption): BlockHeader {
  if (offset < 0 || offset + BLOCK_HEADER_SIZE > bytes.length) {
    throw new BadBlockError(`truncated header: needs ${BLOCK_HEADER_SIZE} bytes, ${Math.max(0, bytes.length - offset)} left`, offset, 'block header');
  }
  const hasher = options?.hasher ?? nobleHasher;
  const raw = bytes.subarray(offset, offset + BLOCK_HEADER_SIZE);
  const c = new ByteCursor(bytes, offset, true);
  c.context = 'block header';
  const version = c.i32('version');
  const prevHash = toReversedHex(bytes, offset + 4, offset + 36);
  const merkle = toReversedHex(bytes, offset + 36, offset + 68);
  c.pos = offset + 68;
  return {
    hash: toReversedHex(sha256d(raw, hasher)),
    version,
    prevHash,
    merkleRoot: merkle,
    time: c.u32('time'),
    bits: c.u32('bits'),
    nonce: c.u32('nonce'),
  };
}

/** Finds the parts of the transaction at `offset` without decoding scripts or hashing. */
export function scanTransaction(bytes: Uint8Array, offset = 0): TxSpan {
  return scanAt(new ByteCursor(bytes, offset, false));
}

/** The header and transaction spans of a raw block, nothing else decoded. */
export function scanBlock(bytes: Uint8Array, options?: HasherOption): BlockSpans {
  const header = parseBlockHeader(bytes, 0, options);
  const cursor = new ByteCursor(bytes, BLOCK_HEADER_SIZE, true);
  cursor.context = `block ${header.hash}`;
  const count = cursor.compactSize('transaction count');
  const txs = new Array<TxSpan>(count);
  for (let i = 0; i < count; i++) {
    cursor.context = `transaction ${i} of block ${header.hash}`;
    txs[i] = scanAt(cursor);
  }
  return { header, txs, end: cursor.pos };
}

/** Where a segwit transaction's non-witness serialization is put together to be hashed. */
let strippedScratch = new Uint8Array(4096);

/** Double SHA-256 of the transaction's non-witness serialization, in wire byte order. */
export function txHashOfSpan(bytes: Uint8Array, span: TxSpan, hasher: Hasher = nobleHasher): Uint8Array {
  if (!span.hasWitness) return shortSha256(hasher.sha256(bytes.subarray(span.start, span.end)));
  // Copying the version, inputs, outputs and locktime side by side and hashing them in one
  // call costs less than a streaming hash over the three parts (node:crypto's createHash
  // allocates a Hash object; the one-shot call does not).
  const io = span.ioEnd - span.ioStart;
  const n = io + 8;
  if (strippedScratch.length < n) strippedScratch = new Uint8Array(Math.max(n, strippedScratch.length * 2));
  const stripped = strippedScratch;
  stripped.set(bytes.subarray(span.start, span.start + 4), 0);
  stripped.set(bytes.subarray(span.ioStart, span.ioEnd), 4);
  stripped.set(bytes.subarray(span.end - 4, span.end), 4 + io);
  return shortSha256(hasher.sha256(stripped.subarray(0, n)));
}

/** The txid (display hex) of the transaction at `span`. */
export function txidOfSpan(bytes: Uint8Array, span: TxSpan, hasher: Hasher = nobleHasher): string {
  return toReversedHex(txHashOfSpan(bytes, span, hasher));
}

/** The wtxid (display hex, BIP141): the hash of the full serialization with witnesses. */
export function wtxidOfSpan(bytes: Uint8Array, span: TxSpan, hasher: Hasher = nobleHasher): string {
  if (!span.hasWitness) return txidOfSpan(bytes, span, hasher);
  return toReversedHex(sha256d(bytes.subarray(span.start, span.end), hasher));
}

/** Reads version and an optional BIP144 marker/flag; returns whether witnesses follow. */
function readWitnessFlag(c: ByteCursor): boolean {
  const b = c.bytes;
  if (b[c.pos] !== 0) return false;
  c.need(2, 'segwit marker and flag');
  // Core reads an empty input vector followed by a flag; only flag 1 is defined (BIP144).
  if (b[c.pos + 1] !== 1) c.fail(b[c.pos + 1] === 0 ? 'transaction has no inputs' : `unknown segwit flag ${b[c.pos + 1]}`, c.pos + 1);
  c.pos += 2;
  return true;
}

function scanAt(c: ByteCursor): TxSpan {
  const start = c.pos;
  c.need(4, 'version');
  c.pos += 4;
  const hasWitness = readWitnessFlag(c);
  const ioStart = c.pos;
  const inputCount = c.compactSize('input count');
  if (inputCount === 0) c.fail('transaction has no inputs', ioStart);
  for (let i = 0; i < inputCount; i++) {
    c.need(36, 'outpoint');
    c.pos += 36;
    const len = c.compactSize('scriptSig length');
    c.need(len + 4, 'scriptSig and sequence');
    c.pos += len + 4;
  }
  const outputCount = c.compactSize('output count');
  for (let i = 0; i < outputCount; i++) {
    c.need(8, 'output value');
    c.pos += 8;
    const len = c.compactSize('scriptPubKey length');
    c.need(len, 'scriptPubKey');
    c.pos += len;
  }
  const ioEnd = c.pos;
  if (hasWitness) {
    for (let i = 0; i < inputCount; i++) {
      const items = c.compactSize('witness item count');
      for (let k = 0; k < items; k++) {
        const len = c.compactSize('witness item length');
        c.need(len, 'witness item');
        c.pos += len;
      }
    }
    // Core rejects a witness flag with nothing behind it ("Superfluous witness record").
    if (c.pos === ioEnd + inputCount) c.fail('segwit flag set but every witness is empty', ioEnd);
  }
  c.need(4, 'locktime');
  c.pos += 4;
  return { start, end: c.pos, ioStart, ioEnd, hasWitness, inputCount, outputCount };
}

/** Where each input's prevout txid starts, reused across transactions. */
let prevoutOffsets = new Int32Array(64);

/**
 * Decodes the transaction at the cursor. A first pass ({@link scanAt}) checks every bound;
 * the second reads the fields and leaves the hex of scripts and witnesses and the output
 * addresses to be made on first access ({@link ParsedInput}, {@link ParsedOutput}), from
 * `c.bytes`, which the caller must own and never change.
 */
function readTransaction(c: ByteCursor, params: NetworkParams, hasher: Hasher, encodeHex: HexEncoder): Transaction {
  const b = c.bytes;
  const span = scanAt(c);
  const { start, end, ioStart, ioEnd, hasWitness, inputCount, outputCount } = span;
  const txBytes = new TxBytes(b, start, end, params, hasher, encodeHex);
  c.pos = start;
  const version = c.i32('version');
  c.pos = ioStart;
  c.compactSize('input count');
  if (prevoutOffsets.length < inputCount) prevoutOffsets = new Int32Array(Math.max(inputCount, prevoutOffsets.length * 2));
  const inputs = new Array<ParsedInput>(inputCount);
  const prevouts = new Array<{ txid: string; vout: number }>(inputCount);
  for (let i = 0; i < inputCount; i++) {
    prevoutOffsets[i] = c.pos;
    c.pos += 32;
    const vout = c.u32('outpoint index');
    const len = c.compactSize('scriptSig length');
    const scriptAt = c.pos;
    c.pos += len;
    const prevout = { txid: '', vout };
    prevouts[i] = prevout;
    inputs[i] = new ParsedInput(txBytes, prevout, scriptAt, c.pos, c.u32('sequence'));
  }
  const prevTxids = toReversedHashesHex(b, prevoutOffsets, inputCount);
  for (let i = 0; i < inputCount; i++) (prevouts[i] as { txid: string }).txid = prevTxids.substring(64 * i, 64 * i + 64);
  c.compactSize('output count');
  const outputs = new Array<TxOutput>(outputCount);
  for (let i = 0; i < outputCount; i++) {
    const valueAt = c.pos;
    const lo = c.u32('output value');
    const hi = c.u32('output value');
    const value = hi * 0x100000000 + lo;
    if (hi >= 0x200000 || value > MAX_MONEY) c.fail(`output ${i} value exceeds 21,000,000 BTC`, valueAt);
    const len = c.compactSize('scriptPubKey length');
    const scriptAt = c.pos;
    c.pos += len;
    outputs[i] = new ParsedOutput(txBytes, value, scriptTypeAt(b, scriptAt, c.pos), scriptAt, c.pos);
  }
  if (hasWitness) {
    for (let i = 0; i < inputCount; i++) {
      (inputs[i] as ParsedInput).setWitnessAt(c.pos);
      const items = c.compactSize('witness item count');
      for (let k = 0; k < items; k++) {
        const len = c.compactSize('witness item length');
        c.pos += len;
      }
    }
  }
  const locktime = c.u32('locktime');
  const size = end - start;
  const txHash = txHashOfSpan(b, span, hasher);
  const txid = toReversedHex(txHash);
  // BIP141: weight = base size * 3 + total size; base size omits marker, flag and witnesses.
  const weight = hasWitness ? (ioEnd - ioStart + 8) * 3 + size : size * 4;
  return {
    txid,
    // For a coinbase too the hash of its full serialization, as Bitcoin Core's
    // getrawtransaction `hash`; only the BIP141 witness commitment counts it as zero.
    wtxid: hasWitness ? toReversedHex(sha256d(b.subarray(start, end), hasher)) : txid,
    version,
    locktime,
    inputs,
    outputs,
    isCoinbase: inputCount === 1 && isCoinbasePrevout(b, ioStart + 1),
    hasWitness,
    size,
    weight,
    vsize: Math.ceil(weight / 4),
  };
}

/** The null outpoint of a coinbase input: 32 zero bytes and index 0xffffffff. */
function isCoinbasePrevout(b: Uint8Array, at: number): boolean {
  for (let i = at + 32; i < at + 36; i++) if (b[i] !== 0xff) return false;
  return isZero32(b, at);
}

function isZero32(b: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 32; i++) if (b[i] !== 0) return false;
  return true;
}
