import { describe, expect, it } from 'vitest';
import { readAllRealBlocks } from '../../../test/support/real-blocks.js';
import { bitsToTarget, blockHash, checkProofOfWork, headerWork } from './pow.js';
import { parseBlockHeader } from './tx-parser.js';

const headerBytes = readAllRealBlocks()
  .flatMap((f) => f.blocks)
  .map((bytes) => bytes.subarray(0, 80));

describe('bitsToTarget', () => {
  // Cases from Bitcoin Core src/test/arith_uint256_tests.cpp (SetCompact).
  it.each([
    [0x00000000, 0n],
    [0x00123456, 0n],
    [0x01003456, 0n],
    [0x02000056, 0n],
    [0x03000000, 0n],
    [0x04000000, 0n],
    [0x01123456, 0x12n],
    [0x02123456, 0x1234n],
    [0x03123456, 0x123456n],
    [0x04123456, 0x12345600n],
    [0x05009234, 0x92340000n],
    [0x20123456, 0x1234560000000000000000000000000000000000000000000000000000000000n],
    [0x1d00ffff, 0xffffn << 208n],
  ])('0x%s', (bits, target) => {
    expect(bitsToTarget(bits)).toBe(target);
  });

  it('gives 0 (no hash meets it) for negative and overflowing encodings, as Core rejects them', () => {
    expect(bitsToTarget(0x04923456)).toBe(0n); // sign bit set
    expect(bitsToTarget(0x01fedcba)).toBe(0n);
    expect(bitsToTarget(0xff123456)).toBe(0n); // overflow
    expect(bitsToTarget(0x23000001)).toBe(0n);
  });
});

describe('headerWork', () => {
  it('is 2^32 + 2^16 + 1 hashes for the difficulty-1 target of the genesis block', () => {
    expect(headerWork(0x1d00ffff)).toBe(0x100010001n);
    expect(headerWork(0x04923456)).toBe(0n);
  });

  it('grows as the target shrinks', () => {
    expect(headerWork(0x18058436)).toBeGreaterThan(headerWork(0x1d00ffff));
  });
});

describe('checkProofOfWork', () => {
  it('passes for the header of every real block', () => {
    expect(headerBytes.length).toBe(612);
    for (const bytes of headerBytes) {
      const header = parseBlockHeader(bytes);
      expect(blockHash(bytes)).toBe(header.hash);
      expect(checkProofOfWork(header)).toBe(true);
    }
  });

  it('fails when a field changes (the recomputed hash no longer meets the target) or the hash is not the header’s', () => {
    const header = parseBlockHeader(headerBytes[200] as Uint8Array);
    expect(checkProofOfWork({ ...header, nonce: header.nonce + 1 })).toBe(false);
    expect(checkProofOfWork({ ...header, time: header.time + 1 })).toBe(false);
    expect(checkProofOfWork({ ...header, hash: header.prevHash })).toBe(false);
  });

  it("checks the target against the network's limit: regtest's genesis block is valid only on regtest", () => {
    const regtestGenesis = {
      hash: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206',
      version: 1,
      prevHash: '00'.repeat(32),
      merkleRoot: '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b',
      time: 1296688602,
      bits: 0x207fffff,
      nonce: 2,
    };
    expect(checkProofOfWork(regtestGenesis, { network: 'regtest' })).toBe(true);
    expect(checkProofOfWork(regtestGenesis, { network: 'mainnet' })).toBe(false);
    expect(checkProofOfWork(regtestGenesis)).toBe(false);
  });
});
