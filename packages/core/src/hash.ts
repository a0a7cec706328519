import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { shortSha256 } from './short-sha256.js';

/**
 * The SHA-256 implementation the parsers and address codecs use. Core stays pure (no
 * `node:*`), so its default is @noble/hashes, portable but several times slower than
 * OpenSSL; packages that run on Node pass `nodeHasher` from @chaintrail/chain, built on
 * node:crypto, wherever bulk hashing happens (block files, seed lists).
 */
export interface Hasher {
  /** SHA-256 of `data`. May return a Buffer or a view; callers only read it. */
  sha256(data: Uint8Array): Uint8Array;
  /**
   * SHA-256 of the concatenation of `parts`, without concatenating them. Segwit txids hash
   * the version, the inputs and outputs, and the locktime of the raw transaction in place.
   */
  sha256Parts(parts: readonly Uint8Array[]): Uint8Array;
}

/** Options every hashing function of core accepts. */
export interface HasherOption {
  /** Defaults to {@link nobleHasher}. */
  readonly hasher?: Hasher;
}

/** The portable default: @noble/hashes (audited, pure JavaScript). */
export const nobleHasher: Hasher = {
  sha256: (data) => nobleSha256(data),
  sha256Parts: (parts) => {
    const state = nobleSha256.create();
    for (const part of parts) state.update(part);
    return state.digest();
  },
};

export function sha256(bytes: Uint8Array, hasher: Hasher = nobleHasher): Uint8Array {
  return hasher.sha256(bytes);
}

/**
 * Bitcoin's double SHA-256 (txids, block hashes, merkle nodes). The second pass hashes 32
 * bytes, which {@link shortSha256} does in-process faster than a call into any `Hasher`.
 */
export function sha256d(bytes: Uint8Array, hasher: Hasher = nobleHasher): Uint8Array {
  const first = hasher.sha256(bytes);
  return shortSha256(first, 0, first.length);
}

/** RIPEMD-160 of SHA-256: the 20-byte hash inside P2PKH, P2SH and P2WPKH outputs. */
export function hash160(bytes: Uint8Array, hasher: Hasher = nobleHasher): Uint8Array {
  return ripemd160(hasher.sha256(bytes));
}
