/**
 * Bearer token strings: `ct_<id>_<secret>`. The id (64 random bits, hex) is public: it
 * names the token in lists and the audit log. The secret is 256 random bits, so a
 * plain SHA-256 of the whole token is a safe stored form (no password-style slow hash
 * is needed for a secret nobody chose), and the token itself is never stored.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

const tokenPattern = /^ct_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewTokenSecret {
  readonly id: string;
  readonly token: string;
  readonly hash: string;
}

export function newTokenSecret(): NewTokenSecret {
  const id = randomBytes(8).toString('hex');
  const token = `ct_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** The id inside a well-formed token, or null. */
export function tokenIdOf(token: string): string | null {
  return tokenPattern.exec(token)?.[1] ?? null;
}

/** Whether `token` hashes to `stored` (hex), compared in constant time. */
export function tokenMatches(token: string, stored: string): boolean {
  const actual = hash('sha256', token, 'buffer');
  const expected = Buffer.from(stored, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
