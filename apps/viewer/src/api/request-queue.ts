/**
 * Bounds how many requests are in flight, interactive ones (a click) ahead of background
 * ones (details of nodes coming into view), so a large expansion never starves a click and
 * never floods the API's per-token rate limit.
 */
export type Priority = 'interactive' | 'background';

interface Waiter {
  readonly start: () => void;
  readonly signal: AbortSignal | undefined;
  readonly reject: (reason: unknown) => void;
}

export class RequestQueue {
  private running = 0;
  private readonly waiting: Record<Priority, Waiter[]> = { interactive: [], background: [] };

  constructor(
    private readonly maxInFlight: number,
    /** Background requests never take the last slots, so a click always finds one. */
    private readonly reservedForInteractive = 2,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.interactive.length + this.waiting.background.length;
  }

  async run<T>(priority: Priority, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    await this.slot(priority, signal);
    try {
      return await task();
    } finally {
      this.running--;
      this.next();
    }
  }

  private limit(priority: Priority): number {
    return priority === 'interactive' ? this.maxInFlight : Math.max(1, this.maxInFlight - this.reservedForInteractive);
  }

  private slot(priority: Priority, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.running < this.limit(priority) && this.waiting.interactive.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { start: resolve, signal, reject };
      this.waiting[priority].push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const list = this.waiting[priority];
          const at = list.indexOf(waiter);
          if (at !== -1) {
            list.splice(at, 1);
            reject(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
          }
        },
        { once: true },
      );
    });
  }

  private next(): void {
    for (const priority of ['interactive', 'background'] as const) {
      const list = this.waiting[priority];
      while (list.length > 0 && this.running < this.limit(priority)) {
        const waiter = list.shift()!;
        this.running++;
        waiter.start();
      }
    }
  }
}
