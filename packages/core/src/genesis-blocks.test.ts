import { describe, expect, it } from 'vitest';
import { readAllRealBlocks } from '../../../test/support/real-blocks.js';
import { GENESIS_BLOCK_HASHES, isGenesisBlockHash } from './genesis-blocks.js';
import { blockHash } from './pow.js';
import { parseBlock } from './tx-parser.js';
import { serializeBlockHeader } from './tx-serializer.js';

/** The genesis header fields of Bitcoin Core `chainparams.cpp` (`CreateGenesisBlock` calls). */
const MERKLE_ROOT = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';
const HEADERS = [
  ['mainnet', 1231006505, 0x1d00ffff, 2083236893],
  ['testnet', 1296688602, 0x1d00ffff, 414098458],
  ['signet', 1598918400, 0x1e0377ae, 52613770],
  ['regtest', 1296688602, 0x207fffff, 2],
] as const;

describe('genesis blocks', () => {
  it.each(HEADERS)('%s: the hash of the genesis header is listed', (network, time, bits, nonce) => {
    const hash = blockHash(serializeBlockHeader({ version: 1, prevHash: '0'.repeat(64), merkleRoot: MERKLE_ROOT, time, bits, nonce }));
    expect(GENESIS_BLOCK_HASHES[network]).toContain(hash);
    expect(isGenesisBlockHash(hash)).toBe(true);
    expect(isGenesisBlockHash(hash, network)).toBe(true);
  });

  it('recognises the first block of the real mainnet block file, and no other', () => {
    const first = readAllRealBlocks().find((f) => f.entry.file.endsWith('firstblocks.blk'));
    const hashes = (first?.blocks ?? []).slice(0, 3).map((bytes) => parseBlock(bytes).header.hash);
    expect(hashes).toHaveLength(3);
    expect(hashes.map((hash) => isGenesisBlockHash(hash, 'mainnet'))).toEqual([true, false, false]);
    expect(isGenesisBlockHash(hashes[0] as string, 'regtest')).toBe(false);
  });
});
