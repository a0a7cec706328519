/**
 * Writes one audit entry per request, in `onSend`: before the answer leaves, so no answer
 * goes out unrecorded. If the entry cannot be written the client gets a 503 instead of the
 * data. Bodies are recorded by size and SHA-256 (taken from the raw bytes by the JSON
 * parser below); parameters and queries as sent, with long values clipped.
 */
import { createHash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from '../audit/audit-log.js';
import { BadRequestError } from '../errors.js';
import { errorReply } from './error-reply.js';
import './request-state.js';

const maxLoggedChars = 256;

export function installAuditHooks(app: FastifyInstance, audit: AuditLog): void {
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.auditBody = { bytes: Buffer.byteLength(text, 'utf8'), sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
    void defaultJsonParser(request, text, done);
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    try {
      auditRequest(audit, request, reply, payload);
      done(null, payload);
    } catch (error) {
      refuseUnaudited(error, request, reply, done);
    }
  });
}

/** Appends the entry of one answered request (also used where fastify skips onSend). */
export function auditRequest(audit: AuditLog, request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  audit.append({
    event: 'request',
    requestId: request.id,
    who: request.who,
    ip: request.ip,
    method: request.method,
    route: request.routeOptions.url ?? clip(request.url.split('?')[0] ?? ''),
    params: clipRecord(request.params),
    query: clipRecord(request.query),
    body: request.auditBody,
    status: reply.statusCode,
    resultBytes: payloadBytes(payload, reply),
    resultItems: request.auditItems,
  });
}

/**
 * A path that is not valid percent-encoded UTF-8, or a parameter past maxParamLength:
 * fastify answers these before any hook runs, so they get the API's error shape and their
 * audit entry here.
 */
export function answerFrameworkError(audit: AuditLog, error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const { body } = errorReply(new BadRequestError('url', tooLong ? 'a path parameter is too long' : 'is not valid percent-encoded UTF-8'), request.id);
  const payload = JSON.stringify(body);
  reply.code(tooLong ? 414 : 400);
  try {
    auditRequest(audit, request, reply, payload);
  } catch (auditError) {
    request.log.error({ err: auditError }, 'audit log write failed');
  }
  void reply.type('application/json; charset=utf-8').send(payload);
}

/** The audit write failed: the data must not go out. */
function refuseUnaudited(error: unknown, request: FastifyRequest, reply: FastifyReply, done: (err: Error | null, payload?: unknown) => void): void {
  request.log.error({ err: error }, 'audit log write failed; answer withheld');
  const { status, body } = errorReply(error, request.id);
  reply.code(status).type('application/json; charset=utf-8');
  reply.removeHeader('content-length');
  done(null, JSON.stringify(body));
}

function payloadBytes(payload: unknown, reply: FastifyReply): number | null {
  if (typeof payload === 'string') return Buffer.byteLength(payload, 'utf8');
  if (Buffer.isBuffer(payload)) return payload.length;
  const length = Number(reply.getHeader('content-length'));
  return Number.isFinite(length) ? length : null;
}

function clip(text: string): string {
  return text.length > maxLoggedChars ? `${text.slice(0, maxLoggedChars)}…(${text.length} chars)` : text;
}

/** Request params or query as loggable strings (bounded, whatever a client sent). */
function clipRecord(value: unknown): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  if (value === null || typeof value !== 'object') return record;
  let count = 0;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (++count > 50) {
      record['…'] = `${Object.keys(value).length - 50} more`;
      break;
    }
    record[clip(key)] = Array.isArray(item) ? item.slice(0, 20).map((part) => clip(String(part))) : clip(String(item));
  }
  return record;
}
