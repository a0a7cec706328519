/**
 * One valid request for every API route, and the least role the issue grants it to
 * (viewer: read; analyst: also annotate, save views, import; admin: also manage tokens).
 * The authorisation matrix and the hostile-input tests start from these; a route missing
 * here fails both, so a new route cannot ship untested.
 */
import type { Role, TokenStore } from '@chaintrail/api';
import type { GraphStore } from '@chaintrail/store';
import { CASE_ID } from './api-world.js';

export interface SampleContext {
  readonly store: GraphStore;
  readonly tokens: TokenStore;
  /** A seized address with a payment in and a sweep out. */
  readonly seed: string;
  /** A transaction paying `seed`, and an address that paid in it. */
  readonly payment: string;
  readonly payer: string;
  readonly entityId: string;
}

export interface RouteSample {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** JSON, or the text of a file (sent as text/plain). */
  readonly body?: Record<string, unknown> | string;
}

export interface RouteSpec {
  readonly minRole: Role;
  readonly sample: (context: SampleContext) => Promise<RouteSample> | RouteSample;
}

const annotationOf = async (c: SampleContext) => (await c.store.addAnnotation(CASE_ID, { target: { kind: 'address', id: c.seed }, text: 'sample' })).id;
const viewOf = async (c: SampleContext) => (await c.store.saveView(CASE_ID, { name: 'sample', state: { nodes: [] } })).id;
const page = { limit: '5' };

