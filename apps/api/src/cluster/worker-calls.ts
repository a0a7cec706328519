/**
 * The worker's side of the IPC channel: calls to the primary, batched per event-loop turn
 * (one message for all the answers of one moment, not one per request), each settled by
 * the primary's reply.
 */
import { ChaintrailError } from '@chaintrail/core';
import type { AuditRecord } from '../audit/audit-entry.js';
import type { AuditSink } from '../audit/audit-log.js';
import { ClusterChannelError } from '../errors.js';
import type { RateCount } from './rate-window-counter.js';
import type { CallReply, WorkerCall, WorkerMessage } from './cluster-messages.js';

type CallBody = WorkerCall extends infer C ? (C extends WorkerCall ? Omit<C, 'id'> : never) : never;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** The error a failed call carries back: the primary's code and message. */
class RemoteCallError extends ChaintrailError {}

export class WorkerCalls implements AuditSink {
  private nextId = 1;
  private queue: WorkerCall[] = [];
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  /** `send` throws when the channel to the primary is closed. */
  constructor(private readonly send: (message: WorkerMessage) => void) {}

  /** Resolves once the primary has written the entry to the audit log. */
  record(record: AuditRecord): Promise<unknown> {
    return this.call({ kind: 'audit', record });
  }

  /** Counts one request of `key` in the primary's window. */
  rateHit(key: string, timeWindow: number, max: number): Promise<RateCount> {
    return this.call({ kind: 'rate', key, timeWindow, max }) as Promise<RateCount>;
  }

  /** Settles the calls a reply answers. */
  settle(replies: readonly CallReply[]): void {
    for (const reply of replies) {
      const pending = this.pending.get(reply.id);
      if (pending === undefined) continue;
      this.pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new RemoteCallError(reply.code, reply.message));
    }
  }

  /** The primary is gone: every open call fails (answers are withheld, as when the log cannot be written). */
  close(): void {
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new ClusterChannelError('the primary process is gone'));
    this.pending.clear();
  }

  private call(body: CallBody): Promise<unknown> {
    if (this.closed) return Promise.reject(new ClusterChannelError('the primary process is gone'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ id, ...body });
    });
  }

  private flush(): void {
    const calls = this.queue;
    this.queue = [];
    if (calls.length === 0) return;
    try {
      this.send({ chaintrail: 'calls', calls });
    } catch {
      for (const call of calls) {
        this.pending.get(call.id)?.reject(new ClusterChannelError('cannot reach the primary process'));
        this.pending.delete(call.id);
      }
    }
  }
}
