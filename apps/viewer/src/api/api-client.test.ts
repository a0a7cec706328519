import { describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.js';
import { ViewerApiError } from './viewer-api-error.js';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function client(answer: (seen: Seen) => Response | Promise<Response>, options: { timeoutMs?: number } = {}) {
  const seen: Seen[] = [];
  const slept: number[] = [];
  const api = new ApiClient({
    token: 'ct_test',
    baseUrl: 'http://127.0.0.1:8321/',
    timeoutMs: options.timeoutMs ?? 5000,
    fetch: (input, init) => {
      const entry = { url: input instanceof Request ? input.url : input.toString(), method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body as string | undefined };
      seen.push(entry);
      const signal = init?.signal;
      return new Promise<Response>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        Promise.resolve(answer(entry)).then(resolve, reject);
      });
    },
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
  });
  return { api, seen, slept };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('API client', () => {
  it('sends the bearer token and encodes path and query', async () => {
    const { api, seen } = client(() => json({ subject: { kind: 'address', id: 'script:ab' }, neighbours: [], truncated: false }));
    await api.neighbours({ kind: 'address', id: 'script:ab' }, { direction: 'in', limit: 25, minValue: 10_000n, fromTime: null });
    expect(seen[0]?.url).toBe('http://127.0.0.1:8321/api/nodes/address/script%3Aab/neighbours?direction=in&limit=25&minValue=10000');
    expect(seen[0]?.headers['authorization']).toBe('Bearer ct_test');
  });

  it("turns the API's error body into an error with its code, field and message", async () => {
    const { api } = client(() => json({ error: { code: 'CHAINTRAIL_BAD_REQUEST', message: 'Invalid query.limit: must be at most 2000.', field: 'query.limit', requestId: 'r1' } }, 400));
    const error = await api.search('x', 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ViewerApiError);
    expect(error).toMatchObject({ code: 'CHAINTRAIL_BAD_REQUEST', status: 400, field: 'query.limit', requestId: 'r1', message: 'Invalid query.limit: must be at most 2000.' });
  });

  it('says the token is refused on 401', async () => {
    const { api } = client(() => json({ error: { code: 'CHAINTRAIL_UNAUTHENTICATED', message: 'The bearer token is unknown, revoked or expired.', requestId: 'r' } }, 401));
    await expect(api.session()).rejects.toMatchObject({ code: 'CHAINTRAIL_UNAUTHENTICATED', status: 401 });
  });

  it('waits for Retry-After on 429 and tries again', async () => {
    let calls = 0;
    const { api, slept } = client(() => (++calls === 1 ? json({ error: { code: 'CHAINTRAIL_RATE_LIMITED', message: 'slow down', requestId: 'r' } }, 429, { 'retry-after': '3' }) : json({ cases: [] })));
    await expect(api.cases()).resolves.toEqual({ cases: [] });
    expect(slept).toEqual([3000]);
  });

  it('gives up on a slow API with a timeout error instead of hanging', async () => {
    const { api } = client(() => new Promise<Response>(() => undefined), { timeoutMs: 50 });
    await expect(api.cases()).rejects.toMatchObject({ code: 'CHAINTRAIL_VIEWER_TIMEOUT' });
  });

  it('says the server is gone when the connection fails', async () => {
    const { api } = client(() => Promise.reject(new TypeError('fetch failed')));
    await expect(api.cases()).rejects.toMatchObject({ code: 'CHAINTRAIL_VIEWER_NETWORK' });
  });

  it('cancels with the caller, not with a timeout error', async () => {
    const { api } = client(() => new Promise<Response>(() => undefined));
    const controller = new AbortController();
    const pending = api.cases({ signal: controller.signal });
    controller.abort(new DOMException('cancelled', 'AbortError'));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('sends JSON bodies for writes', async () => {
    const { api, seen } = client(() => json({ id: 'v1', caseId: 'c', name: 'n', state: {}, createdAt: '', updatedAt: '' }, 201));
    await api.saveView('c 1', { name: 'first look', state: { v: 1 } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:8321/api/cases/c%201/views', body: '{"name":"first look","state":{"v":1}}' });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('keeps background requests out of the slots a click needs', async () => {
    const release: (() => void)[] = [];
    const { api, seen } = client(() => new Promise<Response>((resolve) => release.push(() => resolve(json({ cases: [] })))));
    const background = Array.from({ length: 8 }, () => api.cases({ priority: 'background' }));
    await Promise.resolve();
    expect(seen).toHaveLength(4);
    const click = api.session({ priority: 'interactive' });
    await Promise.resolve();
    expect(seen.at(-1)?.url).toContain('/api/session');
    for (let i = 0; i < 20; i++) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    await Promise.all([...background, click]);
  });

  it('asks for the payers report with its parameters, and the flows report from origins or from the seeds', async () => {
    const { api, seen } = client(() => json({ format: 'chaintrail-report' }));
    await api.payerReport('c1', { hopLimit: 6, minShare: '0.75' });
    await api.flowReport('c1', { from: ['Eb2f3b04d2bfce58a5d7920da', '1QGbgRxDe3JkEX7LLJtjM4KkFUi3RXX6pJ'], fromSeeds: false, hopLimit: 4 });
    await api.flowReport('c1', { from: [], fromSeeds: true });
    expect(seen.map((s) => s.url)).toEqual([
      'http://127.0.0.1:8321/api/cases/c1/reports/payers?hopLimit=6&minShare=0.75',
      'http://127.0.0.1:8321/api/cases/c1/reports/flows?from=Eb2f3b04d2bfce58a5d7920da%2C1QGbgRxDe3JkEX7LLJtjM4KkFUi3RXX6pJ&hopLimit=4',
      'http://127.0.0.1:8321/api/cases/c1/reports/flows?fromSeeds=true',
    ]);
  });

  it('posts the evidence scope as JSON and waits longer for the bundle than for a lookup', async () => {
    const { api, seen } = client(() => new Promise<Response>((resolve) => setTimeout(() => resolve(json({ fileName: 'demo-evidence.zip' })), 120)), { timeoutMs: 50 });
    await expect(api.exportEvidence('c1', { report: 'payers', render: false, proofs: 'recorded' })).resolves.toMatchObject({ fileName: 'demo-evidence.zip' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:8321/api/cases/c1/evidence', body: '{"report":"payers","render":false,"proofs":"recorded"}' });
    // A lookup with the same base timeout gives up.
    await expect(api.cases()).rejects.toMatchObject({ code: 'CHAINTRAIL_VIEWER_TIMEOUT' });
  });
});
