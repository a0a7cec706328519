/**
 * Every failure becomes one JSON shape (`errorBodySchema`) with a stable code and an HTTP
 * status chosen by that code. Messages of chaintrail errors are written for users and go
 * out as they are; anything unexpected is logged and answered with a bare 500, so no
 * stack trace or driver message leaks to a client.
 */
import { ChaintrailError } from '@chaintrail/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from '../errors.js';

const statusByCode: readonly (readonly [RegExp, number])[] = [
  [/^CHAINTRAIL_UNAUTHENTICATED$/, 401],
  [/^CHAINTRAIL_FORBIDDEN$/, 403],
  [/^CHAINTRAIL_NOT_FOUND$/, 404],
  [/^CHAINTRAIL_RATE_LIMITED$/, 429],
  [/^CHAINTRAIL_MISDIRECTED$/, 421],
  [/^CHAINTRAIL_SEARCH_LIMIT$/, 422],
  [/^CHAINTRAIL_(STORE_UNREACHABLE|STORE_CLOSED|AUDIT_LOG|CLUSTER_CHANNEL)$/, 503],
  [/^CHAINTRAIL_(BAD|WRONG|MIXED|INVALID)/, 400],
];

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string; readonly requestId: string };
}

export function httpStatusFor(code: string): number {
  for (const [pattern, status] of statusByCode) if (pattern.test(code)) return status;
  return 500;
}

/** The status and body for any thrown value. */
export function errorReply(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (error instanceof ChaintrailError) {
    const status = httpStatusFor(error.code);
    if (status !== 500) {
      const field = error instanceof BadRequestError ? { field: error.field } : {};
      return { status, body: { error: { code: error.code, message: error.message, ...field, requestId } } };
    }
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500 && typeof fastifyError.message === 'string') {
    // fastify's own 4xx (bad JSON, body too large, wrong content type): messages about the request only.
    const code = status === 413 ? 'CHAINTRAIL_BAD_REQUEST_TOO_LARGE' : status === 415 ? 'CHAINTRAIL_BAD_REQUEST_MEDIA_TYPE' : 'CHAINTRAIL_BAD_REQUEST';
    return { status, body: { error: { code, message: fastifyError.message, field: 'body', requestId } } };
  }
  return {
    status: 500,
    body: { error: { code: 'CHAINTRAIL_INTERNAL', message: `Internal error; the server log has the details under request id ${requestId}.`, requestId } },
  };
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = errorReply(error, request.id);
  if (status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed');
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
