import { ChaintrailError } from './errors.js';
import { nobleHasher, sha256d, type Hasher, type HasherOption } from './hash.js';
import { fromHex, toReversedHex } from './hex.js';
import type { BlockHeader, OutPoint, Transaction } from './model.js';
import { shortSha256 } from './short-sha256.js';

/**
 * Serialization of transactions and headers in Bitcoin's wire format (BIP144 for witness
 * transactions). Scripts and witness items are bytes, not hex: the scenario generator
 * builds millions of transactions and should not pay for hex round trips. Txids stay
 * display hex, as everywhere in the model.
 */

export interface TxDraftInput {
  readonly prevout: OutPoint;
  readonly scriptSig: Uint8Array;
  /** Witness stack items; empty for a non-segwit input. */
  readonly witness: readonly Uint8Array[];
  readonly sequence: number;
}

export interface TxDraftOutput {
  /** Satoshis. */
  readonly value: number;
  readonly scriptPubKey: Uint8Array;
}

/** A transaction to serialize. It is written in BIP144 form if any input has a witness. */
export interface TxDraft {
  readonly version: number;
  readonly locktime: number;
  readonly inputs: readonly TxDraftInput[];
  readonly outputs: readonly TxDraftOutput[];
}

/** The fields of a header that are serialized (its hash and height are derived or external). */
export type BlockHeaderFields = Pick<BlockHeader, 'version' | 'prevHash' | 'merkleRoot' | 'time' | 'bits' | 'nonce'>;

/** A draft that cannot be serialized: a field out of range or a txid that is not 32 bytes of hex. */
export class BadTxDraftError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_BAD_TX_DRAFT', `Cannot serialize transaction: ${detail}. Fix the value where the transaction is built.`);
  }
}

/** A serialized transaction with its identifiers. */
export interface SerializedTransaction {
  readonly bytes: Uint8Array;
  readonly txid: string;
  readonly wtxid: string;
}

const MAX_MONEY = 21_000_000 * 100_000_000;

/** The draft of a decoded transaction, to serialize it again (its raw bytes, e.g. for an evidence bundle). */
export function draftFromTransaction(tx: Transaction): TxDraft {
  return {
    version: tx.version,
    locktime: tx.locktime,
    inputs: tx.inputs.map((input) => ({
      prevout: input.prevout,
      scriptSig: fromHex(input.scriptSig),
      witness: input.witness.map(fromHex),
      sequence: input.sequence,
    })),
    outputs: tx.outputs.map((output) => ({ value: output.value, scriptPubKey: fromHex(output.scriptPubKey) })),
  };
}

/** The raw transaction: BIP144 form with marker, flag and witnesses if any input has a witness. */
export function serializeTransaction(tx: TxDraft): Uint8Array {
  return writeTransaction(tx, hasAnyWitness(tx)).bytes;
}

/** Serializes once and hashes the txid from the non-witness slices of the same bytes. */
export function serializeTransactionWithIds(tx: TxDraft, options?: HasherOption): SerializedTransaction {
  const hasher = options?.hasher ?? nobleHasher;
  const { bytes, ioEnd } = writeTransaction(tx, hasAnyWitness(tx));
  const wtxid = hash256Hex(bytes, hasher);
  if (ioEnd === 0) return { bytes, txid: wtxid, wtxid };
  const first = hasher.sha256Parts([bytes.subarray(0, 4), bytes.subarray(6, ioEnd), bytes.subarray(bytes.length - 4)]);
  return { bytes, txid: toReversedHex(shortSha256(first)), wtxid };
}

/** The txid: double SHA-256 of the serialization without witnesses, display hex. */
export function computeTxid(tx: TxDraft, options?: HasherOption): string {
  return hash256Hex(writeTransaction(tx, false).bytes, options?.hasher ?? nobleHasher);
}

/** The wtxid (BIP141): double SHA-256 of the full serialization; equals the txid without witnesses. */
export function computeWtxid(tx: TxDraft, options?: HasherOption): string {
  return hash256Hex(serializeTransaction(tx), options?.hasher ?? nobleHasher);
}

/** The 80-byte header. */
export function serializeBlockHeader(header: BlockHeaderFields): Uint8Array {
  const out = new Uint8Array(80);
  const view = new DataView(out.buffer);
  view.setInt32(0, checkInt(header.version, -0x80000000, 0x7fffffff, 'header version'), true);
  writeReversedHash(out, 4, header.prevHash, 'previous block hash');
  writeReversedHash(out, 36, header.merkleRoot, 'merkle root');
  view.setUint32(68, checkInt(header.time, 0, 0xffffffff, 'header time'), true);
  view.setUint32(72, checkInt(header.bits, 0, 0xffffffff, 'header bits'), true);
  view.setUint32(76, checkInt(header.nonce, 0, 0xffffffff, 'header nonce'), true);
  return out;
}

