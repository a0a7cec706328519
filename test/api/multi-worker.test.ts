/**
 * `chaintrail serve --workers 2` as real processes on a real SQLite file: requests are
 * answered by both workers, tokens from the token file and the session token of the login
 * URL work in each, a revoked session token stops working in each, one token's rate limit
 * holds across workers, and the audit log the primary writes for all of them verifies,
 * with every request in it once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDataPaths, TokenStore, verifyAuditLog, type AuditEntry } from '@chaintrail/api';
import { openStore } from '@chaintrail/store';
import { finished, startChaintrail } from '../e2e/cli-binary.js';
import { firstBlocks } from '../store/block-fixtures.js';

const rateLimit = 40;
const block170Payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request on a connection of its own, so the primary hands it to the next worker. */
function call(port: number, method: string, path: string, token: string | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: token === null ? {} : { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve --workers 2', () => {
  let home: string;
  let server: ReturnType<typeof startChaintrail>;
  let port: number;
  let session: string;
  let sessionId: string;
  let fileToken: string;
  let fileTokenId: string;
  const sent: Answer[] = [];
  const entries = (): AuditEntry[] =>
    readFileSync(apiDataPaths(home).audit, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as AuditEntry);
  const get = async (path: string, token: string | null, method = 'GET'): Promise<Answer> => {
    const answer = await call(port, method, path, token);
    sent.push(answer);
    return answer;
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'chaintrail-workers-'));
    const storePath = join(home, 'chain.sqlite');
    const store = await openStore(`sqlite:${storePath}`);
    await store.writeTransactions(firstBlocks().flatMap((block) => block.writes));
    await store.close();
    const created = TokenStore.open(apiDataPaths(home).tokens).create({ role: 'viewer', label: 'before start' });
    fileToken = created.token;
    fileTokenId = created.info.tokenId;
    server = startChaintrail(['--json', '--quiet', '--store', `sqlite:${storePath}`, 'serve', '--port', '0', '--workers', '2', '--session-role', 'admin', '--rate-limit', String(rateLimit)], { home });
    for (let i = 0; i < 1200 && !server.output.stdout.trimEnd().endsWith('}') && server.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    const started = JSON.parse(server.output.stdout) as { url: string; loginUrl: string; workers: number };
    expect(started.workers).toBe(2);
    port = Number(new URL(started.url).port);
    session = new URL(started.loginUrl).hash.slice('#token='.length);
    sessionId = /^ct_([0-9a-f]{16})_/.exec(session)![1]!;
  }, 180_000);

  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('answers with every worker, and each takes the session token and the token file', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 60 && seen.size < 4; i++) {
      const [token, id] = i % 3 === 0 ? [fileToken, fileTokenId] : [session, sessionId];
      const answer = await get(`/api/transactions/${block170Payment}`, token);
      expect(answer.status, answer.body).toBe(200);
      expect((JSON.parse(answer.body) as { txid: string }).txid).toBe(block170Payment);
      const entry = entries().findLast((e) => e.event === 'request' && e.who?.tokenId === id);
      expect(entry?.worker).toBeGreaterThanOrEqual(1);
      seen.add(`${entry!.worker}:${id}`);
    }
    expect([...seen].sort()).toHaveLength(4);
  }, 60_000);

  it('takes a token created after the start in every worker', async () => {
    const late = TokenStore.open(apiDataPaths(home).tokens).create({ role: 'viewer', label: 'after start' });
    const workers = new Set<number>();
    for (let i = 0; i < 20 && workers.size < 2; i++) {
      expect((await get('/api/session', late.token)).status).toBe(200);
      workers.add(entries().findLast((e) => e.who?.tokenId === late.info.tokenId)!.worker!);
    }
    expect(workers.size).toBe(2);
  }, 60_000);

  it("holds one token's rate limit across workers", async () => {
    const limited = TokenStore.open(apiDataPaths(home).tokens).create({ role: 'viewer', label: 'rate limited' });
    const statuses: number[] = [];
    for (let i = 0; i < rateLimit + 5; i++) statuses.push((await get('/api/session', limited.token)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(rateLimit);
    expect(statuses.slice(rateLimit)).toEqual([429, 429, 429, 429, 429]);
    const workers = new Set(entries().filter((e) => e.who?.tokenId === limited.info.tokenId).map((e) => e.worker));
    expect(workers.size).toBe(2);
  }, 60_000);

  it('stops taking a revoked session token in every worker', async () => {
    expect((await get(`/api/tokens/${sessionId}`, session, 'DELETE')).status).toBe(200);
    const before = entries().length;
    for (let i = 0; i < 8; i++) expect((await get('/api/session', session)).status).toBe(401);
    const refusals = entries().slice(before);
    expect(refusals.map((e) => e.status)).toEqual(Array.from({ length: 8 }, () => 401));
    expect(new Set(refusals.map((e) => e.worker)).size).toBe(2);
  }, 60_000);

  it('stops on SIGTERM with an audit log that verifies and holds every request once', async () => {
    server.kill('SIGTERM');
    const run = await finished(server);
    expect(run.code, run.stderr).toBe(0);
    const verified = await verifyAuditLog(apiDataPaths(home).audit);
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
    const all = entries();
    expect(all[0]).toMatchObject({ event: 'start', detail: { workers: '2' } });
    expect(all.at(-1)).toMatchObject({ event: 'stop' });
    const requests = all.filter((e) => e.event === 'request');
    expect(requests).toHaveLength(sent.length);
    expect(requests.map((e) => e.status).sort()).toEqual(sent.map((a) => a.status).sort());
    expect(new Set(requests.map((e) => e.requestId)).size).toBe(sent.length);
  }, 60_000);
});
