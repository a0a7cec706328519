/**
 * One API route as data: method, path, the role it needs, zod schemas for every part of
 * the request and for the answer, and the handler. The same definitions register the
 * fastify routes and build the OpenAPI document, so the two cannot drift apart.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { GraphStore } from '@chaintrail/store';
import type { ApiLimits } from '../api-config.js';
import { PERMISSION_VERBS, roleAllows, type Permission } from '../auth/roles.js';
import type { TokenIdentity, TokenStore } from '../auth/token-store.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { parseRequestPart } from './request-validation.js';
import { wireJson } from './wire-json.js';
import './request-state.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler gets: the validated request parts and the server's dependencies. */
export interface RouteContext<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly who: TokenIdentity;
  readonly deps: RouteDeps;
}

export interface RouteDeps {
  readonly store: GraphStore;
  readonly tokens: TokenStore;
  readonly limits: ApiLimits;
}

const empty = z.strictObject({});
type Empty = typeof empty;

export interface ApiRoute<PS extends z.ZodType = z.ZodType, QS extends z.ZodType = z.ZodType, BS extends z.ZodType = z.ZodType, RS extends z.ZodType = z.ZodType> {
  readonly method: HttpMethod;
  /** fastify path under /api, e.g. `/api/addresses/:address`. */
  readonly path: string;
  readonly summary: string;
  /** OpenAPI tag (a group of routes in the document). */
  readonly tag: string;
  readonly permission: Permission;
  readonly params?: PS;
  readonly query?: QS;
  readonly body?: BS;
  readonly response: RS;
  /** 201 for routes that create something; 200 otherwise. */
  readonly status?: 200 | 201;
  /** Bytes of request body allowed (the server default otherwise). */
  readonly bodyLimit?: number;
  /** The body is a file: the handler gets its text as sent (any text type, or JSON), checked by `body`. */
  readonly bodyText?: boolean;
  /** Media types of the body, for the OpenAPI document (default JSON). */
  readonly bodyTypes?: readonly string[];
  handler(context: RouteContext<z.output<PS>, z.output<QS>, z.output<BS>>): Promise<z.output<RS>>;
}

/** Identity with inference: a route's handler sees its own schemas' types. */
export function defineRoute<PS extends z.ZodType = Empty, QS extends z.ZodType = Empty, BS extends z.ZodType = z.ZodUndefined, RS extends z.ZodType = z.ZodType>(
  route: ApiRoute<PS, QS, BS, RS>,
): ApiRoute {
  return route;
}

/** Registers routes; handlers answer with the response schema's wire JSON (bigints as strings). */
export function registerRoutes(app: FastifyInstance, routes: readonly ApiRoute[], deps: RouteDeps): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      ...(route.bodyLimit !== undefined ? { bodyLimit: route.bodyLimit } : {}),
      // Runs after the rate limiter (an onRequest hook) and before the body is read, so an
      // unauthorised request costs neither a body parse nor a store query.
      preParsing: (request, _reply, payload, done) => {
        try {
          authorise(request, route);
          done(null, payload);
        } catch (error) {
          done(error as Error);
        }
      },
      handler: async (request, reply) => {
        const params = parseRequestPart(route.params ?? empty, request.params, 'params');
        const query = parseRequestPart(route.query ?? empty, request.query, 'query');
        const body = parseRequestPart(route.body ?? z.undefined(), route.bodyText === true ? (request.rawText ?? undefined) : request.body, 'body');
        const result = await route.handler({ params, query, body, who: request.who!, deps });
        request.auditItems = countItems(result);
        return reply
          .code(route.status ?? 200)
          .type('application/json; charset=utf-8')
          .send(wireJson(result));
      },
    });
  }
}

function authorise(request: FastifyRequest, route: ApiRoute): void {
  const who = request.who;
  if (who === null) throw new UnauthenticatedError(request.authFailure ?? 'missing');
  if (!roleAllows(who.role, route.permission)) throw new ForbiddenError(who.role, PERMISSION_VERBS[route.permission], `${route.method} ${route.path}`);
}

/** The audit log's result size: the items of every list at the top of the answer. */
function countItems(wire: unknown): number | null {
  if (Array.isArray(wire)) return wire.length;
  if (wire === null || typeof wire !== 'object') return null;
  let count = 0;
  let lists = 0;
  for (const value of Object.values(wire)) {
    if (Array.isArray(value)) {
      count += value.length;
      lists++;
    }
  }
  return lists > 0 ? count : 1;
}
