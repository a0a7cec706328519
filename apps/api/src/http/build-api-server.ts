/**
 * `buildApiServer`: the fastify instance with every route, hook and guard, but not
 * listening (tests drive it with `inject()`; `startApiServer` binds it).
 *
 * Order of work for an API request:
 *   onRequest (global)   host check; bearer token resolved to `request.who`; security headers
 *   onRequest (route)    rate limit per token (per client address without one)
 *   preParsing (route)   401 without a valid token, 403 when the role may not
 *   handler              zod-validated params, query, body → store → zod-encoded answer
 *   onSend (global)      no-store for /api/, then the audit entry
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cors from '@fastify/cors';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { GraphStore } from '@chaintrail/store';
import { z } from 'zod';
import { apiLimitsSchema, rateLimitSchema, type ApiLimits, type RateLimitConfig } from '../api-config.js';
import type { AuditSink } from '../audit/audit-log.js';
import type { TokenIdentity, TokenStore } from '../auth/token-store.js';
import { MisdirectedRequestError, RateLimitedError, UnauthenticatedError } from '../errors.js';
import { accessRoutes } from '../routes/access-routes.js';
import { annotationRoutes } from '../routes/annotation-routes.js';
import { caseRoutes } from '../routes/case-routes.js';
import { chainRoutes } from '../routes/chain-routes.js';
import { evidenceRoutes } from '../routes/evidence.js';
import { graphRoutes } from '../routes/graph-routes.js';
import { reportRoutes } from '../routes/report-routes.js';
import { tagFileRoutes } from '../routes/tag-file-routes.js';
import { viewRoutes } from '../routes/view-routes.js';
import { defineRoute, registerRoutes, type ApiRoute } from './api-route.js';
import { answerFrameworkError, installAuditHooks } from './audit-hooks.js';
import { sendError } from './error-reply.js';
import { openApiDocument } from './openapi-document.js';
import { HSTS_HEADER, SECURITY_HEADERS } from './security-headers.js';
import './request-state.js';

export interface ApiServerOptions {
  readonly store: GraphStore;
  readonly tokens: TokenStore;
  /** Where each request's entry goes: the AuditLog, or the primary process in multi-worker mode. */
  readonly audit: AuditSink;
  /** The one browser origin allowed to call the API cross-origin (e.g. a Vite dev server). */
  readonly viewerOrigin?: string;
  /** Folder of the built viewer, served at `/` when it holds an index.html. */
  readonly viewerDir?: string;
  readonly limits?: Partial<ApiLimits>;
  readonly rateLimit?: Partial<RateLimitConfig>;
  /** Where rate-limit hits are counted: in this process by default, in the primary for a worker. */
  readonly rateLimitStore?: FastifyRateLimitStoreCtor;
  /**
   * Host names accepted in the Host header (`127.0.0.1`, `localhost`); others get 421. Set
   * for loopback binds, so a web page that rebinds its DNS name to 127.0.0.1 cannot talk to
   * the server.
   */
  readonly allowedHostnames?: readonly string[];
  /**
   * Who an unauthenticated request is, when authentication is off. Only `startApiServer`
   * sets it, and only for a loopback bind.
   */
  readonly anonymous?: TokenIdentity;
  readonly logger?: FastifyServerOptions['logger'];
  /** TLS key and certificate (PEM), for a server reached over a network. */
  readonly https?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Shown in the OpenAPI document. */
  readonly version?: string;
}

/** Every route of the API, for the given limits (also what the OpenAPI document lists). */
export function apiRoutes(limits: ApiLimits): ApiRoute[] {
  return [...chainRoutes(limits), ...graphRoutes(limits), ...caseRoutes(limits), ...tagFileRoutes(limits), ...annotationRoutes(), ...viewRoutes(), ...accessRoutes(), ...reportRoutes(), ...evidenceRoutes()];
}

