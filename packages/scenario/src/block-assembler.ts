import { blockHash, ChaintrailError, fromReversedHex, merkleRoot, opReturnScript, serializeBlockHeader, serializeTransactionWithIds, sha256d } from '@chaintrail/core';
import type { Key } from './keys.js';
import { nodeHasher } from './node-hasher.js';
import type { Prng } from './prng.js';
import { compactSizeLength, type BuiltTx, type Coin } from './tx-builder.js';

/**
 * Turns one block's transactions into a block as Bitcoin Core would accept it, short of
 * signatures: a coinbase with the BIP34 height and the BIP141 witness commitment, the merkle
 * root, a header linked to the previous one, and proof of work at regtest's trivial target.
 */

/** Regtest's `powLimit` in compact form: about every second nonce meets it. */
export const TRIVIAL_BITS = 0x207fffff;
/** BIP141 MAX_BLOCK_WEIGHT. */
const MAX_BLOCK_WEIGHT = 4_000_000;
const ZERO_HASH = '0'.repeat(64);
const WITNESS_RESERVED_VALUE = new Uint8Array(32);
const WITNESS_COMMITMENT_HEADER = Uint8Array.of(0xaa, 0x21, 0xa9, 0xed);

export class BlockTooHeavyError extends ChaintrailError {
  constructor(height: number, weight: number) {
    super('CHAINTRAIL_SCENARIO_BLOCK_TOO_HEAVY', `Scenario block ${height} would weigh ${weight} > ${MAX_BLOCK_WEIGHT}; lower usersPerBlock or backgroundTxPerUser.`);
  }
}

export interface AssembledBlock {
  readonly height: number;
  readonly hash: string;
  /**
   * The block's bytes in pieces (header, count and coinbase, the other transactions), to be
   * written before the next block is started: the last piece is a view of a reused buffer.
   */
  readonly parts: readonly Uint8Array[];
  readonly size: number;
  readonly txCount: number;
  readonly coinbaseTxid: string;
  /** The miner's payout, spendable after 100 blocks (COINBASE_MATURITY). */
  readonly reward: Coin;
}

/** Block subsidy at `height` (Bitcoin Core `GetBlockSubsidy`): 50 BTC halved every 210,000 blocks. */
export function blockSubsidy(height: number): number {
  const halvings = Math.floor(height / 210_000);
  return halvings >= 33 ? 0 : Math.floor(5_000_000_000 / 2 ** halvings);
}

/** `CScript() << n` for a non-negative height: OP_0, OP_1..OP_16, or a minimal CScriptNum push (BIP34). */
export function heightPush(height: number): Uint8Array {
  if (height === 0) return Uint8Array.of(0x00);
  if (height <= 16) return Uint8Array.of(0x50 + height);
  const bytes: number[] = [];
  for (let n = height; n > 0; n = Math.floor(n / 256)) bytes.push(n % 256);
  if (((bytes[bytes.length - 1] as number) & 0x80) !== 0) bytes.push(0);
  return Uint8Array.of(bytes.length, ...bytes);
}

export class BlockAssembler {
  private txids: string[] = [];
  private wtxids: string[] = [];
  private segwit = false;
  /** The serialized transactions of the block being built, copied in as they come. */
  private body = new Uint8Array(1 << 20);
  private bodyLength = 0;
  private weight = 0;
  private fees = 0;
  private prevHash = ZERO_HASH;

  constructor(private readonly rng: Prng) {}

  add(tx: BuiltTx): void {
    // Copying the bytes now lets each transaction's own array die young; kept until the
    // block is done, thousands of them would be promoted and moved by the collector.
    if (this.bodyLength + tx.bytes.length > this.body.length) {
      const grown = new Uint8Array(Math.max(this.body.length * 2, this.bodyLength + tx.bytes.length));
      grown.set(this.body.subarray(0, this.bodyLength));
      this.body = grown;
    }
    this.body.set(tx.bytes, this.bodyLength);
    this.bodyLength += tx.bytes.length;
    this.txids.push(tx.txid);
    this.wtxids.push(tx.wtxid);
    if (tx.wtxid !== tx.txid) this.segwit = true;
    this.weight += tx.weight;
    this.fees += tx.fee;
  }

