/** How often and how patiently a request is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Backoff cap of the first retry (ms); doubles each retry. */
  readonly baseDelayMs: number;
  /** Largest backoff between two attempts (ms). */
  readonly maxDelayMs: number;
  /**
   * Longest `Retry-After` honoured (ms). A server asking for more is answered with
   * `CHAINTRAIL_SOURCE_RATE_LIMITED` at once, rather than a run that silently hangs.
   */
  readonly maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/**
 * "Full jitter" exponential backoff: a uniform random wait between 0 and
 * min(maxDelay, base * 2^attempt). Spreading retries over the whole window keeps many
 * clients that failed together from retrying together (Brooker, "Exponential Backoff And
 * Jitter", AWS Architecture Blog, 2015).
 *
 * @param attempt 0 for the first retry.
 * @param random a number in [0, 1), injectable for tests.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * cap);
}

/**
 * The wait a `Retry-After` header asks for, in ms: either delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date names its weekday and month; a bare number like "-5" is no date.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
