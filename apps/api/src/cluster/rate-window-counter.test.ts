import { describe, expect, it } from 'vitest';
import { RateWindowCounter } from './rate-window-counter.js';

describe('rate window counter (the primary keeps one per token for all workers)', () => {
  it('counts hits per key within a window and starts over when it ends', () => {
    let now = 1_000;
    const counter = new RateWindowCounter(() => now);
    expect(counter.hit('token:a', 60_000)).toEqual({ current: 1, ttl: 60_000 });
    now += 10_000;
    expect(counter.hit('token:a', 60_000)).toEqual({ current: 2, ttl: 50_000 });
    expect(counter.hit('token:b', 60_000)).toEqual({ current: 1, ttl: 60_000 });
    now += 50_000;
    expect(counter.hit('token:a', 60_000)).toEqual({ current: 1, ttl: 60_000 });
  });

  it('keeps a live window through a flood of short-lived keys', () => {
    let now = 0;
    const counter = new RateWindowCounter(() => now);
    counter.hit('token:kept', 1_000_000);
    for (let i = 0; i < 10_000; i++) counter.hit(`ip:${i}`, 10);
    now = 100;
    counter.hit('ip:new', 10);
    expect(counter.hit('token:kept', 1_000_000).current).toBe(2);
    expect(counter.hit('ip:5', 10).current).toBe(1);
  });
});