  /** Closes the block at `height` paying `miner`, and starts the next one. */
  finish(height: number, time: number, miner: Key, poolTag: string): AssembledBlock {
    const hasher = { hasher: nodeHasher };
    const segwit = this.segwit;
    const reward = blockSubsidy(height) + this.fees;

    const extraNonce = this.rng.fill(new Uint8Array(8));
    const tag = new TextEncoder().encode(poolTag);
    const bip34 = heightPush(height);
    const scriptSig = new Uint8Array(bip34.length + 1 + extraNonce.length + 1 + tag.length);
    scriptSig.set(bip34, 0);
    scriptSig[bip34.length] = extraNonce.length;
    scriptSig.set(extraNonce, bip34.length + 1);
    scriptSig[bip34.length + 1 + extraNonce.length] = tag.length;
    scriptSig.set(tag, bip34.length + 2 + extraNonce.length);

    const outputs = [{ value: reward, scriptPubKey: miner.scriptPubKey }];
    if (segwit) {
      // BIP141: the coinbase commits to the merkle root of wtxids (its own counted as zero)
      // together with the witness reserved value it carries as its only witness item.
      const witnessRoot = merkleRoot([ZERO_HASH, ...this.wtxids], hasher);
      const preimage = new Uint8Array(64);
      preimage.set(fromReversedHex(witnessRoot), 0);
      preimage.set(WITNESS_RESERVED_VALUE, 32);
      const commitment = new Uint8Array(36);
      commitment.set(WITNESS_COMMITMENT_HEADER, 0);
      commitment.set(sha256d(preimage, nodeHasher), 4);
      outputs.push({ value: 0, scriptPubKey: opReturnScript(commitment) });
    }
    const coinbase = serializeTransactionWithIds(
      {
        version: 2,
        locktime: 0,
        inputs: [{ prevout: { txid: ZERO_HASH, vout: 0xffffffff }, scriptSig, witness: segwit ? [WITNESS_RESERVED_VALUE] : [], sequence: 0xffffffff }],
        outputs,
      },
      hasher,
    );

    const txids = [coinbase.txid, ...this.txids];
    const root = merkleRoot(txids, hasher);
    // BIP9 version bits, with the BIP320 bits that ASICBoost miners roll now and then.
    const version = this.rng.chance(0.3) ? (0x20000000 | (this.rng.u32() & 0x1fffe000)) >>> 0 : 0x20000000;
    const fields = { version: version | 0, prevHash: this.prevHash, merkleRoot: root, time, bits: TRIVIAL_BITS, nonce: 0 };
    const header = serializeBlockHeader(fields);
    const nonceView = new DataView(header.buffer, header.byteOffset + 76, 4);
    // Target 0x7fffff << 232: a hash whose most significant byte (last on the wire) is below
    // 0x7f meets it; half of all nonces do.
    for (let nonce = 0; (sha256d(header, nodeHasher)[31] as number) >= 0x7f; nonce++) nonceView.setUint32(0, nonce + 1, true);
    const hash = blockHash(header, hasher);

    const count = txids.length;
    const weight = this.weight + (80 + compactSizeLength(count) + coinbase.bytes.length) * 4;
    if (weight > MAX_BLOCK_WEIGHT) throw new BlockTooHeavyError(height, weight);
    const countLength = compactSizeLength(count);
    const head = new Uint8Array(countLength + coinbase.bytes.length);
    if (count < 0xfd) head[0] = count;
    else if (count <= 0xffff) {
      head[0] = 0xfd;
      head[1] = count & 0xff;
      head[2] = count >>> 8;
    } else {
      head[0] = 0xfe;
      new DataView(head.buffer).setUint32(1, count, true);
    }
    head.set(coinbase.bytes, countLength);
    const parts = [header, head, this.body.subarray(0, this.bodyLength)];
    const size = header.length + head.length + this.bodyLength;

    this.prevHash = hash;
    this.txids = [];
    this.wtxids = [];
    this.segwit = false;
    this.bodyLength = 0;
    this.weight = 0;
    this.fees = 0;
    return { height, hash, parts, size, txCount: count, coinbaseTxid: coinbase.txid, reward: { txid: coinbase.txid, vout: 0, value: reward, key: miner, height } };
  }
}
