/**
 * Hostile values in every parameter of every route: SQL and Cypher fragments, huge and
 * malformed numbers, unicode tricks, control characters, over-long strings, wrong JSON
 * types. Each request is answered with a 4xx that names the field, or (where any text is
 * legitimate data, like a note or a search) taken as plain data; never a 5xx, and the
 * store holds the same chain data afterwards.
 */
import { describe, expect, it } from 'vitest';
import { addressSummarySchema, annotationSchema, savedViewSchema, tagImportResultSchema, tagListSchema } from '@chaintrail/api';
import type { ApiContext } from './api-context.js';
import { CASE_ID } from './api-world.js';
import type { ErrorJson } from './api-harness.js';
import { ROUTE_SPECS, sampleUrl, type RouteSample } from './route-samples.js';

export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1' --",
  '1; DROP TABLE transactions; --',
  "x' UNION SELECT sqlite_version() --",
  '"}) DETACH DELETE n RETURN ({"',
  'MATCH (n) DETACH DELETE n',
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  'a\u0000b',
  'a\r\nX-Injected: 1',
  'ünïcödé ☃ 😀 \u202e\u200b𝔘',
  '\ud800',
  '-1',
  '0',
  '1.5',
  '1e308',
  'NaN',
  'Infinity',
  '0x1F',
  '9'.repeat(400),
  '',
  ' ',
  'a'.repeat(5000),
  'b'.repeat(20_000),
];

/** Non-string JSON values, for body fields. */
const HOSTILE_JSON: readonly unknown[] = [-1, 1e308, 2 ** 53 + 2, 0.5, true, null, {}, [], { $gt: '' }, ['x'], { __proto__: { role: 'admin' } }];

const okStatuses = [200, 201, 400, 404, 414, 422];

interface Operation {
  readonly parameters?: { name: string; in: 'path' | 'query' }[];
  readonly requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } };
}

