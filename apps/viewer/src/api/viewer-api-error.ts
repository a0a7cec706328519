/**
 * A failed API call, with the API's stable code (`CHAINTRAIL_NOT_FOUND`,
 * `CHAINTRAIL_UNAUTHENTICATED`, ...) or one of the viewer's own for failures before an
 * answer (`CHAINTRAIL_VIEWER_NETWORK`, `CHAINTRAIL_VIEWER_TIMEOUT`,
 * `CHAINTRAIL_VIEWER_BAD_RESPONSE`). Mirrors @chaintrail/core's ChaintrailError, which the
 * viewer does not import (it talks to the API only).
 */
export class ViewerApiError extends Error {
  readonly code: string;
  /** HTTP status; null when no answer came. */
  readonly status: number | null;
  /** The request field the API refused (`query.limit`). */
  readonly field: string | null;
  readonly requestId: string | null;
  constructor(code: string, message: string, details: { status?: number | null; field?: string | null; requestId?: string | null; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ViewerApiError';
    this.code = code;
    this.status = details.status ?? null;
    this.field = details.field ?? null;
    this.requestId = details.requestId ?? null;
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** A message for a person, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong (no details).';
}
