import { describe, expect, it } from 'vitest';
import { GENESIS_BLOCK_HASHES } from '@chaintrail/core';
import { arrangeChain, type ChainNode } from './header-chain.js';

const ZERO = '0'.repeat(64);
const MAINNET_GENESIS = GENESIS_BLOCK_HASHES.mainnet[0] as string;
const EASY = 0x207fffff;
const HARD = 0x1d00ffff;

/** Hash of block `name` ("a", "b2"...): distinct, readable in failures. */
const hash = (name: string): string => Buffer.from(name).toString('hex').padStart(64, '0');

function node(id: number, name: string, parent: string | null, extra: Partial<ChainNode> = {}): ChainNode {
  return { id, hash: hash(name), prevHash: parent === null ? ZERO : parent.length === 64 ? parent : hash(parent), bits: EASY, time: 1_000 + id, bip34: null, ...extra };
}

const placesOf = (nodes: ChainNode[]) => {
  const { places } = arrangeChain(nodes);
  return Object.fromEntries(nodes.map((n) => [Buffer.from(n.hash, 'hex').toString().replace(/\0/g, ''), places.get(n.id)]));
};

describe('arrangeChain', () => {
  it('orders blocks stored out of order and counts heights from genesis', () => {
    expect(placesOf([node(1, 'c', 'b'), node(2, 'a', null), node(3, 'b', 'a')])).toEqual({
      c: { height: 2, ordinal: 2 },
      a: { height: 0, ordinal: 0 },
      b: { height: 1, ordinal: 1 },
    });
  });

  it('keeps the branch with more work and marks the other stale', () => {
    const nodes = [node(1, 'a', null), node(2, 'b', 'a'), node(3, 'c', 'b'), node(4, 'x', 'a', { bits: HARD })];
    const arrangement = arrangeChain(nodes);
    expect(placesOf(nodes)).toMatchObject({ x: { height: 1, ordinal: 1 }, b: { height: 1, ordinal: null }, c: { height: 2, ordinal: null } });
    expect(arrangement.staleBlocks).toBe(2);
  });

  it('breaks a tie in work in favour of the block seen first, as Core does', () => {
    expect(placesOf([node(1, 'a', null), node(2, 'b', 'a'), node(3, 'x', 'a')])).toMatchObject({ b: { ordinal: 1 }, x: { ordinal: null } });
  });

  it('takes heights from BIP34, by majority when coinbases disagree', () => {
    const nodes = [node(1, 'p', MAINNET_GENESIS.replace('0019', '0020'), { bip34: 500 }), node(2, 'q', 'p', { bip34: 501 }), node(3, 'r', 'q', { bip34: 9 })];
    const arrangement = arrangeChain(nodes);
    expect(placesOf(nodes)).toMatchObject({ p: { height: 500 }, q: { height: 501 }, r: { height: 502 } });
    expect(arrangement.heightConflicts).toBe(1);
  });

  it('prefers BIP34 over a zero parent, as a generated chain may start at any height', () => {
    expect(placesOf([node(1, 'g', null, { bip34: 800_000 }), node(2, 'h', 'g')])).toMatchObject({ g: { height: 800_000 }, h: { height: 800_001 } });
  });

  it('puts a child of a known genesis block at height 1', () => {
    expect(placesOf([node(1, 'one', MAINNET_GENESIS)])).toEqual({ one: { height: 1, ordinal: 0 } });
  });

  it('leaves heights unknown rather than guessing, and orders unrelated fragments by time', () => {
    const nodes = [node(1, 'late', hash('?1'), { time: 2_000 }), node(2, 'early', hash('?2'), { time: 1_000 })];
    const arrangement = arrangeChain(nodes);
    expect(placesOf(nodes)).toEqual({ late: { height: null, ordinal: 1 }, early: { height: null, ordinal: 0 } });
    expect(arrangement).toMatchObject({ fragments: 2, blocksWithoutHeight: 2 });
  });

  it('places a duplicate block once', () => {
    const nodes = [node(1, 'a', null), node(2, 'a', null)];
    expect(arrangeChain(nodes).places.size).toBe(1);
  });
});
