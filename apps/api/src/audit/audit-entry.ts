/**
 * One line of the audit log: who asked what and what came back. Each line carries the
 * SHA-256 of the line before it (`prev`), so editing or deleting any line breaks the
 * chain at the next one, and the head file (sequence number and hash of the last line)
 * catches lines cut from the end.
 */
import { hash } from 'node:crypto';
import { z } from 'zod';
import { roleSchema } from '../schemas/access-schemas.js';

/** `prev` of the first line. */
export const GENESIS_HASH = '0'.repeat(64);

const queryValueSchema = z.union([z.string(), z.array(z.string())]);

export const auditEntrySchema = z.strictObject({
  seq: z.number().int().min(1),
  time: z.string(),
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  /** 'request' for an HTTP request; 'start' and 'stop' for the server's own life. */
  event: z.enum(['request', 'start', 'stop']),
  /** The server's id of the request (also in its error answers and log lines). */
  requestId: z.string().nullable(),
  /** The token behind the request; null when it had none or a bad one. */
  who: z.strictObject({ tokenId: z.string(), role: roleSchema, label: z.string() }).nullable(),
  ip: z.string().nullable(),
  method: z.string().nullable(),
  /** The route pattern (`/api/addresses/:address`), or the path when no route matched. */
  route: z.string().nullable(),
  params: z.record(z.string(), queryValueSchema),
  query: z.record(z.string(), queryValueSchema),
  /** Bodies are logged by size and hash: notes and tag files stay out of the log, yet a body can be matched later. */
  body: z.strictObject({ bytes: z.number().int(), sha256: z.string() }).nullable(),
  status: z.number().int().nullable(),
  resultBytes: z.number().int().nullable(),
  /** Items in the answer's lists (neighbours, history entries, results...). */
  resultItems: z.number().int().nullable(),
  /** In multi-worker mode: the worker process that answered (its node:cluster id), set by the primary. */
  worker: z.number().int().min(1).optional(),
  /** For 'start' and 'stop': where the server listened and which store it served. */
  detail: z.record(z.string(), z.string()).optional(),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** What the caller supplies; the log adds `seq`, `time` and `prev`. */
export type AuditRecord = Omit<AuditEntry, 'seq' | 'time' | 'prev'>;

export const auditHeadSchema = z.strictObject({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AuditHead = z.infer<typeof auditHeadSchema>;

/** The hash the next line carries as `prev`: SHA-256 of this line's exact UTF-8 bytes. */
export function lineHash(line: string): string {
  return hash('sha256', line, 'hex');
}

/** The head file beside the log. */
export function headPathOf(logPath: string): string {
  return `${logPath}.head`;
}
