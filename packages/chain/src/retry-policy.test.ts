import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 };

describe('backoffDelayMs', () => {
  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1_000],
    [40, 1_000],
  ])('caps retry %i at %i ms, doubling up to the maximum', (attempt, cap) => {
    expect(backoffDelayMs(attempt, policy, () => 0.999_999)).toBe(cap - 1);
    expect(backoffDelayMs(attempt, policy, () => 0)).toBe(0);
  });

  it('spreads waits over the whole window (full jitter)', () => {
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(400);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it.each([
    ['delay-seconds', '120', 120_000],
    ['zero', '0', 0],
    ['an HTTP-date', 'Wed, 01 May 2024 12:00:30 GMT', 30_000],
    ['a date in the past', 'Wed, 01 May 2024 11:00:00 GMT', 0],
    ['garbage', 'soon', undefined],
    ['a negative number', '-5', undefined],
    ['no header', undefined, undefined],
  ])('reads %s', (_name, header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
});
