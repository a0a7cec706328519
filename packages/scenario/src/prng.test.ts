import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';

function draws(rng: Prng, n: number): number[] {
  return Array.from({ length: n }, () => rng.u32());
}

describe('Prng', () => {
  it('repeats its sequence for a seed and differs between seeds, including seeds past 2^32', () => {
    expect(draws(new Prng(7), 50)).toEqual(draws(new Prng(7), 50));
    expect(draws(new Prng(7), 50)).not.toEqual(draws(new Prng(8), 50));
    expect(draws(new Prng(7), 50)).not.toEqual(draws(new Prng(7 + 2 ** 32), 50));
  });

  it('gives forks that depend on their label and leave sibling forks unchanged', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const keysA = a.fork('keys');
    const usersA = a.fork('users');
    const keysB = b.fork('keys');
    draws(keysB, 1000);
    const usersB = b.fork('users');
    expect(draws(usersA, 20)).toEqual(draws(usersB, 20));
    expect(draws(keysA, 20)).not.toEqual(draws(new Prng(1).fork('other'), 20));
  });

  it('keeps draws within their bounds and covers them', () => {
    const rng = new Prng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.between(2, 6);
      expect(v).toBeGreaterThanOrEqual(2);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it('draws weighted indices in proportion and never a zero weight', () => {
    const rng = new Prng(11);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.weighted([1, 0, 3])]! += 1;
    expect(counts[1]).toBe(0);
    expect((counts[2] as number) / (counts[0] as number)).toBeGreaterThan(2.7);
    expect((counts[2] as number) / (counts[0] as number)).toBeLessThan(3.3);
  });

  it('fills byte arrays of any length deterministically', () => {
    const a = new Prng(5).fill(new Uint8Array(13));
    const b = new Prng(5).fill(new Uint8Array(13));
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(5);
  });
});
