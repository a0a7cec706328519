import { nobleHasher, sha256d, type HasherOption } from './hash.js';
import { toReversedHex } from './hex.js';
import type { BlockHeader, Network } from './model.js';
import { NETWORKS } from './networks.js';
import { serializeBlockHeader } from './tx-serializer.js';

/**
 * Proof of work as Bitcoin Core checks it (`src/pow.cpp` `CheckProofOfWork`,
 * `src/arith_uint256.cpp` `SetCompact`, `src/chain.cpp` `GetBlockProof`).
 */

/**
 * The 256-bit target encoded by a header's compact `bits`. A negative or overflowing
 * encoding (which Core rejects) gives 0n, a target no hash can meet.
 */
export function bitsToTarget(bits: number): bigint {
  const size = bits >>> 24;
  const word = bits & 0x007fffff;
  if (word !== 0 && (bits & 0x00800000) !== 0) return 0n;
  if (word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32))) return 0n;
  return size <= 3 ? BigInt(word >>> (8 * (3 - size))) : BigInt(word) << BigInt(8 * (size - 3));
}

/**
 * Expected number of hashes to find a header meeting `bits`: 2^256 / (target + 1), the
 * quantity summed into chainwork. 0n for an invalid target.
 */
export function headerWork(headerOrBits: Pick<BlockHeader, 'bits'> | number): bigint {
  const target = bitsToTarget(typeof headerOrBits === 'number' ? headerOrBits : headerOrBits.bits);
  return target === 0n ? 0n : (1n << 256n) / (target + 1n);
}

/** The block hash (display hex) of an 80-byte serialized header. */
export function blockHash(headerBytes: Uint8Array, options?: HasherOption): string {
  if (headerBytes.length !== 80) throw new RangeError(`A block header has 80 bytes, not ${headerBytes.length}.`);
  const hasher = options?.hasher ?? nobleHasher;
  return toReversedHex(sha256d(headerBytes, hasher));
}

/**
 * Whether the header proves its work: its fields hash to `header.hash` (recomputed, not
 * trusted), the target from `bits` is valid and no easier than the network's limit, and
 * the hash, as a number, does not exceed the target.
 */
export function checkProofOfWork(header: BlockHeader, options?: HasherOption & { readonly network?: Network }): boolean {
  const hash = blockHash(serializeBlockHeader(header), options);
  if (hash !== header.hash.toLowerCase()) return false;
  const target = bitsToTarget(header.bits);
  if (target === 0n || target > NETWORKS[options?.network ?? 'mainnet'].powLimit) return false;
  return BigInt(`0x${hash}`) <= target;
}
