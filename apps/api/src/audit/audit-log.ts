/**
 * The append-only, hash-chained audit log (JSON lines). One server writes it at a time
 * (a lock file beside it), and every line is one `write` to a file opened for appending.
 * Each append also rewrites the fixed-size head file in place, so truncation shows.
 *
 * On open the log is checked against its head: a log that no longer matches is evidence
 * of tampering or of a crash, and the server refuses to append to it rather than paper
 * over it (the way out: keep the files, verify them, start a new log).
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { toError } from '@chaintrail/core';
import { AuditLogError } from '../errors.js';
import { tryLock, type FileLock } from '../file-lock.js';
import { auditEntrySchema, auditHeadSchema, GENESIS_HASH, headPathOf, lineHash, type AuditEntry, type AuditHead, type AuditRecord } from './audit-entry.js';

/** The head file is rewritten in place at this fixed size, so it never holds a torn half. */
const HEAD_FILE_BYTES = 128;

export class AuditLog {
  private seq: number;
  private hash: string;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly logFd: number,
    private readonly headFd: number,
    private readonly lock: FileLock,
    head: AuditHead,
    private readonly now: () => Date,
  ) {
    this.seq = head.seq;
    this.hash = head.hash;
  }

  /** Opens (creating) the log at `path` for appending; one writer at a time. */
  static open(path: string, options: { now?: () => Date } = {}): AuditLog {
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
      const log = new AuditLog(path, logFd, headFd, lock, head, options.now ?? (() => new Date()));
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

  /** The sequence number and hash of the last entry (seq 0 and the genesis hash when empty). */
  get head(): AuditHead {
    return { seq: this.seq, hash: this.hash };
  }

  /** Appends one entry; throws AuditLogError when it cannot be written (the caller must not answer then). */
  append(record: AuditRecord): AuditEntry {
    if (this.closed) throw new AuditLogError(this.path, 'the log is closed');
    const entry: AuditEntry = { seq: this.seq + 1, time: this.now().toISOString(), prev: this.hash, ...record };
    const line = JSON.stringify(entry);
    try {
      writeSync(this.logFd, `${line}\n`);
    } catch (error) {
      throw new AuditLogError(this.path, toError(error).message, { cause: error });
    }
    this.seq = entry.seq;
    this.hash = lineHash(line);
    this.writeHead();
    return entry;
  }

  /** Flushes both files to disk and releases the lock. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fsyncSync(this.logFd);
      fsyncSync(this.headFd);
    } finally {
      closeSync(this.logFd);
      closeSync(this.headFd);
      this.lock.release();
    }
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
