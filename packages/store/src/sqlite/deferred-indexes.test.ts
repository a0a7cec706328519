/**
 * The SQLite bulk load (./deferred-indexes.ts): a fresh store's
 * first batches go in without the secondary indexes, which are built before anything reads
 * the store; a store left mid-load by a crash is finished on the next writable open and
 * refused read-only, never read without its indexes.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { TxWrite } from '../graph-store.js';
import type { GraphStore } from '../graph-store.js';
import { openStore } from '../open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'chaintrail-bulk-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `store-${++files}.db`);
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `count` made-up transactions, each spending the previous one's first output and paying two of `addresses` addresses. */
function syntheticChain(prefix: string, count: number, addresses: number): TxWrite[] {
  const writes: TxWrite[] = [];
  let previous = { txid: sha256(`${prefix}:funding`), vout: 0 };
  for (let i = 0; i < count; i++) {
    const txid = sha256(`${prefix}:${i}`);
    const pays = [`${prefix}-addr-${i % addresses}`, `${prefix}-addr-${(i * 7 + 3) % addresses}`];
    writes.push({
      raw: sha256(`raw:${txid}`),
      tx: {
        txid,
        wtxid: txid,
        version: 2,
        locktime: 0,
        inputs: [{ prevout: previous, scriptSig: '', witness: [], sequence: 0xffffffff }],
        outputs: pays.map((address, vout) => ({ value: vout === 0 ? 50_000 + (i % 1000) : 1_000, scriptPubKey: '51', scriptType: 'nonstandard', address })),
        isCoinbase: false,
        hasWitness: false,
        size: 60,
        weight: 240,
        vsize: 60,
      },
    });
    previous = { txid, vout: 0 };
  }
  return writes;
}

const deferred = ['addresses_by_address', 'outputs_by_address', 'txs_by_key'];

function indexesOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN (SELECT value FROM json_each(?)) ORDER BY name").pluck().all(JSON.stringify(deferred)) as string[];
  } finally {
    db.close();
  }
}

async function answers(store: GraphStore, chain: ReturnType<typeof syntheticChain>) {
  return {
    stats: await store.stats(),
    summary: await store.addressSummary(chain[5]!.tx.outputs[0]!.address!),
    spent: (await store.getTransaction(chain[10]!.tx.txid)).outputs[0]!.spentBy,
    found: await store.search({ text: 'bulk-addr-1', limit: 5 }),
  };
}

describe('SQLite bulk load into a fresh store', () => {
  it('defers the secondary indexes while batches come in and builds them before the first read', async () => {
    const path = freshPath();
    const chain = syntheticChain('bulk', 3_000, 500);
    const store = await openStore(`sqlite:${path}`);
    try {
      await store.writeTransactions(chain.slice(0, 1_000));
      await store.writeTransactions(chain.slice(1_000));
      expect(indexesOf(path)).toEqual([]);
      const read = await answers(store, chain);
      expect(indexesOf(path)).toEqual(deferred);
      expect(read.stats).toMatchObject({ transactions: 3_000, outputs: 6_000, addresses: 500 });
      expect(read.spent).toEqual({ txid: chain[11]!.tx.txid, vin: 0 });
      expect(read.found.map((r) => r.kind === 'address' && r.address)).toEqual(['bulk-addr-1', 'bulk-addr-10', 'bulk-addr-100', 'bulk-addr-101', 'bulk-addr-102']);
      // The store is not empty any more: later batches keep the indexes up to date.
      await store.writeTransactions(syntheticChain('later', 10, 5));
      expect(indexesOf(path)).toEqual(deferred);
    } finally {
      await store.close();
    }
  });

  it('after a crash mid-load: refused read-only, finished by a writable open, with every committed batch', async () => {
    const path = freshPath();
    const chain = syntheticChain('bulk', 2_000, 500);
    const store = await openStore(`sqlite:${path}`);
    await store.writeTransactions(chain.slice(0, 1_500));
    // The files as a crash would leave them: committed batches in the database and its WAL.
    const crashed = freshPath();
    for (const suffix of ['', '-wal']) if (existsSync(`${path}${suffix}`)) copyFileSync(`${path}${suffix}`, `${crashed}${suffix}`);
    await store.writeTransactions(chain.slice(1_500));
    const expected = await answers(store, chain);
    await store.close();

    expect(indexesOf(crashed)).toEqual([]);
    await expect(openStore(`sqlite:${crashed}`, { readonly: true })).rejects.toMatchObject({ code: 'CHAINTRAIL_STORE_LOAD_INTERRUPTED' });
    const reopened = await openStore(`sqlite:${crashed}`);
    try {
      expect(indexesOf(crashed)).toEqual(deferred);
      expect((await reopened.stats()).transactions).toBe(1_500);
      expect(await reopened.writeTransactions(chain)).toEqual({ transactions: 500 });
      expect(await answers(reopened, chain)).toEqual(expected);
    } finally {
      await reopened.close();
    }
  });

  it('gives the same store when a second connection writes during the load', async () => {
    const path = freshPath();
    const chain = syntheticChain('bulk', 2_000, 500);
    const first = await openStore(`sqlite:${path}`);
    await first.writeTransactions(chain.slice(0, 800));
    const second = await openStore(`sqlite:${path}`);
    try {
      await second.writeTransactions(chain.slice(600, 1_400));
      await first.writeTransactions(chain.slice(1_200));
      const reference = await openStore(`sqlite:${freshPath()}`);
      try {
        await reference.writeTransactions(chain.slice(0, 500));
        await reference.writeTransactions(chain.slice(500));
        const expected = await answers(reference, chain);
        expect(await answers(first, chain)).toEqual(expected);
        expect(await answers(second, chain)).toEqual(expected);
      } finally {
        await reference.close();
      }
    } finally {
      await second.close();
      await first.close();
    }
  });
});
