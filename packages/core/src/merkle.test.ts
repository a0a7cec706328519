import { describe, expect, it } from 'vitest';
import { readAllRealBlocks } from '../../../test/support/real-blocks.js';
import { buildMerkleTree, merkleProof, merkleRoot, merkleRootWithMutation, verifyMerkleProof } from './merkle.js';
import type { Block } from './model.js';
import { parseBlock } from './tx-parser.js';

const blocks: Block[] = readAllRealBlocks()
  .flatMap((f) => f.blocks)
  .map((bytes) => parseBlock(bytes));
const txidsOf = (block: Block): string[] => block.transactions.map((tx) => tx.txid);
const byCount = (n: number): Block => blocks.find((b) => b.transactions.length === n) as Block;

describe('merkleRoot', () => {
  it("equals the header's merkle root for every real block", () => {
    for (const block of blocks) expect(merkleRoot(txidsOf(block))).toBe(block.header.merkleRoot);
  });

  it('is the txid itself for a block with only a coinbase', () => {
    const single = byCount(1);
    expect(merkleRoot(txidsOf(single))).toBe(single.transactions[0]?.txid);
  });

  it('reports the CVE-2012-2459 ambiguity: duplicating the last txid of an odd list gives the same root', () => {
    const odd = blocks.find((b) => b.transactions.length % 2 === 1 && b.transactions.length > 2) as Block;
    const txids = txidsOf(odd);
    const duplicated = [...txids, txids.at(-1) as string];
    expect(merkleRootWithMutation(txids)).toEqual({ root: odd.header.merkleRoot, mutated: false });
    expect(merkleRootWithMutation(duplicated)).toEqual({ root: odd.header.merkleRoot, mutated: true });
  });
});

describe('merkleProof and verifyMerkleProof', () => {
  const samples = [byCount(2), byCount(14), byCount(109), byCount(1557)];

  it('proves every transaction of real blocks of 2, 14, 109 and 1,557 transactions', () => {
    for (const block of samples) {
      const txids = txidsOf(block);
      const depth = Math.ceil(Math.log2(txids.length));
      txids.forEach((txid, index) => {
        if (txids.length > 200 && index % 37 !== 0 && index !== txids.length - 1) return;
        const proof = merkleProof(txids, index);
        expect(proof.pos).toBe(index);
        expect(proof.merkle).toHaveLength(depth);
        expect(verifyMerkleProof(txid, proof, block.header.merkleRoot)).toBe(true);
      });
    }
  });

  it("lists the last transaction of an odd level as its own sibling, as Esplora's proofs do", () => {
    const block = byCount(109);
    const txids = txidsOf(block);
    const proof = merkleProof(txids, 108);
    expect(proof.merkle[0]).toBe(txids[108]);
  });

  it('fails a tampered proof: other txid, changed sibling, wrong position, missing level, other root, bad hex', () => {
    const block = byCount(14);
    const txids = txidsOf(block);
    const proof = merkleProof(txids, 5);
    const root = block.header.merkleRoot;
    const flip = (hex: string): string => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    expect(verifyMerkleProof(txids[6] as string, proof, root)).toBe(false);
    expect(verifyMerkleProof(txids[5] as string, { ...proof, merkle: [flip(proof.merkle[0] as string), ...proof.merkle.slice(1)] }, root)).toBe(false);
    expect(verifyMerkleProof(txids[5] as string, { ...proof, pos: 4 }, root)).toBe(false);
    expect(verifyMerkleProof(txids[5] as string, { ...proof, pos: 5 + 16 }, root)).toBe(false);
    expect(verifyMerkleProof(txids[5] as string, { ...proof, merkle: proof.merkle.slice(0, -1) }, root)).toBe(false);
    expect(verifyMerkleProof(txids[5] as string, proof, flip(root))).toBe(false);
    expect(verifyMerkleProof(txids[5] as string, { ...proof, merkle: ['zz', ...proof.merkle.slice(1)] }, root)).toBe(false);
    expect(verifyMerkleProof(txids[5] as string, { ...proof, pos: -1 }, root)).toBe(false);
  });

  it('accepts the proof in upper-case hex, as some explorers print roots', () => {
    const block = byCount(14);
    const txids = txidsOf(block);
    expect(verifyMerkleProof(txids[3] as string, merkleProof(txids, 3), block.header.merkleRoot.toUpperCase())).toBe(true);
  });
});

describe('buildMerkleTree', () => {
  it('proves every transaction of a 1,557-transaction block from one tree, each branch checking against the header', () => {
    const block = byCount(1557);
    const tree = buildMerkleTree(txidsOf(block));
    expect(tree).toMatchObject({ root: block.header.merkleRoot, mutated: false, size: 1557 });
    block.transactions.forEach((tx, i) => {
      const branch = tree.branch(i);
      expect(branch.pos).toBe(i);
      expect(verifyMerkleProof(tx.txid, branch, block.header.merkleRoot)).toBe(true);
    });
    expect(() => tree.branch(1557)).toThrow(RangeError);
  });
});
