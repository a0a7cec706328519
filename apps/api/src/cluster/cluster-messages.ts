/**
 * What the primary and the workers of a multi-worker server say to each other over the
 * cluster IPC channel. Both ends are processes of the same server, started from the same
 * code, so a message is checked for its tag only.
 */
import type { AuditRecord } from '../audit/audit-entry.js';
import type { SessionRecord } from '../auth/token-store.js';

/** A worker's question: one audit entry to write, or one rate-limit hit to count. */
export type WorkerCall =
  | { readonly id: number; readonly kind: 'audit'; readonly record: AuditRecord }
  | { readonly id: number; readonly kind: 'rate'; readonly key: string; readonly timeWindow: number; readonly max: number };

export type CallReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly message: string };

export type WorkerMessage =
  /** The calls of one event-loop turn, in the order they were made. */
  | { readonly chaintrail: 'calls'; readonly calls: readonly WorkerCall[] }
  /** Started and waiting for `init`. */
  | { readonly chaintrail: 'ready' }
  | { readonly chaintrail: 'listening'; readonly port: number }
  | { readonly chaintrail: 'session-revoked'; readonly id: string; readonly revokedAt: string };

export type PrimaryMessage =
  | { readonly chaintrail: 'init'; readonly sessions: readonly SessionRecord[] }
  | { readonly chaintrail: 'replies'; readonly replies: readonly CallReply[] }
  | { readonly chaintrail: 'session-revoked'; readonly id: string; readonly revokedAt: string }
  | { readonly chaintrail: 'shutdown' };

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return typeof message === 'object' && message !== null && typeof (message as { chaintrail?: unknown }).chaintrail === 'string';
}

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  return isWorkerMessage(message);
}
