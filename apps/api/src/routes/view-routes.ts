/** Saved views of a case (expanded nodes, positions, filters): list, read, create, update, delete. */
import type { GraphStore, SavedView } from '@chaintrail/store';
import { z } from 'zod';
import { NotInCaseError } from '../errors.js';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { savedViewListSchema, savedViewSchema, deletedSchema } from '../schemas/case-schemas.js';
import { recordIdParam, savedViewBody } from '../schemas/request-schemas.js';
import { caseParams } from './case-routes.js';

const viewParams = z.strictObject({ caseId: recordIdParam, viewId: recordIdParam });

export function viewRoutes(): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/cases/:caseId/views',
      summary: "A case's saved views",
      tag: 'views',
      permission: 'read',
      params: caseParams,
      response: savedViewListSchema,
      handler: async ({ params, deps }) => {
        await deps.store.getCase(params.caseId);
        return { views: await deps.store.listViews(params.caseId) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/cases/:caseId/views/:viewId',
      summary: 'One saved view, to restore it exactly',
      tag: 'views',
      permission: 'read',
      params: viewParams,
      response: savedViewSchema,
      handler: ({ params, deps }) => viewInCase(deps.store, params.caseId, params.viewId),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/cases/:caseId/views',
      summary: 'Save a view',
      tag: 'views',
      permission: 'annotate',
      status: 201,
      params: caseParams,
      body: savedViewBody,
      response: savedViewSchema,
      handler: ({ params, body, deps }) => deps.store.saveView(params.caseId, { name: body.name, state: body.state }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/cases/:caseId/views/:viewId',
      summary: 'Replace a saved view',
      tag: 'views',
      permission: 'annotate',
      params: viewParams,
      body: savedViewBody,
      response: savedViewSchema,
      handler: async ({ params, body, deps }) => {
        await viewInCase(deps.store, params.caseId, params.viewId);
        return deps.store.saveView(params.caseId, { id: params.viewId, name: body.name, state: body.state });
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/cases/:caseId/views/:viewId',
      summary: 'Delete a saved view',
      tag: 'views',
      permission: 'annotate',
      params: viewParams,
      response: deletedSchema,
      handler: async ({ params, deps }) => {
        await viewInCase(deps.store, params.caseId, params.viewId);
        await deps.store.deleteView(params.viewId);
        return { deleted: params.viewId };
      },
    }),
  ];
}

/** The view, checked to belong to the case in the URL (the store's saveView upserts by id alone). */
async function viewInCase(store: GraphStore, caseId: string, viewId: string): Promise<SavedView> {
  await store.getCase(caseId);
  let view: SavedView;
  try {
    view = await store.getView(viewId);
  } catch (error) {
    if ((error as { code?: string }).code === 'CHAINTRAIL_NOT_FOUND') throw new NotInCaseError('view', viewId, caseId);
    throw error;
  }
  if (view.caseId !== caseId) throw new NotInCaseError('view', viewId, caseId);
  return view;
}
