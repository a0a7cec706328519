import { describe, expect, it } from 'vitest';
import { forceLayout } from './force-layout.js';

describe('figure layout', () => {
  const edges = [
    { source: 0, target: 1 },
    { source: 0, target: 2 },
    { source: 3, target: 0 },
    { source: 4, target: 5 },
  ];

  it('gives the same picture every time and keeps every node on the canvas', () => {
    const first = forceLayout(6, edges, 1000, 700);
    expect(forceLayout(6, edges, 1000, 700)).toEqual(first);
    for (const p of first) {
      expect(p.x).toBeGreaterThanOrEqual(100);
      expect(p.x).toBeLessThanOrEqual(900);
      expect(p.y).toBeGreaterThanOrEqual(70);
      expect(p.y).toBeLessThanOrEqual(630);
    }
    expect(new Set(first.map((p) => `${p.x},${p.y}`)).size).toBe(6);
  });

  it('draws linked nodes closer than unlinked ones', () => {
    // Two stars joined by nothing: each star's members sit nearer their own hub than the other's.
    const stars = [1, 2, 3, 4].flatMap((i) => [{ source: 0, target: i }, { source: 5, target: 5 + i }]);
    const p = forceLayout(10, stars, 1000, 700);
    const d = (i: number, j: number): number => Math.hypot(p[i]!.x - p[j]!.x, p[i]!.y - p[j]!.y);
    for (const i of [1, 2, 3, 4]) {
      expect(d(0, i)).toBeLessThan(d(5, i));
      expect(d(5, 5 + i)).toBeLessThan(d(0, 5 + i));
    }
  });
});
