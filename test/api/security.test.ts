/**
 * The server's guards beyond roles: security headers, CORS for the viewer origin only, the
 * Host pin against DNS rebinding, per-token rate limits, token revocation taking effect at
 * once, no answer without an audit entry, the viewer's static files, and what
 * `startApiServer` refuses.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDataPaths, AuditLog, InsecureServerConfigError, startApiServer, TokenStore, verifyAuditLog, type AuditEntry } from '@chaintrail/api';
import { openStore, type GraphStore } from '@chaintrail/store';
import { startHarness, type ApiHarness, type ErrorJson } from './api-harness.js';
import { firstBlocks } from '../store/block-fixtures.js';

let store: GraphStore;
const block170Payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';

beforeAll(async () => {
  store = await openStore('sqlite::memory:');
  await store.writeTransactions(firstBlocks().flatMap((block) => block.writes));
});
afterAll(async () => {
  await store.close();
});

const auditEntries = (path: string): AuditEntry[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditEntry);

describe('headers and origins', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startHarness(store, { viewerOrigin: 'http://127.0.0.1:5173', allowedHostnames: ['127.0.0.1', 'localhost'] });
  });
  afterAll(() => api.close());

  it('sends security headers and forbids caching of case data', async () => {
    const result = await api.call('GET', `/api/transactions/${block170Payment}`, { headers: { host: '127.0.0.1:8321' } });
    expect(result.status).toBe(200);
    expect(result.headers['content-security-policy']).toContain("default-src 'self'");
    expect(result.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(result.headers['x-content-type-options']).toBe('nosniff');
    expect(result.headers['x-frame-options']).toBe('DENY');
    expect(result.headers['referrer-policy']).toBe('no-referrer');
    expect(result.headers['cache-control']).toBe('no-store');
    expect(result.headers['x-powered-by']).toBeUndefined();
  });

  it('allows cross-origin calls from the configured viewer origin only', async () => {
    const preflight = (origin: string) =>
      api.app.inject({
        method: 'OPTIONS',
        url: '/api/session',
        headers: { host: '127.0.0.1:8321', origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight('http://127.0.0.1:5173');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await api.call('GET', '/api/session', { headers: { host: '127.0.0.1:8321', origin: 'https://evil.example' } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers only to its own host names, so a rebinding web page cannot reach it', async () => {
    const rebound = await api.call('GET', '/api/session', { headers: { host: 'evil.example:8321' } });
    expect(rebound.status).toBe(421);
    expect((rebound.json as ErrorJson).error.code).toBe('CHAINTRAIL_MISDIRECTED');
    expect((await api.call('GET', '/api/session', { headers: { host: 'localhost:8321' } })).status).toBe(200);
  });
});

describe('tokens and limits', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startHarness(store, { rateLimit: { max: 3, windowSeconds: 60 } });
  });
  afterAll(() => api.close());

  it('limits requests per token, not per server', async () => {
    for (let i = 0; i < 3; i++) expect((await api.call('GET', '/api/session', { as: 'viewer' })).status).toBe(200);
    const limited = await api.call('GET', '/api/session', { as: 'viewer' });
    expect(limited.status).toBe(429);
    expect((limited.json as ErrorJson).error.code).toBe('CHAINTRAIL_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await api.call('GET', '/api/session', { as: 'analyst' })).status).toBe(200);
  });

  it('stores only hashes, and a token revoked from another process stops working at once', async () => {
    const file = readFileSync(apiDataPaths(api.dir).tokens, 'utf8');
    for (const token of Object.values(api.tokenOf)) expect(file).not.toContain(token.slice(20));
    const cli = TokenStore.open(apiDataPaths(api.dir).tokens);
    const created = cli.create({ role: 'viewer', label: 'made by the CLI' });
    expect((await api.call('GET', '/api/session', { token: created.token })).status).toBe(200);
    cli.revoke(created.info.tokenId);
    expect((await api.call('GET', '/api/session', { token: created.token })).status).toBe(401);
  });
});

describe('audit', () => {
  it('records requests that fail before routing, once each', async () => {
    const api = await startHarness(store);
    try {
      const before = auditEntries(api.auditPath).length;
      const bad = await api.call('GET', '/api/addresses/%ED%A0%80');
      expect(bad.status).toBe(400);
      expect((bad.json as ErrorJson).error.field).toBe('url');
      const entries = auditEntries(api.auditPath).slice(before);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ status: 400, method: 'GET' });
    } finally {
      await api.close();
    }
  });

  it('withholds the answer when the audit log cannot be written', async () => {
    const api = await startHarness(store);
    try {
      api.audit.close();
      const result = await api.call('GET', `/api/transactions/${block170Payment}`);
      expect(result.status).toBe(503);
      expect((result.json as ErrorJson).error.code).toBe('CHAINTRAIL_AUDIT_LOG');
      expect(result.text).not.toContain(block170Payment);
    } finally {
      await api.close();
    }
  });
});

describe('viewer files', () => {
  it('serves the built viewer without a token, and nothing outside its folder', async () => {
    const viewerDir = mkdtempSync(join(tmpdir(), 'chaintrail-viewer-'));
    mkdirSync(join(viewerDir, 'assets'));
    writeFileSync(join(viewerDir, 'index.html'), '<!doctype html><title>chaintrail</title>');
    writeFileSync(join(viewerDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(viewerDir, '.env'), 'SECRET=1');
    const api = await startHarness(store, { viewerDir });
    try {
      const index = await api.call('GET', '/', { as: null });
      expect(index.status).toBe(200);
      expect(index.text).toContain('<title>chaintrail</title>');
      expect(index.headers['content-security-policy']).toContain("script-src 'self'");
      expect((await api.call('GET', '/assets/app.js', { as: null })).status).toBe(200);
      expect([403, 404]).toContain((await api.call('GET', '/.env', { as: null })).status);
      expect((await api.call('GET', '/assets/..%2f..%2f..%2fetc%2fpasswd', { as: null })).text).not.toContain('root:');
      expect((await api.call('GET', '/api/session', { as: null })).status).toBe(401);
    } finally {
      await api.close();
      rmSync(viewerDir, { recursive: true, force: true });
    }
  });
});

describe('startApiServer', () => {
  const dirs: string[] = [];
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'chaintrail-serve-'));
    dirs.push(dir);
    const paths = apiDataPaths(dir);
    return { tokens: TokenStore.open(paths.tokens), audit: AuditLog.open(paths.audit), auditPath: paths.audit };
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('binds loopback, prints a login URL whose fragment token works, and retires it on close', async () => {
    const { tokens, audit, auditPath } = open();
    const server = await startApiServer({ store, tokens, audit, port: 0, viewerDir: join(tmpdir(), 'no-viewer-here') });
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=ct_[0-9a-f]{16}_/);
      const token = new URL(server.loginUrl!).hash.slice('#token='.length);
      const ok = await fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { role: string }).role).toBe('analyst');
      expect((await fetch(`${server.url}/api/session`)).status).toBe(401);
      await server.close();
      expect(tokens.verify(token)).toBeNull();
    } finally {
      await server.close();
      audit.close();
    }
    const events = auditEntries(auditPath).map((e) => e.event);
    expect(events[0]).toBe('start');
    expect(events.at(-1)).toBe('stop');
    expect(readFileSync(auditPath, 'utf8')).not.toContain(server.sessionToken!.slice(20));
    expect((await verifyAuditLog(auditPath)).ok).toBe(true);
  });

  it('refuses to switch authentication off on a non-loopback address', async () => {
    const { tokens, audit } = open();
    try {
      await expect(startApiServer({ store, tokens, audit, host: '0.0.0.0', port: 0, auth: false })).rejects.toBeInstanceOf(InsecureServerConfigError);
      await expect(startApiServer({ store, tokens, audit, host: '::', port: 0, auth: false })).rejects.toBeInstanceOf(InsecureServerConfigError);
    } finally {
      audit.close();
    }
  });

  it('serves loopback without tokens only when asked, and still pins the host', async () => {
    const { tokens, audit } = open();
    const server = await startApiServer({ store, tokens, audit, port: 0, auth: false });
    try {
      expect(server.loginUrl).toBeNull();
      const response = await fetch(`${server.url}/api/transactions/${block170Payment}`);
      expect(response.status).toBe(200);
      const forged = await server.app.inject({ method: 'GET', url: '/api/session', headers: { host: 'attacker.example' } });
      expect(forged.statusCode).toBe(421);
    } finally {
      await server.close();
      audit.close();
    }
  });
});
