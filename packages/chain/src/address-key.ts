import { createHash } from 'node:crypto';

/**
 * The block-file index's key for an address: the first 8 bytes of its SHA-256 as a signed
 * 64-bit integer. Storing keys instead of address text halves the index. Two of ten million
 * addresses share a key with a chance of about 3 in a million; a shared key only adds
 * candidate transactions, which the source drops because they do not touch the address.
 */
export function addressKey(address: string): bigint {
  return createHash('sha256').update(address, 'utf8').digest().readBigInt64BE(0);
}
