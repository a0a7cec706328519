import { describe, expect, test } from 'vitest';
import { AddressInterner } from './address-interner.js';
import { uniteInputs } from './common-input.js';
import { UnionFind } from './union-find.js';

describe('UnionFind', () => {
  test('joins sets and counts them', () => {
    const uf = new UnionFind(4);
    uf.ensureSize(6);
    expect(uf.setCount).toBe(6);
    expect(uf.union(0, 1)).toBeGreaterThanOrEqual(0);
    expect(uf.union(2, 3)).toBeGreaterThanOrEqual(0);
    expect(uf.union(1, 0)).toBe(-1);
    expect(uf.union(3, 1)).toBeGreaterThanOrEqual(0);
    expect(uf.connected(0, 2)).toBe(true);
    expect(uf.connected(0, 4)).toBe(false);
    expect(uf.sizeOf(3)).toBe(4);
    expect(uf.setCount).toBe(3);
  });

  test('grows past its initial capacity and keeps what it held', () => {
    const uf = new UnionFind(16);
    for (let i = 0; i < 10_000; i++) uf.add();
    for (let i = 1; i < 10_000; i += 2) uf.union(i - 1, i);
    uf.ensureSize(20_001);
    expect(uf.length).toBe(20_001);
    expect(uf.connected(9_998, 9_999)).toBe(true);
    expect(uf.sizeOf(20_000)).toBe(1);
    expect(uf.setCount).toBe(5_000 + 10_001);
  });

  test('a chain of a million unions finds its root without recursion', () => {
    const n = 1_000_000;
    const uf = new UnionFind(n);
    uf.ensureSize(n);
    for (let i = 1; i < n; i++) uf.union(i, i - 1);
    expect(uf.sizeOf(0)).toBe(n);
    expect(uf.find(n - 1)).toBe(uf.find(0));
    expect(uf.setCount).toBe(1);
  });

  test('reset makes a whole set singletons again', () => {
    const uf = new UnionFind();
    uf.ensureSize(5);
    uf.union(0, 1);
    uf.union(1, 2);
    uf.reset([0, 1, 2]);
    expect(uf.setCount).toBe(5);
    expect(uf.connected(0, 2)).toBe(false);
    expect(uf.sizeOf(1)).toBe(1);
  });
});

describe('uniteInputs', () => {
  test('joins each transaction\'s inputs and counts the joins that merged sets', () => {
    const uf = new UnionFind();
    uf.ensureSize(7);
    // tx0: 0,1,2   tx1: 3   tx2: 2,4   tx3: 5,6,5
    const merges = uniteInputs(uf, Int32Array.from([0, 1, 2, 3, 2, 4, 5, 6, 5]), Int32Array.from([0, 3, 4, 6, 9]));
    expect(merges).toBe(4);
    expect(uf.sizeOf(4)).toBe(4);
    expect(uf.sizeOf(3)).toBe(1);
    expect(uf.connected(5, 6)).toBe(true);
  });
});

describe('AddressInterner', () => {
  test('hands out dense ids in order of first sight and maps them back', () => {
    const interner = new AddressInterner();
    expect(interner.intern('bc1qb')).toBe(0);
    expect(interner.intern('1A')).toBe(1);
    expect(interner.intern('bc1qb')).toBe(0);
    expect(interner.size).toBe(2);
    expect(interner.addressOf(1)).toBe('1A');
    expect(interner.idOf('3C')).toBeUndefined();
    expect(() => interner.addressOf(2)).toThrow(RangeError);
  });
});
