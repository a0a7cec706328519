/**
 * Failures of the API layer, one small class per kind, each with a stable code. Store
 * errors (NotFoundError, BadQueryError, ...) pass through unchanged; `http/error-reply.ts`
 * maps every code to an HTTP status.
 */
import { ChaintrailError } from '@chaintrail/core';

/** A request parameter, query value or body field that fails validation (HTTP 400). */
export class BadRequestError extends ChaintrailError {
  /** Where the bad value was: `query.limit`, `params.address`, `body.target.id`. */
  readonly field: string;
  constructor(field: string, detail: string) {
    super('CHAINTRAIL_BAD_REQUEST', `Invalid ${field}: ${detail}.`);
    this.field = field;
  }
}

/** No bearer token, or one that is unknown, revoked or expired (HTTP 401). */
export class UnauthenticatedError extends ChaintrailError {
  constructor(reason: 'missing' | 'invalid') {
    super(
      'CHAINTRAIL_UNAUTHENTICATED',
      reason === 'missing'
        ? 'This API needs a bearer token (Authorization: Bearer ct_...). Use the login URL `chaintrail serve` printed, or create one with `chaintrail token create --role viewer`.'
        : 'The bearer token is unknown, revoked or expired. Create a new one with `chaintrail token create --role viewer`.',
    );
  }
}

/** A valid token whose role does not allow the route (HTTP 403). */
export class ForbiddenError extends ChaintrailError {
  constructor(role: string, needed: string, route: string) {
    super('CHAINTRAIL_FORBIDDEN', `A ${role} token may not ${needed} (${route}). Ask an admin for a token with a role that may.`);
  }
}

/** Too many requests from one token (or, without a token, one address) (HTTP 429). */
export class RateLimitedError extends ChaintrailError {
  constructor(max: number, windowSeconds: number, retryAfterSeconds: number) {
    super(
      'CHAINTRAIL_RATE_LIMITED',
      `More than ${max} requests in ${windowSeconds} s from this token; retry in ${retryAfterSeconds} s, or ask for a higher limit (serve --rate-limit).`,
    );
  }
}

/** The thing asked for exists but not in the case named in the URL (HTTP 404). */
export class NotInCaseError extends ChaintrailError {
  constructor(kind: string, id: string, caseId: string) {
    super('CHAINTRAIL_NOT_FOUND', `No ${kind} ${JSON.stringify(id)} in case ${JSON.stringify(caseId)}. List the case's ${kind}s to find its id.`);
  }
}

/** A server configuration that would open a door: no auth off loopback, a bad port. */
export class InsecureServerConfigError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_USAGE_INSECURE_SERVER', `Refusing to start the API server: ${detail}.`);
  }
}

/** The token file cannot be read or written, or is not a chaintrail token file. */
export class TokenFileError extends ChaintrailError {
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super('CHAINTRAIL_TOKEN_FILE', `Cannot use the token file ${path}: ${detail}.`, options);
  }
}

/** `token revoke` of an id that is not in the token file. */
export class UnknownTokenError extends ChaintrailError {
  constructor(id: string) {
    super('CHAINTRAIL_NOT_FOUND', `No token with id ${JSON.stringify(id)}. List tokens with \`chaintrail token list\`.`);
  }
}

/** The audit log cannot be opened or appended to: the server must not serve unaudited. */
export class AuditLogError extends ChaintrailError {
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super('CHAINTRAIL_AUDIT_LOG', `Cannot write the audit log ${path}: ${detail}.`, options);
  }
}

/** A Host header the server does not answer to (HTTP 421): a DNS-rebinding page, or a wrong URL. */
export class MisdirectedRequestError extends ChaintrailError {
  constructor(host: string, allowed: readonly string[]) {
    super('CHAINTRAIL_MISDIRECTED', `This server answers to ${allowed.join(', ')}, not to ${JSON.stringify(host.slice(0, 100))}. Use the URL \`chaintrail serve\` printed.`);
  }
}

/**
 * A worker of a multi-worker server cannot reach its primary, which writes the audit log
 * and counts rate limits (HTTP 503): the answer is withheld. Restart `chaintrail serve`.
 */
export class ClusterChannelError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_CLUSTER_CHANNEL', `This API worker cannot serve: ${detail}. Restart \`chaintrail serve\`; the audit log holds every request answered so far.`);
  }
}

/** A worker of a multi-worker server failed to start or stopped unexpectedly. */
export class ApiWorkerError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_API_WORKER', `An API worker process failed: ${detail}. Its error is printed above; try \`chaintrail serve --workers 1\` to see it in one process.`);
  }
}