export function describeHostileInputs(name: string, context: () => ApiContext): void {
  describe(`hostile inputs over ${name}`, () => {
    let operations: Record<string, Operation> = {};

    const send = async (method: string, path: string, sample: RouteSample) => {
      const { api } = context();
      return api.call(method, sampleUrl(path, sample), { as: 'admin', ...(sample.body !== undefined ? { body: sample.body } : {}) });
    };

    it('reads the parameters of every route from the OpenAPI document', async () => {
      const document = (await context().api.call('GET', '/api/openapi.json')).json as { paths: Record<string, Record<string, Operation>> };
      operations = {};
      for (const [path, byMethod] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(byMethod)) operations[`${method.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`] = operation;
      }
      expect(Object.keys(operations).sort()).toEqual(Object.keys(ROUTE_SPECS).sort());
    });

    for (const [key, spec] of Object.entries(ROUTE_SPECS)) {
      const [method, path] = key.split(' ') as [string, string];
      it(`${key}: every parameter refuses or neutralises hostile values`, async () => {
        const operation = operations[key]!;
        const base = await spec.sample(context().sample);
        const targets: { part: 'params' | 'query' | 'body'; name: string }[] = [
          ...(operation.parameters ?? []).map((p) => ({ part: p.in === 'path' ? ('params' as const) : ('query' as const), name: p.name })),
          ...Object.keys(operation.requestBody?.content['application/json'].schema.properties ?? {}).map((name) => ({ part: 'body' as const, name })),
        ];
        for (const target of targets) {
          const values: unknown[] = target.part === 'body' ? [...HOSTILE_STRINGS, ...HOSTILE_JSON] : [...HOSTILE_STRINGS];
          for (const value of values) {
            const sample = await spec.sample(context().sample);
            const hostile: RouteSample =
              target.part === 'body'
                ? { ...sample, body: { ...(typeof sample.body === 'object' ? sample.body : {}), [target.name]: value } }
                : { ...sample, [target.part]: { ...(target.part === 'params' ? sample.params : sample.query), [target.name]: value as string } };
            const result = await send(method, path, hostile);
            const label = `${target.part}.${target.name} = ${JSON.stringify(value).slice(0, 60)}`;
            expect(okStatuses, `${label}: ${result.status} ${result.text.slice(0, 200)}`).toContain(result.status);
            if (result.status === 400) {
              const field = (result.json as ErrorJson).error.field ?? '';
              // Invalid UTF-8 in the URL fails before routing, so only "url" can be named.
              const expected = field === 'url' && typeof value === 'string' && /[\ud800-\udfff]/.test(value) ? 'url' : `${target.part}.${target.name}`;
              if (target.part === 'body') expect(field === 'body' || field.startsWith(expected), `${label}: field ${field}`).toBe(true);
              else expect(field, label).toBe(expected);
            }
          }
        }
        if (targets.some((t) => t.part === 'query')) {
          const name = targets.find((t) => t.part === 'query')!.name;
          const repeated = sampleUrl(path, base).concat(`${sampleUrl(path, base).includes('?') ? '&' : '?'}${name}=1&${name}=2`);
          const result = await context().api.call(method, repeated, { as: 'admin', ...(base.body ? { body: base.body } : {}) });
          expect(result.status, `repeated ${name}`).toBe(400);
        }
      });
    }

    it('refuses a JSON body that tries prototype pollution, and bodies that are not JSON', async () => {
      const { api } = context();
      const polluted = await api.app.inject({
        method: 'POST',
        url: `/api/cases/${CASE_ID}/views`,
        headers: { authorization: `Bearer ${api.tokenOf.analyst}`, 'content-type': 'application/json' },
        payload: '{"name":"x","state":{},"__proto__":{"role":"admin"}}',
      });
      expect(polluted.statusCode).toBe(400);
      const notJson = await api.app.inject({
        method: 'POST',
        url: `/api/cases/${CASE_ID}/views`,
        headers: { authorization: `Bearer ${api.tokenOf.analyst}`, 'content-type': 'application/json' },
        payload: '{"name": "x", "state": ',
      });
      expect(notJson.statusCode).toBe(400);
      const form = await api.app.inject({
        method: 'POST',
        url: `/api/cases/${CASE_ID}/views`,
        headers: { authorization: `Bearer ${api.tokenOf.analyst}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=x',
      });
      expect(form.statusCode).toBe(415);
      const huge = await api.call('POST', `/api/cases/${CASE_ID}/views`, { as: 'analyst', body: { name: 'huge', state: { blob: 'x'.repeat(2 * 1024 * 1024) } } });
      expect(huge.status).toBe(413);
    });

    it('stores hostile text as data, byte for byte, and reads it back unchanged', async () => {
      const { api, sample } = context();
      const loneSurrogate = /[\ud800-\udfff]/;
      for (const text of HOSTILE_STRINGS.filter((t) => t.length > 0 && t.length <= 10_000 && !loneSurrogate.test(t))) {
        const note = await api.send('POST', `/api/cases/${CASE_ID}/annotations`, annotationSchema, { as: 'analyst', body: { target: { kind: 'address', id: sample.seed }, text } });
        expect(note.text).toBe(text);
        const view = await api.send('POST', `/api/cases/${CASE_ID}/views`, savedViewSchema, { as: 'analyst', body: { name: 'hostile state', state: { [text]: text } } });
        expect((await api.get(`/api/cases/${CASE_ID}/views/${view.id}`, savedViewSchema)).state).toEqual({ [text]: text });
      }
      // Half a surrogate pair cannot be stored as UTF-8: refused, never silently altered.
      const broken = await api.call('POST', `/api/cases/${CASE_ID}/annotations`, { as: 'analyst', body: { target: { kind: 'address', id: sample.seed }, text: 'a\ud800b' } });
      expect(broken.status).toBe(400);
      expect((broken.json as ErrorJson).error.field).toBe('body.text');
      const label = "Robert'); DROP TABLE tags; -- MATCH (n) DETACH DELETE n";
      await api.send('POST', `/api/cases/${CASE_ID}/tags`, tagImportResultSchema, { as: 'analyst', status: 200, body: { tags: [{ address: sample.seed, label, source: 'hostile test' }] } });
      const tags = await api.get(`/api/nodes/address/${sample.seed}/tags`, tagListSchema);
      expect(tags.tags.map((t) => t.label)).toContain(label);
    });

    it('still holds the same chain data after all of the above', async () => {
      const { api, world, sample } = context();
      const summary = await api.get(`/api/addresses/${sample.seed}`, addressSummarySchema);
      const expected = world.oracle.totals(new Set([sample.seed]));
      expect({ received: summary.received, sent: summary.sent, txCount: summary.txCount }).toEqual({ received: expected.received, sent: expected.sent, txCount: expected.txCount });
      const stats = await context().store.stats();
      expect(stats.transactions).toBeGreaterThanOrEqual(world.oracle.txs.size);
      expect(stats.cases).toBeGreaterThanOrEqual(1);
    });
  });
}
