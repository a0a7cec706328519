/**
 * Every route, called with no token, a wrong one, a malformed header, a revoked token, an
 * expired token, and each role's token: the first five get 401, a role the issue does not
 * grant the route gets 403, a granted one gets its answer. Every call is in the audit log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, verifyAuditLog, type AuditEntry } from '@chaintrail/api';
import { openStore } from '@chaintrail/store';
import { readFileSync } from 'node:fs';
import { useApiContext } from './api-context.js';
import type { ErrorJson } from './api-harness.js';
import { ROUTE_SPECS, routeKeysOf, sampleUrl } from './route-samples.js';

const context = useApiContext(() => openStore('sqlite::memory:'));

describe('authorisation matrix', () => {
  const badTokens: Record<string, { headers: Record<string, string> }> = {};

  beforeAll(() => {
    const { api } = context();
    const revoked = api.tokens.create({ role: 'admin', label: 'revoked' });
    api.tokens.revoke(revoked.info.tokenId);
    const expired = api.tokens.create({ role: 'admin', label: 'expired', expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000));
    const forged = `${api.tokenOf.admin.slice(0, -4)}AAAA`;
    badTokens['no token'] = { headers: {} };
    badTokens['an unknown token'] = { headers: { authorization: `Bearer ct_0123456789abcdef_${'A'.repeat(43)}` } };
    badTokens['a token with a forged secret'] = { headers: { authorization: `Bearer ${forged}` } };
    badTokens['a malformed header'] = { headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` } };
    badTokens['a revoked token'] = { headers: { authorization: `Bearer ${revoked.token}` } };
    badTokens['an expired token'] = { headers: { authorization: `Bearer ${expired.token}` } };
  });

  it('covers every route the server documents', async () => {
    const { api } = context();
    const document = (await api.call('GET', '/api/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    expect(routeKeysOf(document).sort()).toEqual(Object.keys(ROUTE_SPECS).sort());
  });

  for (const [key, spec] of Object.entries(ROUTE_SPECS)) {
    const [method, path] = key.split(' ') as [string, string];
    it(`${key}: 401 without a valid token, then ${spec.minRole} and above only`, async () => {
      const { api, sample } = context();
      for (const [what, { headers }] of Object.entries(badTokens)) {
        const example = await spec.sample(sample);
        const result = await api.call(method, sampleUrl(path, example), { as: null, headers, ...(example.body ? { body: example.body } : {}) });
        expect(result.status, `${what}`).toBe(401);
        expect((result.json as ErrorJson).error.code).toBe('CHAINTRAIL_UNAUTHENTICATED');
      }
      for (const role of ROLES) {
        const example = await spec.sample(sample);
        const result = await api.call(method, sampleUrl(path, example), { as: role, ...(example.body ? { body: example.body } : {}) });
        if (ROLES.indexOf(role) >= ROLES.indexOf(spec.minRole)) {
          expect([200, 201], `${role}: ${result.text.slice(0, 300)}`).toContain(result.status);
        } else {
          expect(result.status, role).toBe(403);
          expect((result.json as ErrorJson).error.code).toBe('CHAINTRAIL_FORBIDDEN');
        }
      }
    });
  }

  it('hides which /api/ paths exist from callers without a token', async () => {
    const { api } = context();
    expect((await api.call('GET', '/api/no-such-route', { as: null })).status).toBe(401);
    expect((await api.call('GET', '/api/no-such-route', { as: 'viewer' })).status).toBe(404);
  });

  it('recorded every call above in an intact audit log, with who asked and the outcome', async () => {
    const { api } = context();
    const verification = await verifyAuditLog(api.auditPath);
    expect(verification.problems).toEqual([]);
    const entries = readFileSync(api.auditPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AuditEntry);
    const routes = Object.keys(ROUTE_SPECS).length;
    expect(entries.filter((e) => e.status === 401 && e.who === null).length).toBeGreaterThanOrEqual(routes * Object.keys(badTokens).length);
    const byViewer = entries.filter((e) => e.who?.tokenId === api.tokenIdOf.viewer);
    expect(byViewer.length).toBeGreaterThanOrEqual(routes);
    expect(byViewer.every((e) => e.who?.role === 'viewer' && e.route?.startsWith('/api/'))).toBe(true);
    const log = readFileSync(api.auditPath, 'utf8');
    for (const token of Object.values(api.tokenOf)) expect(log).not.toContain(token.slice(20));
  });
});