export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const limits = apiLimitsSchema.parse(options.limits ?? {});
  const rate = rateLimitSchema.parse(options.rateLimit ?? {});
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    bodyLimit: limits.bodyLimitBytes,
    // Long hostile parameters must reach validation (a 400 naming the field), not fall
    // through to a 404 at fastify's default of 100 characters.
    routerOptions: { maxParamLength: 16_384 },
    return503OnClosing: true,
    // A path that is not valid percent-encoded UTF-8, or a parameter past maxParamLength:
    // fastify answers these before any hook, so they get the API's error shape and audit here.
    frameworkErrors: (error, request, reply) => answerFrameworkError(options.audit, error, request as FastifyRequest, reply as unknown as FastifyReply),
    ...(options.https !== undefined ? { https: options.https } : {}),
  });
  app.decorateRequest('who', null);
  app.decorateRequest('authFailure', null);
  app.decorateRequest('auditBody', null);
  app.decorateRequest('rawText', null);
  app.decorateRequest('auditItems', null);

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  installAuditHooks(app, options.audit);

  const allowedHostnames = options.allowedHostnames === undefined ? null : new Set(options.allowedHostnames.map((h) => h.toLowerCase()));
  app.addHook('onRequest', (request, _reply, done) => {
    if (allowedHostnames !== null && !allowedHostnames.has(hostnameOf(request.headers.host))) {
      done(new MisdirectedRequestError(request.headers.host ?? '', [...allowedHostnames]));
      return;
    }
    resolveCaller(request, options.tokens, options.anonymous ?? null);
    done();
  });

  const securityHeaders = { ...SECURITY_HEADERS, ...(options.https !== undefined ? HSTS_HEADER : {}) };
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  if (options.viewerOrigin !== undefined) {
    await app.register(cors, {
      origin: [options.viewerOrigin],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    });
  }
  await app.register(rateLimit, {
    global: true,
    max: rate.max,
    timeWindow: rate.windowSeconds * 1000,
    ...(options.rateLimitStore !== undefined ? { store: options.rateLimitStore } : {}),
    keyGenerator: (request) => (request.who !== null ? `token:${request.who.tokenId}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => {
      const error = new RateLimitedError(rate.max, rate.windowSeconds, Math.ceil(context.ttl / 1000));
      return Object.assign(error, { statusCode: 429 });
    },
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  const routes = apiRoutes(limits);
  const version = options.version ?? '0.1.0';
  let document: Record<string, unknown> | null = null;
  const openApiRoute: ApiRoute = defineRoute({
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This document',
    tag: 'access',
    permission: 'read',
    response: z.record(z.string(), z.unknown()),
    handler: () => Promise.resolve((document ??= openApiDocument([...routes, openApiRoute], version))),
  });
  registerRoutes(app, [...routes, openApiRoute], { store: options.store, tokens: options.tokens, limits });

  const viewerDir = options.viewerDir;
  if (viewerDir !== undefined && existsSync(join(viewerDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: viewerDir, prefix: '/', index: ['index.html'], dotfiles: 'deny' });
  }
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) => {
    // Under /api/ an unknown path says no more than a known one to a caller without a token.
    if (request.url.startsWith('/api/') && request.who === null) return sendError(new UnauthenticatedError(request.authFailure ?? 'missing'), request, reply);
    return reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ error: { code: 'CHAINTRAIL_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}.`, requestId: request.id } }));
  });
  return app;
}

/** Sets `request.who` from `Authorization: Bearer <token>`; never answers by itself. */
function resolveCaller(request: FastifyRequest, tokens: TokenStore, anonymous: TokenIdentity | null): void {
  const header = request.headers.authorization;
  if (header === undefined) {
    request.who = anonymous;
    request.authFailure = anonymous === null ? 'missing' : null;
    return;
  }
  const match = /^Bearer ([\x21-\x7e]{1,200})$/.exec(header);
  request.who = match === null ? null : tokens.verify(match[1]!);
  request.authFailure = request.who === null ? 'invalid' : null;
}

/** `127.0.0.1:8321` → `127.0.0.1`, `[::1]:8321` → `[::1]`; lower case. */
function hostnameOf(host: string | undefined): string {
  const text = (host ?? '').toLowerCase();
  if (text.startsWith('[')) return text.slice(0, text.indexOf(']') + 1);
  const colon = text.lastIndexOf(':');
  return colon === -1 ? text : text.slice(0, colon);
}
