/**
 * A @fastify/rate-limit store for a worker of a multi-worker server: every hit is counted
 * by the primary, so a token gets the same limit however its requests spread over workers.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { toError } from '@chaintrail/core';
import type { WorkerCalls } from './worker-calls.js';

export function ipcRateLimitStore(calls: WorkerCalls): FastifyRateLimitStoreCtor {
  return class IpcRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      calls.rateHit(key, timeWindow, max).then(
        (count) => callback(null, count),
        (error: unknown) => callback(toError(error)),
      );
    }

    child(): FastifyRateLimitStore {
      return new IpcRateLimitStore();
    }
  };
}