export const ROUTE_SPECS: Readonly<Record<string, RouteSpec>> = {
  'GET /api/search': { minRole: 'viewer', sample: (c) => ({ query: { q: c.seed.slice(0, 8), limit: '10' } }) },
  'GET /api/addresses/:address': { minRole: 'viewer', sample: (c) => ({ params: { address: c.seed } }) },
  'GET /api/addresses/:address/transactions': { minRole: 'viewer', sample: (c) => ({ params: { address: c.seed }, query: { ...page, order: 'desc' } }) },
  'GET /api/addresses/:address/outputs': { minRole: 'viewer', sample: (c) => ({ params: { address: c.seed }, query: { ...page, unspentOnly: 'true' } }) },
  'GET /api/transactions/:txid': { minRole: 'viewer', sample: (c) => ({ params: { txid: c.payment } }) },
  'GET /api/blocks/:block': { minRole: 'viewer', sample: () => ({ params: { block: '170' } }) },
  'GET /api/entities/:entityId': { minRole: 'viewer', sample: (c) => ({ params: { entityId: c.entityId } }) },
  'GET /api/entities/:entityId/members': { minRole: 'viewer', sample: (c) => ({ params: { entityId: c.entityId }, query: page }) },
  'GET /api/nodes/:kind/:id/neighbours': {
    minRole: 'viewer',
    sample: (c) => ({ params: { kind: 'address', id: c.seed }, query: { direction: 'both', minValue: '1', fromTime: '0', toTime: '4000000000', limit: '10', order: 'value' } }),
  },
  'GET /api/nodes/:kind/:id/tags': { minRole: 'viewer', sample: (c) => ({ params: { kind: 'address', id: c.seed } }) },
  'GET /api/flows': { minRole: 'viewer', sample: (c) => ({ query: { from: c.entityId, to: c.entityId, txLimit: '5' } }) },
  'GET /api/paths': { minRole: 'viewer', sample: (c) => ({ query: { kind: 'address', from: c.payer, to: c.seed, maxHops: '2', direction: 'out', minValue: '1' } }) },
  'GET /api/cluster-explanation': { minRole: 'viewer', sample: (c) => ({ query: { a: c.seed, b: c.payer } }) },
  'GET /api/cases': { minRole: 'viewer', sample: () => ({}) },
  'GET /api/cases/:caseId': { minRole: 'viewer', sample: () => ({ params: { caseId: CASE_ID } }) },
  'GET /api/cases/:caseId/seeds': { minRole: 'viewer', sample: () => ({ params: { caseId: CASE_ID }, query: page }) },
  'GET /api/cases/:caseId/jobs': { minRole: 'viewer', sample: () => ({ params: { caseId: CASE_ID } }) },
  'POST /api/cases/:caseId/tags': {
    minRole: 'analyst',
    sample: (c) => ({ params: { caseId: CASE_ID }, body: { tags: [{ address: c.seed, label: 'sample tag', category: 'market', source: 'sample', confidence: 'heuristic' }] } }),
  },
  'POST /api/cases/:caseId/tags/import': {
    minRole: 'analyst',
    sample: (c) => ({ params: { caseId: CASE_ID }, query: { name: 'sanctioned_addresses_XBT.txt', format: 'ofac' }, body: `${c.seed}\n` }),
  },
  'GET /api/cases/:caseId/annotations': { minRole: 'viewer', sample: (c) => ({ params: { caseId: CASE_ID }, query: { kind: 'address', id: c.seed } }) },
  'POST /api/cases/:caseId/annotations': {
    minRole: 'analyst',
    sample: (c) => ({ params: { caseId: CASE_ID }, body: { target: { kind: 'address', id: c.seed }, text: 'a note', colour: 'green' } }),
  },
  'PATCH /api/cases/:caseId/annotations/:annotationId': {
    minRole: 'analyst',
    sample: async (c) => ({ params: { caseId: CASE_ID, annotationId: await annotationOf(c) }, body: { text: 'changed', colour: 'blue' } }),
  },
  'DELETE /api/cases/:caseId/annotations/:annotationId': {
    minRole: 'analyst',
    sample: async (c) => ({ params: { caseId: CASE_ID, annotationId: await annotationOf(c) } }),
  },
  'GET /api/cases/:caseId/views': { minRole: 'viewer', sample: () => ({ params: { caseId: CASE_ID } }) },
  'GET /api/cases/:caseId/views/:viewId': { minRole: 'viewer', sample: async (c) => ({ params: { caseId: CASE_ID, viewId: await viewOf(c) } }) },
  'POST /api/cases/:caseId/views': { minRole: 'analyst', sample: () => ({ params: { caseId: CASE_ID }, body: { name: 'view', state: { nodes: [], zoom: 1.5 } } }) },
  'PUT /api/cases/:caseId/views/:viewId': {
    minRole: 'analyst',
    sample: async (c) => ({ params: { caseId: CASE_ID, viewId: await viewOf(c) }, body: { name: 'view 2', state: { nodes: ['x'] } } }),
  },
  'DELETE /api/cases/:caseId/views/:viewId': { minRole: 'analyst', sample: async (c) => ({ params: { caseId: CASE_ID, viewId: await viewOf(c) } }) },
  'GET /api/cases/:caseId/reports/payers': { minRole: 'viewer', sample: () => ({ params: { caseId: CASE_ID }, query: { hopLimit: '2', maxTxs: '2000' } }) },
  'GET /api/cases/:caseId/reports/flows': {
    minRole: 'viewer',
    sample: () => ({ params: { caseId: CASE_ID }, query: { fromSeeds: 'true', models: 'all', hopLimit: '2', maxTxs: '20000' } }),
  },
  'POST /api/cases/:caseId/evidence': { minRole: 'analyst', sample: (c) => ({ params: { caseId: CASE_ID }, body: { state: { nodes: [{ kind: 'address', id: c.seed }] }, proofs: 'none', render: false } }) },
  'GET /api/session': { minRole: 'viewer', sample: () => ({}) },
  'GET /api/store': { minRole: 'viewer', sample: () => ({}) },
  'GET /api/openapi.json': { minRole: 'viewer', sample: () => ({}) },
  'GET /api/tokens': { minRole: 'admin', sample: () => ({}) },
  'POST /api/tokens': { minRole: 'admin', sample: () => ({ body: { role: 'viewer', label: 'made by admin', expiresInDays: 30 } }) },
  'DELETE /api/tokens/:tokenId': { minRole: 'admin', sample: (c) => ({ params: { tokenId: c.tokens.create({ role: 'viewer', label: 'to revoke' }).info.tokenId } }) },
};

/** `/api/nodes/:kind/:id/...` with the sample's values, URL-encoded, plus its query string. */
export function sampleUrl(path: string, sample: RouteSample): string {
  const url = path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodePart(sample.params?.[name] ?? ''));
  const query = Object.entries(sample.query ?? {}).map(([k, v]) => `${encodePart(k)}=${encodePart(v)}`);
  return query.length === 0 ? url : `${url}?${query.join('&')}`;
}

/** `GET /api/x/{y}` keys of the served OpenAPI document, as `GET /api/x/:y`. */
export function routeKeysOf(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`),
  );
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes out as its WTF-8 bytes: invalid UTF-8 on the wire. */
function encodePart(text: string): string {
  return text.replace(/[\s\S]/gu, (char) => {
    try {
      return encodeURIComponent(char);
    } catch {
      const code = char.charCodeAt(0);
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  });
}
