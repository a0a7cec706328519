/** Notes and colour labels on nodes of a case: list, create, update, delete. */
import type { Annotation, GraphStore } from '@chaintrail/store';
import { z } from 'zod';
import { decodeAnnotationText, encodeAnnotationText } from '../annotations/annotation-colour.js';
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
        return { annotations: (await deps.store.listAnnotations(params.caseId, query.target)).map(withColour) };
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
      handler: async ({ params, body, who, deps }) =>
        withColour(
          await deps.store.addAnnotation(params.caseId, {
            target: body.target,
            text: encodeAnnotationText(body.text, body.colour),
            author: `${who.label} (token ${who.tokenId})`,
          }),
        ),
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
        const current = withColour(await annotationInCase(deps.store, params.caseId, params.annotationId));
        const text = encodeAnnotationText(body.text ?? current.text, body.colour === undefined ? current.colour : body.colour);
        return withColour(await deps.store.updateAnnotation(params.annotationId, text));
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

/** The annotation, checked to belong to the case in the URL (the store looks annotations up by id alone). */
async function annotationInCase(store: GraphStore, caseId: string, annotationId: string): Promise<Annotation> {
  await store.getCase(caseId);
  const found = (await store.listAnnotations(caseId)).find((annotation) => annotation.id === annotationId);
  if (found === undefined) throw new NotInCaseError('annotation', annotationId, caseId);
  return found;
}

function withColour(annotation: Annotation): Annotation & ReturnType<typeof decodeAnnotationText> {
  return { ...annotation, ...decodeAnnotationText(annotation.text) };
}
