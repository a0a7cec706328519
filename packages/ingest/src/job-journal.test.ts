import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { JobJournal } from './job-journal.js';

const txid = (n: number): string => n.toString(16).padStart(64, '0');

const journals: JobJournal[] = [];
function journal(path = ':memory:'): JobJournal {
  const j = JobJournal.open(path);
  journals.push(j);
  return j;
}
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
});

describe('JobJournal', () => {
  it('pages a hop in txid order after a cursor', () => {
    const j = journal();
    j.commit('c', { frontier: [5, 3, 9, 1].map((n) => ({ direction: 'back', hop: 1, txid: txid(n) })) });
    expect(j.frontier('c', 'back', 1, null, 2)).toEqual([txid(1), txid(3)]);
    expect(j.frontier('c', 'back', 1, txid(3), 10)).toEqual([txid(5), txid(9)]);
    expect(j.frontier('c', 'forward', 1, null, 10)).toEqual([]);
  });

  it('keeps the hop a transaction was first reached at, and lets a seed transaction claim hop 0', () => {
    const j = journal();
    j.commit('c', { frontier: [{ direction: 'back', hop: 1, txid: txid(7) }] });
    j.commit('c', { frontier: [{ direction: 'back', hop: 2, txid: txid(7) }] });
    expect(j.frontier('c', 'back', 2, null, 10)).toEqual([]);
    j.commit('c', { visited: [{ direction: 'back', hop: 0, txid: txid(7), state: 'written' }] });
    expect(j.frontier('c', 'back', 1, null, 10)).toEqual([]);
    expect(j.hopCounts('c', 'back', 0)).toEqual({ pending: 0, written: 1, missing: 0 });
  });

  it('changes nothing when a batch is committed twice (a replay after a crash)', () => {
    const j = journal();
    const batch = {
      seeds: [{ address: 'a', txs: 2, truncated: false }],
      written: [txid(1), txid(2)],
      visited: [{ direction: 'forward' as const, hop: 0, txid: txid(1), state: 'written' as const }],
      frontier: [{ direction: 'forward' as const, hop: 1, txid: txid(3) }],
    };
    j.commit('c', batch);
    j.commit('c', batch);
    expect(j.seedsDone('c')).toBe(1);
    expect(j.caseTxCount('c')).toBe(2);
    expect(j.hopCounts('c', 'forward', 1)).toEqual({ pending: 1, written: 0, missing: 0 });
  });

  it("lists every case's transactions once for clustering, and forgets a case's queues when a new run starts", () => {
    const j = journal();
    j.commit('a', { written: [txid(2), txid(1)], frontier: [{ direction: 'back', hop: 1, txid: txid(9) }] });
    j.commit('b', { written: [txid(2), txid(3)] });
    expect(j.storeTxCount()).toBe(3);
    expect(j.storeTxids(null, 2)).toEqual([txid(1), txid(2)]);
    expect(j.storeTxids(txid(2), 2)).toEqual([txid(3)]);
    j.startRun('a', 'run-2');
    expect(j.runId('a')).toBe('run-2');
    expect(j.frontier('a', 'back', 1, null, 10)).toEqual([]);
    expect(j.storeTxCount()).toBe(3);
  });

  it('tells a duplicate seed from the same entry imported again', () => {
    const j = journal();
    expect(j.recordSeedOrigins('c', [{ address: 'x', file: 'a.txt', line: 4, position: 4 }])).toEqual([null]);
    expect(j.recordSeedOrigins('c', [{ address: 'x', file: 'a.txt', line: 4, position: 4 }])).toEqual([null]);
    expect(j.recordSeedOrigins('c', [{ address: 'x', file: 'b.txt', line: 1, position: 1 }])).toEqual([{ file: 'a.txt', line: 4 }]);
    expect(j.recordSeedOrigins('other', [{ address: 'x', file: 'b.txt', line: 1, position: 1 }])).toEqual([null]);
  });

  it('rebuilds a journal written by another version rather than misreading it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'j.sqlite');
    const old = new Database(path);
    old.exec('CREATE TABLE visits (x); PRAGMA user_version = 99');
    old.close();
    const j = journal(path);
    j.commit('c', { written: [txid(1)] });
    expect(j.caseTxCount('c')).toBe(1);
  });
});
