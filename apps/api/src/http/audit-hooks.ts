/**
 * Writes one audit entry per request, in `onSend`: the answer leaves only once the sink
 * has written its entry (group-committed with the other answers of the same moment, or
 * sent to the primary process in multi-worker mode), so no answer goes out unrecorded. If
 * the entry cannot be written the client gets a 503 instead of the data. Bodies are recorded by size and SHA-256 (taken from the raw bytes by the JSON
 * parser below); parameters and queries as sent, with long values clipped.
 */
import { hash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecord } from '../audit/audit-entry.js';
import type { AuditSink } from '../audit/audit-log.js';
import { BadRequestError } from '../errors.js';
import { errorReply } from './error-reply.js';
import './request-state.js';

const maxLoggedChars = 256;

/** Media types read as text: plain text, CSV and YAML files. */
export const TEXT_BODY_TYPES = ['text/plain', 'text/csv', 'text/yaml', 'application/yaml', 'application/x-yaml'];

export function installAuditHooks(app: FastifyInstance, audit: AuditSink): void {
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  const digest = (request: FastifyRequest, body: string | Buffer): string => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.auditBody = { bytes: Buffer.byteLength(text, 'utf8'), sha256: hash('sha256', text, 'hex') };
    request.rawText = text;
    return text;
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void defaultJsonParser(request, digest(request, body), done);
  });
  // Tag files (POST /api/cases/:caseId/tags/import) come as they are on disk.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(TEXT_BODY_TYPES, { parseAs: 'string' }, (request, body, done) => done(null, digest(request, body)));

  app.addHook('onSend', (request, reply, payload, done) => {
    audit.record(requestRecord(request, reply, payload)).then(
      () => done(null, payload),
      (error: unknown) => refuseUnaudited(error, request, reply, done),
    );
  });
}

/** The audit entry of one answered request. */
function requestRecord(request: FastifyRequest, reply: FastifyReply, payload: unknown): AuditRecord {
  return {
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
  };
}

/**
 * A path that is not valid percent-encoded UTF-8, or a parameter past maxParamLength:
 * fastify answers these before any hook runs, so they get the API's error shape and their
 * audit entry here.
 */
export function answerFrameworkError(audit: AuditSink, error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const { body } = errorReply(new BadRequestError('url', tooLong ? 'a path parameter is too long' : 'is not valid percent-encoded UTF-8'), request.id);
  const payload = JSON.stringify(body);
  reply.code(tooLong ? 414 : 400);
  void audit
    .record(requestRecord(request, reply, payload))
    .catch((auditError: unknown) => request.log.error({ err: auditError }, 'audit log write failed'))
    .then(() => reply.type('application/json; charset=utf-8').send(payload));
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
