import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleepFor } from 'node:timers/promises';
import axios, { type AxiosInstance } from 'axios';
import PQueue from 'p-queue';
import { toError } from '@chaintrail/core';
import { backoffDelayMs, defaultRetryPolicy, parseRetryAfterMs, type RetryPolicy } from './retry-policy.js';
import { SourceAuthError, SourceRateLimitedError, SourceRejectedRequestError, SourceUnreachableError } from './source-errors.js';

/** Limits and patience of one HTTP chain source. */
export interface HttpLimits {
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Requests started per second, over a sliding window. */
  readonly requestsPerSecond: number;
  /** Deadline of one attempt, headers and body (ms). */
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
}

export const defaultHttpLimits: HttpLimits = {
  concurrency: 4,
  requestsPerSecond: 8,
  timeoutMs: 30_000,
  retry: defaultRetryPolicy,
};

export interface HttpTransportOptions extends HttpLimits {
  /** Base URL; request paths are appended to it. */
  readonly baseUrl: string;
  /** Names the source in error messages (no credentials). */
  readonly sourceName: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest body accepted (bytes); a bigger one fails rather than exhausting memory. */
  readonly maxBodyBytes?: number;
  /** Waits between attempts; tests inject one that records instead of sleeping. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * What the caller makes of an answer that reached it. `retry` is for answers that may be
 * transient (a body cut short by a proxy, a node still warming up); `error` is thrown if the
 * retries run out. Returning undefined leaves the status to the transport's defaults.
 */
export type Interpretation<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'retry'; readonly error: Error }
  | undefined;

export type Interpreter<T> = (status: number, body: string) => Interpretation<T>;

/** Network errors worth another attempt: the next one may well succeed. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_CANCELED',
  'ERR_BAD_RESPONSE',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * HTTP with the manners a public API expects and the suspicion evidence needs: a
 * concurrency cap and a sliding-window requests-per-second cap (p-queue), retries with
 * full-jitter exponential backoff on 429, 5xx, timeouts and resets, `Retry-After` honoured
 * (and a 429 pauses every request, since the limit is the server's, not the route's), and
 * every answer passed to an interpreter that validates it before anything is used.
 */