function hash256Hex(bytes: Uint8Array, hasher: Hasher): string {
  return toReversedHex(sha256d(bytes, hasher));
}

function hasAnyWitness(tx: TxDraft): boolean {
  for (const input of tx.inputs) if (input.witness.length > 0) return true;
  return false;
}

function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** Writes the transaction; `ioEnd` is the offset past the outputs when witnesses follow, else 0. */
function writeTransaction(tx: TxDraft, withWitness: boolean): { bytes: Uint8Array; ioEnd: number } {
  if (tx.inputs.length === 0) throw new BadTxDraftError('it has no inputs');
  let size = 8 + (withWitness ? 2 : 0) + compactSizeLength(tx.inputs.length) + compactSizeLength(tx.outputs.length);
  for (const input of tx.inputs) {
    size += 40 + compactSizeLength(input.scriptSig.length) + input.scriptSig.length;
    if (withWitness) {
      size += compactSizeLength(input.witness.length);
      for (const item of input.witness) size += compactSizeLength(item.length) + item.length;
    }
  }
  for (const output of tx.outputs) size += 8 + compactSizeLength(output.scriptPubKey.length) + output.scriptPubKey.length;

  const w = new ByteWriter(size);
  w.u32(checkInt(tx.version, -0x80000000, 0x7fffffff, 'version'));
  if (withWitness) {
    w.out[w.pos++] = 0;
    w.out[w.pos++] = 1;
  }
  w.compactSize(tx.inputs.length);
  for (let i = 0; i < tx.inputs.length; i++) {
    const input = tx.inputs[i] as TxDraftInput;
    writeReversedHash(w.out, w.pos, input.prevout.txid, `input ${i} prevout txid`);
    w.pos += 32;
    w.u32(checkInt(input.prevout.vout, 0, 0xffffffff, `input ${i} prevout vout`));
    w.varBytes(input.scriptSig);
    w.u32(checkInt(input.sequence, 0, 0xffffffff, `input ${i} sequence`));
  }
  w.compactSize(tx.outputs.length);
  for (let i = 0; i < tx.outputs.length; i++) {
    const output = tx.outputs[i] as TxDraftOutput;
    const value = checkInt(output.value, 0, MAX_MONEY, `output ${i} value (satoshis)`);
    w.u32(value % 0x100000000);
    w.u32(Math.floor(value / 0x100000000));
    w.varBytes(output.scriptPubKey);
  }
  const ioEnd = withWitness ? w.pos : 0;
  if (withWitness) {
    for (const input of tx.inputs) {
      w.compactSize(input.witness.length);
      for (const item of input.witness) w.varBytes(item);
    }
  }
  w.u32(checkInt(tx.locktime, 0, 0xffffffff, 'locktime'));
  return { bytes: w.out, ioEnd };
}

/** Little-endian writes into a buffer sized in advance. */
class ByteWriter {
  readonly out: Uint8Array;
  pos = 0;
  constructor(size: number) {
    this.out = new Uint8Array(size);
  }

  u32(value: number): void {
    const out = this.out;
    const pos = this.pos;
    out[pos] = value;
    out[pos + 1] = value >>> 8;
    out[pos + 2] = value >>> 16;
    out[pos + 3] = value >>> 24;
    this.pos = pos + 4;
  }

  compactSize(n: number): void {
    if (n < 0xfd) {
      this.out[this.pos++] = n;
    } else if (n <= 0xffff) {
      this.out[this.pos++] = 0xfd;
      this.out[this.pos++] = n;
      this.out[this.pos++] = n >>> 8;
    } else {
      this.out[this.pos++] = 0xfe;
      this.u32(n);
    }
  }

  varBytes(bytes: Uint8Array): void {
    this.compactSize(bytes.length);
    this.out.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}

function checkInt(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new BadTxDraftError(`${what} ${value} is not an integer in [${min}, ${max}]`);
  return value;
}

function writeReversedHash(out: Uint8Array, at: number, hex: string, what: string): void {
  if (typeof hex !== 'string' || hex.length !== 64) throw new BadTxDraftError(`${what} "${String(hex)}" is not 64 hex digits`);
  const bytes = fromHex(hex);
  for (let i = 0; i < 32; i++) out[at + i] = bytes[31 - i] as number;
}
