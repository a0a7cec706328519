import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLogError } from '../errors.js';
import { GENESIS_HASH, headPathOf, lineHash, type AuditRecord } from './audit-entry.js';
import { AuditLog } from './audit-log.js';
import { verifyAuditLog } from './verify-audit-log.js';

const request = (route: string, status: number): AuditRecord => ({
  event: 'request',
  requestId: `r-${route}`,
  who: { tokenId: '0123456789abcdef', role: 'viewer', label: 'investigator A' },
  ip: '127.0.0.1',
  method: 'GET',
  route,
  params: { address: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT' },
  query: { limit: '10' },
  body: null,
  status,
  resultBytes: 123,
  resultItems: 4,
});

describe('audit log', () => {
  let dir: string;
  let path: string;
  const lines = () => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const rewrite = (all: string[]) => writeFileSync(path, all.map((l) => `${l}\n`).join(''));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chaintrail-audit-'));
    path = join(dir, 'audit.jsonl');
    const log = AuditLog.open(path);
    for (let i = 1; i <= 6; i++) log.append(request(`/api/route-${i}`, 200));
    log.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('chains each entry to the hash of the line before', async () => {
    const all = lines();
    expect(JSON.parse(all[0]!)).toMatchObject({ seq: 1, prev: GENESIS_HASH });
    for (let i = 1; i < all.length; i++) expect(JSON.parse(all[i]!)).toMatchObject({ seq: i + 1, prev: lineHash(all[i - 1]!) });
    const result = await verifyAuditLog(path);
    expect(result).toMatchObject({ ok: true, entries: 6, head: { seq: 6, hash: lineHash(all[5]!) }, problems: [] });
  });

  it('continues the chain after a restart', async () => {
    const log = AuditLog.open(path);
    expect(log.head.seq).toBe(6);
    log.append(request('/api/after-restart', 200));
    log.close();
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, entries: 7 });
  });

  const tampering: Record<string, { change: (all: string[]) => void; line: number }> = {
    'an edited status': { change: (all) => (all[2] = all[2]!.replace('"status":200', '"status":404')), line: 4 },
    'an edited who': { change: (all) => (all[1] = all[1]!.replace('investigator A', 'investigator B')), line: 3 },
    'a deleted line': { change: (all) => all.splice(3, 1), line: 4 },
    'two swapped lines': { change: (all) => ([all[1], all[2]] = [all[2]!, all[1]!]), line: 2 },
    'an inserted line': { change: (all) => all.splice(2, 0, all[2]!.replace('route-3', 'route-x')), line: 4 },
    'a line that is not JSON': { change: (all) => (all[4] = 'deleted by hand'), line: 5 },
  };
  for (const [what, { change, line }] of Object.entries(tampering)) {
    it(`detects ${what}, at the line where the chain breaks`, async () => {
      const all = lines();
      change(all);
      rewrite(all);
      const result = await verifyAuditLog(path);
      expect(result.ok).toBe(false);
      expect(result.problems.map((p) => p.line)).toContain(line);
    });
  }

  it('detects lines cut from the end through the head file, and refuses to append after them', async () => {
    const all = lines();
    rewrite(all.slice(0, 4));
    const result = await verifyAuditLog(path);
    expect(result.ok).toBe(false);
    expect(result.problems.some((p) => p.line === 0 && p.problem.includes('head file records entry 6'))).toBe(true);
    expect(() => AuditLog.open(path)).toThrow(/head file records entry 6/);
  });

  it('detects a deleted head file and an incomplete last line', async () => {
    unlinkSync(headPathOf(path));
    expect((await verifyAuditLog(path)).problems.some((p) => p.problem.includes('head file'))).toBe(true);
    expect(() => AuditLog.open(path)).toThrow(AuditLogError);
    truncateSync(path, readFileSync(path).length - 10);
    expect((await verifyAuditLog(path)).problems.some((p) => p.problem.includes('incomplete'))).toBe(true);
  });

  it('catches a consistent rewrite of log and head only against a head written down earlier', async () => {
    const noted = (await verifyAuditLog(path)).head;
    const forged = lines().slice(0, 3);
    forged[2] = forged[2]!.replace('"status":200', '"status":500');
    rmSync(path);
    rmSync(headPathOf(path));
    const log = AuditLog.open(path);
    for (const line of forged) {
      const { seq: _seq, time: _time, prev: _prev, ...record } = JSON.parse(line) as Record<string, unknown>;
      log.append(record as AuditRecord);
    }
    for (let i = 4; i <= 6; i++) log.append(request(`/api/route-${i}`, 200));
    log.close();
    expect((await verifyAuditLog(path)).ok).toBe(true);
    const checked = await verifyAuditLog(path, { expectedHead: noted });
    expect(checked.ok).toBe(false);
    expect(checked.problems[0]?.problem).toContain('no longer has the hash written down');
  });

  it('lets one server write at a time', () => {
    const first = AuditLog.open(path);
    try {
      expect(() => AuditLog.open(path)).toThrow(/another chaintrail server/);
    } finally {
      first.close();
    }
    AuditLog.open(path).close();
  });

  it('appends a forged entry as a break in the chain', async () => {
    appendFileSync(path, `${lines()[5]!.replace('"seq":6', '"seq":7')}\n`);
    const result = await verifyAuditLog(path);
    expect(result.problems.map((p) => p.line)).toContain(7);
  });

  it('group-commits the entries recorded in one turn, in call order, settling each once it is in the file', async () => {
    const log = AuditLog.open(path);
    const pending = Array.from({ length: 5 }, (_v, i) => log.record(request(`/api/batched-${i}`, 200)));
    expect(log.head.seq).toBe(6);
    const written = await Promise.all(pending);
    expect(written.map((e) => e.seq)).toEqual([7, 8, 9, 10, 11]);
    expect(log.head.seq).toBe(11);
    expect(lines().slice(6).map((l) => (JSON.parse(l) as { route: string }).route)).toEqual([0, 1, 2, 3, 4].map((i) => `/api/batched-${i}`));
    const late = log.record(request('/api/recorded-before-append', 200));
    log.append(request('/api/appended-after', 200));
    expect((await late).seq).toBe(12);
    log.close();
    await expect(log.record(request('/api/after-close', 200))).rejects.toThrow(AuditLogError);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, entries: 13 });
  });
});
