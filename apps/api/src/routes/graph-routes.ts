/** Entities, neighbour expansion, paths, entity flows, cluster explanations and tags of a node. */
import { z } from 'zod';
import type { ApiLimits } from '../api-config.js';
import { BadRequestError } from '../errors.js';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { withCursorField } from '../http/cursor-field.js';
import { entityMembersPageSchema, entitySchema } from '../schemas/entity-schemas.js';
import { clusterExplanationResultSchema, entityFlowSchema, neighbourResultSchema, pathResultSchema } from '../schemas/graph-schemas.js';
import {
  addressParam,
  countParam,
  cursorParam,
  directionParam,
  entityIdParam,
  nodeParams,
  satsParam,
  unixTimeParam,
} from '../schemas/request-schemas.js';
import { tagListSchema } from '../schemas/tag-schemas.js';

export function graphRoutes(limits: ApiLimits): ApiRoute[] {
  const entityParams = z.strictObject({ entityId: entityIdParam });
  return [
    defineRoute({
      method: 'GET',
      path: '/api/entities/:entityId',
      summary: 'An entity (cluster): size, label, category, totals',
      tag: 'entities',
      permission: 'read',
      params: entityParams,
      response: entitySchema,
      handler: ({ params, deps }) => deps.store.getEntity(params.entityId),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/entities/:entityId/members',
      summary: "An entity's member addresses, sorted, paged",
      tag: 'entities',
      permission: 'read',
      params: entityParams,
      query: z.strictObject({ limit: countParam(limits.maxPageSize, limits.defaultPageSize), cursor: cursorParam.optional() }),
      response: entityMembersPageSchema,
      handler: ({ params, query, deps }) =>
        withCursorField(query.cursor, () => deps.store.entityMembers(params.entityId, { limit: query.limit, cursor: query.cursor ?? null })),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/nodes/:kind/:id/neighbours',
      summary: 'Expand a node: who paid it (in), where its money went (out), or both',
      tag: 'graph',
      permission: 'read',
      params: nodeParams,
      query: z
        .strictObject({
          direction: directionParam.default('both'),
          minValue: satsParam.optional(),
          fromTime: unixTimeParam.optional(),
          toTime: unixTimeParam.optional(),
          limit: countParam(limits.maxNeighbours, limits.defaultNeighbours),
          order: z.enum(['time', 'value']).default('time'),
        })
        .refine((q) => q.fromTime === undefined || q.toTime === undefined || q.fromTime <= q.toTime, {
          message: 'must not be before fromTime',
          path: ['toTime'],
        }),
      response: neighbourResultSchema,
      handler: ({ params, query, deps }) => deps.store.neighbours(params, query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/nodes/:kind/:id/tags',
      summary: "Tags of an address, or of an entity's member addresses, with their sources",
      tag: 'graph',
      permission: 'read',
      params: nodeParams,
      response: tagListSchema,
      handler: async ({ params, deps }) => {
        if (params.kind === 'tx') throw new BadRequestError('params.kind', 'tags belong to addresses and entities, not transactions');
        const tags = params.kind === 'address' ? await deps.store.tagsByAddress(params.id) : await deps.store.tagsByEntity(params.id);
        return { tags };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/flows',
      summary: 'Money from one entity to another: total, transaction count and the carrying transactions',
      tag: 'graph',
      permission: 'read',
      query: z.strictObject({ from: entityIdParam, to: entityIdParam, txLimit: countParam(limits.maxFlowTxids, 100) }),
      response: entityFlowSchema,
      handler: ({ query, deps }) => deps.store.entityFlow(query.from, query.to, { txLimit: query.txLimit }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/paths',
      summary: 'Shortest money path between two addresses or two entities',
      tag: 'graph',
      permission: 'read',
      query: z
        .strictObject({
          kind: z.enum(['address', 'entity']).default('address'),
          from: z.string(),
          to: z.string(),
          maxHops: countParam(limits.maxPathHops, Math.min(6, limits.maxPathHops)),
          direction: directionParam.default('out'),
          minValue: satsParam.optional(),
        })
        .transform((q, ctx) => {
          const idSchema = q.kind === 'address' ? addressParam : entityIdParam;
          const from = idSchema.safeParse(q.from);
          const to = idSchema.safeParse(q.to);
          if (!from.success) ctx.addIssue({ code: 'custom', message: from.error.issues[0]?.message ?? 'invalid', path: ['from'] });
          if (!to.success) ctx.addIssue({ code: 'custom', message: to.error.issues[0]?.message ?? 'invalid', path: ['to'] });
          if (!from.success || !to.success) return z.NEVER;
          return { ...q, from: { kind: q.kind, id: from.data }, to: { kind: q.kind, id: to.data } };
        }),
      response: pathResultSchema,
      handler: async ({ query, deps }) => ({
        path: await deps.store.shortestPath(query.from, query.to, {
          maxHops: query.maxHops,
          direction: query.direction,
          minValue: query.minValue,
          maxVisited: deps.limits.maxPathVisited,
        }),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/cluster-explanation',
      summary: 'Why two addresses are one entity: the chain of links, each with its heuristic and transaction',
      tag: 'graph',
      permission: 'read',
      query: z.strictObject({ a: addressParam, b: addressParam }),
      response: clusterExplanationResultSchema,
      handler: async ({ query, deps }) => ({ explanation: await deps.store.explainCluster(query.a, query.b) }),
    }),
  ];
}
