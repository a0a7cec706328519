/**
 * The append-only, hash-chained audit log (JSON lines). One process writes it at a time
 * (a lock file beside it); in multi-worker mode that is the primary, fed by the workers.
 * Each write also rewrites the fixed-size head file in place, so truncation shows.
 *
 * Group commit: `record()` (what the server uses per request) chains the entry at once,
 * in call order, and writes every entry recorded in the same event-loop turn with one
 * `write` and one head update; its promise settles after that write. So an answer still
 * leaves only once its entry is in the file, for two system calls per batch instead of per
 * request. Durability, decided: "in the file" means handed to the kernel, which survives
 * the server process crashing or being killed. The log is fdatasync'd off the event loop
 * at most `syncIntervalMs` (1 s) after a write and on close, so a power cut loses at most
 * that last second, the same trade the SQLite store makes with `synchronous = NORMAL`. An
 * fsync per request would cost a disk flush per answer (milliseconds, far more on disks
 * without a write cache) for a failure mode the head file still exposes.
 *
 * On open the log is checked against its head: a log that no longer matches is evidence
 * of tampering or of a crash, and the server refuses to append to it rather than paper
 * over it (the way out: keep the files, verify them, start a new log).
 */
import { closeSync, existsSync, fdatasync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { toError } from '@chaintrail/core';
import { AuditLogError } from '../errors.js';
import { tryLock, type FileLock } from '../file-lock.js';
import { auditEntrySchema, auditHeadSchema, GENESIS_HASH, headPathOf, lineHash, type AuditEntry, type AuditHead, type AuditRecord } from './audit-entry.js';

/** The head file is rewritten in place at this fixed size, so it never holds a torn half. */
const HEAD_FILE_BYTES = 128;

/** Where the server sends one entry per request; resolves once the entry is written. */
export interface AuditSink {
  record(record: AuditRecord): Promise<unknown>;
}

interface PendingEntry {
  readonly entry: AuditEntry;
  readonly line: string;
  readonly resolve: (entry: AuditEntry) => void;
  readonly reject: (error: Error) => void;
}

export interface AuditLogOptions {
  readonly now?: () => Date;
  /** Longest time a written entry waits for fdatasync (default 1000 ms). */
  readonly syncIntervalMs?: number;
}

export class AuditLog implements AuditSink {
  /** The last entry written to the file. */
  private seq: number;
  private hash: string;
  /** The last entry chained, written or still in the batch. */
  private nextSeq: number;
  private nextHash: string;
  private batch: PendingEntry[] = [];
  private flushScheduled = false;
  private syncTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly logFd: number,
    private readonly headFd: number,
    private readonly lock: FileLock,
    head: AuditHead,
    private readonly now: () => Date,
    private readonly syncIntervalMs: number,
  ) {
    this.seq = this.nextSeq = head.seq;
    this.hash = this.nextHash = head.hash;
  }

  /** Opens (creating) the log at `path` for appending; one writer at a time. */
  static open(path: string, options: AuditLogOptions = {}): AuditLog {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new AuditLogError(path, toError(error).message, { cause: error });
    }
    const lock = tryLock(`${path}.lock`);
    if (!('release' in lock)) {
      throw new AuditLogError(path, `another chaintrail server (process ${lock.heldBy}) is writing it; stop that one, or give this one its own data dir`);
    }
    let logFd: number | null = null;
    let headFd: number | null = null;
    try {
      logFd = openSync(path, 'a+', 0o600);
      const head = readTail(path, logFd);
      const headPath = headPathOf(path);
      const recorded = existsSync(headPath) ? readHeadFile(path, headPath) : null;
      if (recorded !== null && (recorded.seq !== head.seq || recorded.hash !== head.hash)) {
        throw new AuditLogError(
          path,
          `it ends at entry ${head.seq} but its head file records entry ${recorded.seq} (hash ${recorded.hash.slice(0, 12)}…): lines were removed or changed. Keep both files as evidence, run \`chaintrail audit verify\`, and start a new log elsewhere`,
        );
      }
      if (recorded === null && head.seq > 0) {
        throw new AuditLogError(path, `its head file ${headPath} is missing. Keep the log as evidence, run \`chaintrail audit verify\`, and start a new log elsewhere`);
      }
      headFd = openSync(headPath, existsSync(headPath) ? 'r+' : 'w+', 0o600);
      const log = new AuditLog(path, logFd, headFd, lock, head, options.now ?? (() => new Date()), options.syncIntervalMs ?? 1000);
      log.writeHead();
      return log;
    } catch (error) {
      if (logFd !== null) closeSync(logFd);
      if (headFd !== null) closeSync(headFd);
      lock.release();
      if (error instanceof AuditLogError) throw error;
      throw new AuditLogError(path, toError(error).message, { cause: error });
    }
  }

  /** The sequence number and hash of the last entry written (seq 0 and the genesis hash when empty). */
  get head(): AuditHead {
    return { seq: this.seq, hash: this.hash };
  }

  /**
   * Chains one entry now and writes it with the others of this event-loop turn. Resolves
   * once it is in the file; rejects with AuditLogError when it cannot be written (the
   * caller must not answer then).
   */
  record(record: AuditRecord): Promise<AuditEntry> {
    if (this.closed) return Promise.reject(new AuditLogError(this.path, 'the log is closed'));
    return new Promise((resolve, reject) => {
      const { entry, line } = this.chain(record);
      this.batch.push({ entry, line, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Appends one entry at once (after any batch still pending); throws AuditLogError when it cannot be written. */
  append(record: AuditRecord): AuditEntry {
    if (this.closed) throw new AuditLogError(this.path, 'the log is closed');
    this.flush();
    const { entry, line } = this.chain(record);
    this.writeLines(`${line}\n`, entry.seq);
    return entry;
  }

  /** Flushes both files to disk and releases the lock. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.syncTimer !== null) clearTimeout(this.syncTimer);
    try {
      fsyncSync(this.logFd);
      fsyncSync(this.headFd);
    } finally {
      closeSync(this.logFd);
      closeSync(this.headFd);
      this.lock.release();
    }
  }

  private chain(record: AuditRecord): { entry: AuditEntry; line: string } {
    const entry: AuditEntry = { seq: this.nextSeq + 1, time: this.now().toISOString(), prev: this.nextHash, ...record };
    const line = JSON.stringify(entry);
    this.nextSeq = entry.seq;
    this.nextHash = lineHash(line);
    return { entry, line };
  }

  /** Writes the batch chained so far; settles its promises. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    try {
      this.writeLines(batch.map((pending) => `${pending.line}\n`).join(''), batch[batch.length - 1]!.entry.seq);
    } catch (error) {
      for (const pending of batch) pending.reject(toError(error));
      return;
    }
    for (const pending of batch) pending.resolve(pending.entry);
  }

  /** Writes chained lines ending at entry `lastSeq` (the last one chained); on failure the chain goes back to the last entry written. */
  private writeLines(text: string, lastSeq: number): void {
    try {
      writeSync(this.logFd, text);
    } catch (error) {
      this.nextSeq = this.seq;
      this.nextHash = this.hash;
      throw new AuditLogError(this.path, toError(error).message, { cause: error });
    }
    this.seq = lastSeq;
    this.hash = this.nextHash;
    this.writeHead();
    this.scheduleSync();
  }

  /** fdatasync off the event loop, at most syncIntervalMs after a write. */
  private scheduleSync(): void {
    if (this.syncTimer !== null) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      if (this.closed) return;
      fdatasync(this.logFd, () => undefined);
      fdatasync(this.headFd, () => undefined);
    }, this.syncIntervalMs);
    this.syncTimer.unref();
  }

  private writeHead(): void {
    const text = JSON.stringify({ seq: this.seq, hash: this.hash });
    const padded = Buffer.alloc(HEAD_FILE_BYTES, ' ');
    padded.write(text, 0, 'utf8');
    padded.write('\n', HEAD_FILE_BYTES - 1, 'utf8');
    try {
      writeSync(this.headFd, padded, 0, HEAD_FILE_BYTES, 0);
    } catch (error) {
      throw new AuditLogError(this.path, `cannot update the head file: ${toError(error).message}`, { cause: error });
    }
  }
}

/** Reads the head file (the caller knows it exists). */
export function readHeadFile(logPath: string, headPath: string): AuditHead {
  try {
    return auditHeadSchema.parse(JSON.parse(readFileSync(headPath, 'utf8')));
  } catch (error) {
    throw new AuditLogError(logPath, `its head file ${headPath} is unreadable (${toError(error).message.slice(0, 200)})`, { cause: error });
  }
}

/** The seq and hash of the log's last line, read from the end of the file. */
function readTail(path: string, fd: number): AuditHead {
  const size = fstatSync(fd).size;
  if (size === 0) return { seq: 0, hash: GENESIS_HASH };
  for (let window = 64 * 1024; ; window *= 4) {
    const length = Math.min(window, size);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    if (buffer[length - 1] !== 0x0a) {
      throw new AuditLogError(path, 'its last line is incomplete (a crash mid-write, or an edit). Keep it as evidence, run `chaintrail audit verify`, and start a new log elsewhere');
    }
    const start = buffer.lastIndexOf(0x0a, length - 2) + 1;
    if (start === 0 && length < size) continue;
    const line = buffer.toString('utf8', start, length - 1);
    const entry = auditEntrySchema.safeParse(safeJson(line));
    if (!entry.success) throw new AuditLogError(path, 'its last line is not an audit entry. Run `chaintrail audit verify` and start a new log elsewhere');
    return { seq: entry.data.seq, hash: lineHash(line) };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
