/** Notes and colour labels on nodes of a case: list, create, update, delete. */
import type { Annotation, GraphStore } from '@chaintrail/store';
import { z } from 'zod';
import { NotInCaseError } from '../errors.js';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { annotationListSchema, annotationSchema, deletedSchema } from '../schemas/case-schemas.js';
import { annotationCreateBody, annotationUpdateBody, nodeParams, recordIdParam } from '../schemas/request-schemas.js';
import { nodeKindSchema } from '../schemas/wire-primitives.js';
import { caseParams } from './case-routes.js';

const annotationParams = z.strictObject({ caseId: recordIdParam, annotationId: recordIdParam });

export function annotationRoutes(): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/cases/:caseId/annotations',
      summary: "A case's annotations in creation order; with kind and id, only those on that node",
      tag: 'annotations',
      permission: 'read',
      params: caseParams,
      query: z
        .strictObject({ kind: nodeKindSchema.optional(), id: z.string().optional() })
        .transform((query, ctx) => {
          if (query.kind === undefined && query.id === undefined) return { target: undefined };
          const node = nodeParams.safeParse(query);
          if (node.success) return { target: node.data };
          const issue = node.error.issues[0];
          ctx.addIssue({ code: 'custom', message: issue?.message ?? 'give both kind and id of the node, or neither', path: issue?.path ?? [] });
          return z.NEVER;
        }),
      response: annotationListSchema,
      handler: async ({ params, query, deps }) => {
        await deps.store.getCase(params.caseId);
        return { annotations: await deps.store.listAnnotations(params.caseId, query.target) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/cases/:caseId/annotations',
      summary: 'Put a note and/or a colour label on a node',
      tag: 'annotations',
      permission: 'annotate',
      status: 201,
      params: caseParams,
      body: annotationCreateBody,
      response: annotationSchema,
      handler: ({ params, body, who, deps }) =>
        deps.store.addAnnotation(params.caseId, { target: body.target, text: body.text, colour: body.colour, author: `${who.label} (token ${who.tokenId})` }),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/cases/:caseId/annotations/:annotationId',
      summary: "Change an annotation's text, colour or both",
      tag: 'annotations',
      permission: 'annotate',
      params: annotationParams,
      body: annotationUpdateBody,
      response: annotationSchema,
      handler: async ({ params, body, deps }) => {
        await annotationInCase(deps.store, params.caseId, params.annotationId);
        return deps.store.updateAnnotation(params.annotationId, {
          ...(body.text !== undefined ? { text: body.text } : {}),
          ...(body.colour !== undefined ? { colour: body.colour } : {}),
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/cases/:caseId/annotations/:annotationId',
      summary: 'Delete an annotation',
      tag: 'annotations',
      permission: 'annotate',
      params: annotationParams,
      response: deletedSchema,
      handler: async ({ params, deps }) => {
        await annotationInCase(deps.store, params.caseId, params.annotationId);
        await deps.store.deleteAnnotation(params.annotationId);
        return { deleted: params.annotationId };
      },
    }),
  ];
}

/** The annotation, checked to belong to the case in the URL (the store updates and deletes by id alone). */
async function annotationInCase(store: GraphStore, caseId: string, annotationId: string): Promise<Annotation> {
  await store.getCase(caseId);
  try {
    return await store.getAnnotation(caseId, annotationId);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'CHAINTRAIL_NOT_FOUND') throw new NotInCaseError('annotation', annotationId, caseId);
    throw error;
  }
}
