/** Search, addresses, transactions and block headers. */
import { z } from 'zod';
import type { ApiLimits } from '../api-config.js';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { withCursorField } from '../http/cursor-field.js';
import { addressHistoryPageSchema, addressOutputsPageSchema, addressSummarySchema, blockHeaderSchema, transactionSchema } from '../schemas/chain-schemas.js';
import { addressParam, booleanParam, countParam, cursorParam, textParam, txidParam } from '../schemas/request-schemas.js';
import { searchResultsSchema } from '../schemas/tag-schemas.js';

export function chainRoutes(limits: ApiLimits): ApiRoute[] {
  const pageQuery = {
    limit: countParam(limits.maxPageSize, limits.defaultPageSize),
    cursor: cursorParam.optional(),
  };
  const addressParams = z.strictObject({ address: addressParam });
  return [
    defineRoute({
      method: 'GET',
      path: '/api/search',
      summary: 'Find addresses and transactions by prefix, entities by id, tags and entities by label',
      tag: 'search',
      permission: 'read',
      query: z.strictObject({ q: z.string().trim().pipe(textParam(200)), limit: countParam(limits.maxSearchResults, 50) }),
      response: searchResultsSchema,
      handler: async ({ query, deps }) => ({ results: await deps.store.search({ text: query.q, limit: query.limit }) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/addresses/:address',
      summary: 'Address summary: totals, first and last seen, entity',
      tag: 'addresses',
      permission: 'read',
      params: addressParams,
      response: addressSummarySchema,
      handler: ({ params, deps }) => deps.store.addressSummary(params.address),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/addresses/:address/transactions',
      summary: "An address's transactions in chain order, paged",
      tag: 'addresses',
      permission: 'read',
      params: addressParams,
      query: z.strictObject({ ...pageQuery, order: z.enum(['asc', 'desc']).default('asc') }),
      response: addressHistoryPageSchema,
      handler: ({ params, query, deps }) =>
        withCursorField(query.cursor, () => deps.store.addressHistory(params.address, { limit: query.limit, cursor: query.cursor ?? null, order: query.order })),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/addresses/:address/outputs',
      summary: 'Outputs paying an address (its UTXOs with unspentOnly=true), paged',
      tag: 'addresses',
      permission: 'read',
      params: addressParams,
      query: z.strictObject({ ...pageQuery, unspentOnly: booleanParam.default(false) }),
      response: addressOutputsPageSchema,
      handler: ({ params, query, deps }) =>
        withCursorField(query.cursor, () =>
          deps.store.addressOutputs(params.address, { limit: query.limit, cursor: query.cursor ?? null, unspentOnly: query.unspentOnly }),
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/transactions/:txid',
      summary: 'A transaction with inputs resolved, outputs and who spent them, fee and raw hex',
      tag: 'transactions',
      permission: 'read',
      params: z.strictObject({ txid: txidParam }),
      response: transactionSchema,
      handler: ({ params, deps }) => deps.store.getTransaction(params.txid),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/blocks/:block',
      summary: 'A block header by hash or height',
      tag: 'transactions',
      permission: 'read',
      params: z.strictObject({
        block: z.union([
          z.string().regex(/^\d{1,9}$/).transform(Number),
          z.string().regex(/^[0-9a-fA-F]{64}$/).transform((hash) => hash.toLowerCase()),
        ], { error: 'must be a block height or a 64-digit block hash' }),
      }),
      response: blockHeaderSchema,
      handler: ({ params, deps }) => deps.store.blockHeader(params.block),
    }),
  ];
}
