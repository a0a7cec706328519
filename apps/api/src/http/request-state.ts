/**
 * What the API hangs on each request as it passes through the hooks: who sent it (from
 * the bearer token), what its body was (for the audit log) and how many items the answer
 * held.
 */
import type { TokenIdentity } from '../auth/token-store.js';

export interface BodyDigest {
  readonly bytes: number;
  readonly sha256: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token behind the request; null without one or with a bad one. */
    who: TokenIdentity | null;
    /** Why `who` is null: no Authorization header, or a token that did not verify. */
    authFailure: 'missing' | 'invalid' | null;
    auditBody: BodyDigest | null;
    /** The body as sent, for routes that take a file (`bodyText`). */
    rawText: string | null;
    auditItems: number | null;
  }
}
