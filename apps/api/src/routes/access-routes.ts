/** The caller's own session, the store being served, and token management (admin). */
import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { createdTokenSchema, sessionSchema, storeInfoSchema, tokenInfoSchema, tokenListSchema } from '../schemas/access-schemas.js';
import { tokenCreateBody } from '../schemas/request-schemas.js';

export function accessRoutes(): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/session',
      summary: 'Who the token belongs to and what it may do',
      tag: 'access',
      permission: 'read',
      response: sessionSchema,
      handler: ({ who }) => Promise.resolve(who),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/store',
      summary: 'Which store is served (SQLite file or Neo4j URL) and how much it holds',
      tag: 'access',
      permission: 'read',
      response: storeInfoSchema,
      handler: async ({ deps }) => ({ ...deps.store.info(), stats: await deps.store.stats() }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/tokens',
      summary: 'Every token (ids, roles, labels; never secrets)',
      tag: 'access',
      permission: 'manage-tokens',
      response: tokenListSchema,
      handler: ({ deps }) => Promise.resolve({ tokens: deps.tokens.list() }),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/tokens',
      summary: 'Create a token; its secret is in this answer only',
      tag: 'access',
      permission: 'manage-tokens',
      status: 201,
      body: tokenCreateBody,
      response: createdTokenSchema,
      handler: ({ body, deps }) => Promise.resolve(deps.tokens.create(body)),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/tokens/:tokenId',
      summary: 'Revoke a token at once',
      tag: 'access',
      permission: 'manage-tokens',
      params: z.strictObject({ tokenId: z.string().regex(/^[0-9a-f]{16}$/, 'must be a token id (16 hex digits)') }),
      response: tokenInfoSchema,
      handler: ({ params, deps }) => Promise.resolve(deps.tokens.revoke(params.tokenId)),
    }),
  ];
}
