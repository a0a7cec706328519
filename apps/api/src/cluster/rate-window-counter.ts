/**
 * Fixed-window request counters, one per rate-limit key (token or client address): the
 * primary of a multi-worker server keeps them, so a token's limit holds across workers
 * exactly as it does in one process. Same window rule as @fastify/rate-limit's LocalStore.
 */
export interface RateCount {
  readonly current: number;
  /** Milliseconds until the window ends. */
  readonly ttl: number;
}

/** Past this many keys, expired windows are dropped (a flood of client addresses stays bounded). */
const pruneAbove = 10_000;

export class RateWindowCounter {
  private readonly windows = new Map<string, { count: number; startMs: number; lengthMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  hit(key: string, timeWindow: number): RateCount {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || window.startMs + window.lengthMs <= now) {
      if (window === undefined && this.windows.size >= pruneAbove) this.prune(now);
      window = { count: 0, startMs: now, lengthMs: timeWindow };
      this.windows.set(key, window);
    }
    window.count++;
    return { current: window.count, ttl: window.startMs + window.lengthMs - now };
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.startMs + window.lengthMs <= now) this.windows.delete(key);
  }
}
