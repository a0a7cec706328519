import { createHash, hash } from 'node:crypto';
import type { Hasher } from '@chaintrail/core';

/**
 * SHA-256 from OpenSSL through node:crypto, several times faster than the pure-JavaScript
 * default of @chaintrail/core; pass it as `{ hasher: nodeHasher }` wherever blocks, raw
 * transactions or seed lists are processed in bulk. Core cannot import it (it stays free
 * of `node:*`), so it lives here.
 */
export const nodeHasher: Hasher = {
  // One-shot `crypto.hash` (Node 20.12+) skips the Hash object that createHash allocates.
  sha256: (data) => hash('sha256', data, 'buffer'),
  sha256Parts: (parts) => {
    const state = createHash('sha256');
    for (const part of parts) state.update(part);
    return state.digest();
  },
};