export class HttpTransport {
  readonly #options: HttpTransportOptions;
  readonly #http: AxiosInstance;
  readonly #queue: PQueue;
  readonly #agents: { http: HttpAgent; https: HttpsAgent };
  readonly #sleep: (ms: number) => Promise<void>;
  #pausedUntil = 0;
  #pause: Promise<void> = Promise.resolve();
  #requests = 0;
  #retries = 0;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#sleep = options.sleep ?? ((ms) => sleepFor(ms));
    this.#agents = {
      http: new HttpAgent({ keepAlive: true, maxSockets: options.concurrency }),
      https: new HttpsAgent({ keepAlive: true, maxSockets: options.concurrency }),
    };
    this.#http = axios.create({
      httpAgent: this.#agents.http,
      httpsAgent: this.#agents.https,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      // A redirect could carry the RPC credentials to another host; none of the APIs needs one.
      maxRedirects: 0,
      maxContentLength: options.maxBodyBytes ?? 64 * 1024 * 1024,
      maxBodyLength: 16 * 1024 * 1024,
      ...(options.headers ? { headers: { ...options.headers } } : {}),
    });
    this.#queue = new PQueue({
      concurrency: options.concurrency,
      intervalCap: Math.max(1, Math.floor(options.requestsPerSecond)),
      interval: 1000,
      strict: true,
    });
  }

  get requests(): number {
    return this.#requests;
  }

  get retries(): number {
    return this.#retries;
  }

  /** Sends `request` until the interpreter accepts an answer; null for not found. */
  async send<T>(request: HttpRequest, interpret: Interpreter<T>): Promise<T | null> {
    const { retry } = this.#options;
    const route = `${request.method} ${request.path}`;
    let lastFailure: { kind: 'rate-limited'; retryAfterMs: number | undefined } | { kind: 'error'; error: Error } = {
      kind: 'error',
      error: new Error('no attempt made'),
    };
    for (let attempt = 0; attempt <= retry.retries; attempt++) {
      if (attempt > 0) this.#retries++;
      await this.#waitForPause();
      let waitMs: number | undefined;
      const answer = await this.#attempt(request);
      if (answer.kind === 'network') {
        if (!isTransient(answer.error)) throw new SourceUnreachableError(this.#options.sourceName, `${route}: ${describe(answer.error)}`, { cause: answer.error });
        lastFailure = { kind: 'error', error: answer.error };
      } else {
        const { status, body, retryAfter } = answer;
        if (status === 429) {
          const retryAfterMs = parseRetryAfterMs(retryAfter);
          if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) {
            throw new SourceRateLimitedError(this.#options.sourceName, route, `the server asks to wait ${Math.ceil(retryAfterMs / 1000)} s, more than the ${Math.ceil(retry.maxRetryAfterMs / 1000)} s allowed`, retryAfterMs);
          }
          lastFailure = { kind: 'rate-limited', retryAfterMs };
          if (retryAfterMs !== undefined) {
            // Every request waits out the pause, this one included, at the top of the loop.
            waitMs = 0;
            this.#pauseFor(retryAfterMs);
          }
        } else {
          const verdict = interpret(status, body);
          if (verdict?.kind === 'ok') return verdict.value;
          if (verdict?.kind === 'not-found') return null;
          if (verdict?.kind === 'retry') {
            lastFailure = { kind: 'error', error: verdict.error };
          } else if (status >= 500) {
            lastFailure = { kind: 'error', error: new Error(`HTTP ${status}${body ? ` ${JSON.stringify(body.slice(0, 120))}` : ''}`) };
            // A 503 may say when to come back (RFC 9110 §15.6.4).
            const retryAfterMs = parseRetryAfterMs(retryAfter);
            if (retryAfterMs !== undefined && retryAfterMs <= retry.maxRetryAfterMs) waitMs = retryAfterMs;
          } else if (status === 401 || status === 403) {
            throw new SourceAuthError(this.#options.sourceName, `HTTP ${status} for ${route}`);
          } else {
            throw new SourceRejectedRequestError(this.#options.sourceName, route, status, body);
          }
        }
      }
      if (attempt < retry.retries && waitMs !== 0) await this.#sleep(waitMs ?? backoffDelayMs(attempt, retry, this.#options.random));
    }
    if (lastFailure.kind === 'rate-limited') {
      throw new SourceRateLimitedError(this.#options.sourceName, route, `still HTTP 429 after ${retry.retries + 1} attempts`, lastFailure.retryAfterMs);
    }
    if (lastFailure.error instanceof Error && 'code' in lastFailure.error && String(lastFailure.error.code).startsWith('CHAINTRAIL_')) {
      throw lastFailure.error;
    }
    throw new SourceUnreachableError(this.#options.sourceName, `${route} failed ${retry.retries + 1} times, last: ${describe(lastFailure.error)}`, {
      cause: lastFailure.error,
    });
  }

  async close(): Promise<void> {
    this.#queue.clear();
    await this.#queue.onIdle();
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async #attempt(
    request: HttpRequest,
  ): Promise<{ kind: 'answer'; status: number; body: string; retryAfter: string | undefined } | { kind: 'network'; error: Error }> {
    const url = joinUrl(this.#options.baseUrl, request.path);
    return this.#queue.add(async () => {
      this.#requests++;
      try {
        const response = await this.#http.request<string>({
          method: request.method,
          url,
          timeout: this.#options.timeoutMs,
          // The socket timeout above fires only on silence; this bounds a slow trickle too.
          signal: AbortSignal.timeout(this.#options.timeoutMs),
          ...(request.body === undefined ? {} : { data: request.body }),
          ...(request.headers ? { headers: { ...request.headers } } : {}),
        });
        const retryAfter = response.headers['retry-after'] as unknown;
        return {
          kind: 'answer' as const,
          status: response.status,
          body: typeof response.data === 'string' ? response.data : String(response.data),
          retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
        };
      } catch (error) {
        return { kind: 'network' as const, error: toError(error) };
      }
    });
  }

  async #waitForPause(): Promise<void> {
    await this.#pause;
  }

  /** Holds every request until `ms` from now, unless a longer pause is already running. */
  #pauseFor(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    this.#pause = this.#sleep(ms);
  }
}

function isTransient(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  // Node reports a body cut short as "aborted" or "socket hang up" without a stable code.
  return /aborted|hang up|timeout|premature/i.test(error.message);
}

function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
