import { createHash } from 'node:crypto';
import type { Hasher } from '@chaintrail/core';

/**
 * core's hashing on OpenSSL. Core defaults to @noble/hashes to stay free of `node:*`; the
 * generator hashes every transaction twice (txid and wtxid), every merkle node and every key,
 * so it passes this one wherever core takes a hasher.
 */
export const nodeHasher: Hasher = {
  sha256: (data) => createHash('sha256').update(data).digest(),
  sha256Parts: (parts) => {
    const state = createHash('sha256');
    for (const part of parts) state.update(part);
    return state.digest();
  },
};
