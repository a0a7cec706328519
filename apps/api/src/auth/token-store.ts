/**
 * Where bearer tokens live: a JSON file under the data dir holding only each token's
 * hash, role and label (mode 0600), plus session tokens that exist only in the memory of
 * one server run. The server re-reads the file when it changes, so a token created or
 * revoked with the CLI takes effect on the next request without a restart.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toError } from '@chaintrail/core';
import { z } from 'zod';
import { TokenFileError, UnknownTokenError } from '../errors.js';
import { withFileLock } from '../file-lock.js';
import { roleSchema, type Role } from '../schemas/access-schemas.js';
import { newTokenSecret, tokenIdOf, tokenMatches } from './token-secret.js';

/** Who a request comes from, once its token is verified. */
export interface TokenIdentity {
  readonly tokenId: string;
  readonly role: Role;
  readonly label: string;
}

export interface TokenInfo extends TokenIdentity {
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export interface TokenCreate {
  readonly role: Role;
  readonly label: string;
  readonly expiresInDays?: number;
}

const tokenRecordSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  role: roleSchema,
  label: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
type TokenRecord = z.infer<typeof tokenRecordSchema>;

/**
 * A session token as held in memory: its hash, never its secret. The primary of a
 * multi-worker server hands these to its workers so the login URL works in every one.
 */
export type SessionRecord = TokenRecord;
export const sessionRecordSchema = tokenRecordSchema;

const tokenFileSchema = z.object({ version: z.literal(1), tokens: z.array(tokenRecordSchema) });

interface FileStamp {
  readonly mtimeMs: number;
  readonly size: number;
  readonly ino: number;
}

export class TokenStore {
  private records = new Map<string, TokenRecord>();
  private readonly sessions = new Map<string, TokenRecord>();
  private stamp: FileStamp | null = null;
  private readonly sessionRevokedListeners: ((id: string, revokedAt: string) => void)[] = [];

  private constructor(readonly path: string | null) {}

  /** The token file at `path`, created (with its folder) on the first write. */
  static open(path: string): TokenStore {
    const store = new TokenStore(path);
    store.refresh();
    return store;
  }

  /** Tokens only in memory: for tests and single-run servers. */
  static inMemory(): TokenStore {
    return new TokenStore(null);
  }

  /** The identity behind `token`, or null when it is unknown, revoked or expired. */
  verify(token: string, now: Date = new Date()): TokenIdentity | null {
    const id = tokenIdOf(token);
    if (id === null) return null;
    this.refresh();
    const record = this.sessions.get(id) ?? this.records.get(id);
    if (record === undefined || !tokenMatches(token, record.hash)) return null;
    if (record.revokedAt !== null) return null;
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime()) return null;
    return { tokenId: record.id, role: record.role, label: record.label };
  }

  /** Creates a token; the returned `token` is the only time its secret exists outside the caller. */
  create(create: TokenCreate, now: Date = new Date()): { token: string; info: TokenInfo } {
    const secret = newTokenSecret();
    const record: TokenRecord = {
      id: secret.id,
      hash: secret.hash,
      role: create.role,
      label: create.label,
      createdAt: now.toISOString(),
      expiresAt: create.expiresInDays === undefined ? null : new Date(now.getTime() + create.expiresInDays * 86_400_000).toISOString(),
      revokedAt: null,
    };
    this.update((records) => records.set(record.id, record));
    return { token: secret.token, info: infoOf(record) };
  }

  /**
   * A token for one server run (the login URL of `chaintrail serve`): held in memory only,
   * gone when the process ends.
   */
  createSession(role: Role, label = 'session', now: Date = new Date()): { token: string; info: TokenInfo } {
    const secret = newTokenSecret();
    const record: TokenRecord = { id: secret.id, hash: secret.hash, role, label, createdAt: now.toISOString(), expiresAt: null, revokedAt: null };
    this.sessions.set(record.id, record);
    return { token: secret.token, info: infoOf(record) };
  }

  /** The session tokens of this run (hashes only), to share with the workers of a multi-worker server. */
  sessionRecords(): SessionRecord[] {
    return [...this.sessions.values()];
  }

  /** Takes on session tokens created by another process of the same server. */
  adoptSessions(records: readonly SessionRecord[]): void {
    for (const record of records) this.sessions.set(record.id, record);
  }

  /** Called when a session token is revoked here (not when it was revoked already). */
  onSessionRevoked(listener: (id: string, revokedAt: string) => void): void {
    this.sessionRevokedListeners.push(listener);
  }

  /** Every stored token (session tokens included), oldest first. */
  list(): TokenInfo[] {
    this.refresh();
    return [...this.records.values(), ...this.sessions.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map(infoOf);
  }

  /** Revokes a token for good; revoking it again changes nothing. */
  revoke(id: string, now: Date = new Date()): TokenInfo {
    const session = this.sessions.get(id);
    if (session !== undefined) {
      const revoked = { ...session, revokedAt: session.revokedAt ?? now.toISOString() };
      this.sessions.set(id, revoked);
      if (session.revokedAt === null) for (const listener of this.sessionRevokedListeners) listener(id, revoked.revokedAt);
      return infoOf(revoked);
    }
    let result: TokenRecord | undefined;
    this.update((records) => {
      const record = records.get(id);
      if (record === undefined) throw new UnknownTokenError(id);
      result = { ...record, revokedAt: record.revokedAt ?? now.toISOString() };
      records.set(id, result);
    });
    return infoOf(result!);
  }

  /** Re-reads the token file when it changed on disk since the last read. */
  private refresh(): void {
    if (this.path === null) return;
    let stamp: FileStamp | null;
    try {
      const stat = statSync(this.path);
      stamp = { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new TokenFileError(this.path, toError(error).message, { cause: error });
      stamp = null;
    }
    if (sameStamp(stamp, this.stamp)) return;
    this.records = stamp === null ? new Map<string, TokenRecord>() : readTokenFile(this.path);
    this.stamp = stamp;
  }

  private update(change: (records: Map<string, TokenRecord>) => void): void {
    const path = this.path;
    if (path === null) {
      change(this.records);
      return;
    }
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      withFileLock(`${path}.lock`, () => {
        this.stamp = null;
        this.refresh();
        const records = new Map(this.records);
        change(records);
        const temp = `${path}.${process.pid}.tmp`;
        writeFileSync(temp, `${JSON.stringify({ version: 1, tokens: [...records.values()] }, null, 2)}\n`, { mode: 0o600 });
        chmodSync(temp, 0o600);
        renameSync(temp, path);
        this.records = records;
        this.stamp = null;
      });
    } catch (error) {
      if (error instanceof UnknownTokenError || error instanceof TokenFileError) throw error;
      throw new TokenFileError(path, toError(error).message, { cause: error });
    }
  }
}

function readTokenFile(path: string): Map<string, TokenRecord> {
  let parsed: z.infer<typeof tokenFileSchema>;
  try {
    parsed = tokenFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new TokenFileError(path, `it is not a chaintrail token file (${toError(error).message.slice(0, 200)}); move it away to start a new one`, { cause: error });
  }
  return new Map(parsed.tokens.map((record) => [record.id, record]));
}

function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  if (a === null || b === null) return a === b;
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}

function infoOf(record: TokenRecord): TokenInfo {
  return {
    tokenId: record.id,
    role: record.role,
    label: record.label,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
  };
}
