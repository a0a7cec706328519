/**
 * Investigator reports of a case: payer identification and forfeiture tracing, the same
 * documents `chaintrail report payers|flows --json` prints (byte for byte, on the same
 * data): sums as decimal strings, every row with the transaction path behind it.
 */
import { FLOW_MODEL_NAMES, isFlowModelName } from '@chaintrail/core';
import { buildFlowReport, buildPayerReport, FLOW_DEFAULTS, PAYER_DEFAULTS, toWire } from '@chaintrail/report';
import { z } from 'zod';
import { BadRequestError } from '../errors.js';
import { defineRoute, type ApiRoute } from '../http/api-route.js';
import { booleanParam, countParam } from '../schemas/request-schemas.js';
import { caseParams } from './case-routes.js';

/** Entity ids and addresses share this alphabet; the report says which of them it could not find. */
const originItem = /^[A-Za-z0-9_.:-]{1,128}$/;

const originList = z
  .string()
  .max(4096, 'must be at most 4096 characters')
  .transform((text, ctx) => {
    const items = text.split(',').filter((item) => item.length > 0);
    if (items.length === 0 || items.length > 100 || !items.every((item) => originItem.test(item))) {
      ctx.addIssue({ code: 'custom', message: 'must be 1 to 100 entity ids or addresses, comma-separated' });
      return z.NEVER;
    }
    return items;
  });

const modelList = z
  .string()
  .max(100, 'must be at most 100 characters')
  .transform((text, ctx) => {
    const items = text.split(',');
    if (text === 'all') return [...FLOW_MODEL_NAMES];
    if (!items.every(isFlowModelName)) {
      ctx.addIssue({ code: 'custom', message: `must be all, or flow models comma-separated from ${FLOW_MODEL_NAMES.join(', ')}` });
      return z.NEVER;
    }
    return items;
  });

const shareParam = z
  .string()
  .regex(/^(0\.\d{1,4}|1(\.0{1,4})?)$/, 'must be a share above 0 and at most 1, at most 4 decimals')
  .transform(Number)
  .pipe(z.number().gt(0, 'must be above 0'));

/** The report document: the fields every report has; the rest is documented in @chaintrail/report. */
const reportSchema = z
  .looseObject({
    format: z.literal('chaintrail-report'),
    formatVersion: z.literal(1),
    kind: z.enum(['payers', 'flows']),
    generator: z.string(),
    case: z.object({ id: z.string(), name: z.string() }),
    computedAt: z.object({ height: z.number().int().nullable(), hash: z.string().nullable(), time: z.number().int().nullable(), basis: z.enum(['store-tip', 'highest-block-read', 'none']) }),
    parameters: z.record(z.string(), z.unknown()),
    methods: z.array(z.object({ name: z.string(), version: z.number().int(), rule: z.string(), source: z.string() })),
    tagSources: z.array(z.string()),
  })
  .meta({ description: 'A chaintrail report (payers: summary, payments, services, excluded; flows: origin, results per model). Satoshi sums are decimal strings.' });

export function reportRoutes(): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/cases/:caseId/reports/payers',
      summary: 'Payer identification: every payment to the seed addresses, who paid it, the nearest tagged service, and the subpoena list per service',
      tag: 'reports',
      permission: 'read',
      params: caseParams,
      query: z.strictObject({
        hopLimit: countParam(50, PAYER_DEFAULTS.hopLimit),
        minShare: shareParam.optional(),
        maxTxs: countParam(1_000_000, PAYER_DEFAULTS.maxTxsPerPayment),
      }),
      response: reportSchema,
      handler: async ({ params, query, deps }) => {
        const record = await deps.store.getCase(params.caseId);
        const report = await buildPayerReport(deps.store, record, {
          hopLimit: query.hopLimit,
          maxTxsPerPayment: query.maxTxs,
          ...(query.minShare !== undefined ? { minShare: query.minShare } : {}),
        });
        return toWire(report);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/cases/:caseId/reports/flows',
      summary: "Forfeiture tracing: where the site's money went under poison, haircut and FIFO, what is unspent and which tagged services hold it",
      tag: 'reports',
      permission: 'read',
      params: caseParams,
      query: z.strictObject({
        from: originList.optional(),
        fromSeeds: booleanParam.default(false),
        models: modelList.optional(),
        hopLimit: countParam(50, FLOW_DEFAULTS.hopLimit),
        maxTxs: countParam(5_000_000, FLOW_DEFAULTS.maxTxs),
      }),
      response: reportSchema,
      handler: async ({ params, query, deps }) => {
        if (query.from === undefined && !query.fromSeeds) throw new BadRequestError('query.from', 'is required unless fromSeeds=true (entity ids or addresses to trace from)');
        const record = await deps.store.getCase(params.caseId);
        const report = await buildFlowReport(deps.store, record, {
          from: query.from ?? [],
          fromSeeds: query.fromSeeds,
          hopLimit: query.hopLimit,
          maxTxs: query.maxTxs,
          ...(query.models !== undefined ? { models: query.models } : {}),
        });
        return toWire(report);
      },
    }),
  ];
}
