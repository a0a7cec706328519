/** Cases: list, seeds, job status, and tag import into the case's store. */
import { z } from 'zod';
import type { ApiLimits } from '../api-config.js';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { withCursorField } from '../http/cursor-field.js';
import { caseListSchema, caseSchema, jobListSchema, seedPageSchema } from '../schemas/case-schemas.js';
import { countParam, cursorParam, recordIdParam, tagImportBody } from '../schemas/request-schemas.js';
import { tagImportResultSchema } from '../schemas/tag-schemas.js';

export const caseParams = z.strictObject({ caseId: recordIdParam });

export function caseRoutes(limits: ApiLimits): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/cases',
      summary: 'Every case in the store',
      tag: 'cases',
      permission: 'read',
      response: caseListSchema,
      handler: async ({ deps }) => ({ cases: await deps.store.listCases() }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/cases/:caseId',
      summary: 'One case',
      tag: 'cases',
      permission: 'read',
      params: caseParams,
      response: caseSchema,
      handler: ({ params, deps }) => deps.store.getCase(params.caseId),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/cases/:caseId/seeds',
      summary: "A case's seed addresses in the order of the seized file, with their line numbers",
      tag: 'cases',
      permission: 'read',
      params: caseParams,
      query: z.strictObject({ limit: countParam(limits.maxPageSize, limits.defaultPageSize), cursor: cursorParam.optional() }),
      response: seedPageSchema,
      handler: ({ params, query, deps }) =>
        withCursorField(query.cursor, () => deps.store.caseSeeds(params.caseId, { limit: query.limit, cursor: query.cursor ?? null })),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/cases/:caseId/jobs',
      summary: "Where a case's jobs stand (ingest, cluster, tags), from their checkpoints",
      tag: 'cases',
      permission: 'read',
      params: caseParams,
      response: jobListSchema,
      handler: async ({ params, deps }) => {
        await deps.store.getCase(params.caseId);
        return { jobs: await deps.store.listCheckpoints(params.caseId) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/cases/:caseId/tags',
      summary: 'Import attribution tags (address, label, category, source) for a case; re-importing updates them',
      tag: 'cases',
      permission: 'import',
      params: caseParams,
      body: tagImportBody(limits.maxTagImport),
      bodyLimit: limits.bodyLimitBytes * 16,
      response: tagImportResultSchema,
      handler: async ({ params, body, deps }) => {
        await deps.store.getCase(params.caseId);
        const tags = body.tags.map((tag) => ({
          ...tag,
          category: tag.category ?? null,
          confidence: tag.confidence ?? null,
        }));
        await deps.store.writeTags(tags);
        return { imported: tags.length };
      },
    }),
  ];
}
