import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { bip34Height, merkleRootWithMutation, parseBlock, toError, toHex, type Hasher, type Network } from '@chaintrail/core';
import { INDEX_DDL, INDEX_SCHEMA_VERSION, POSITION_BITS } from './block-index-schema.js';
import { listBlockFiles, readBlockRecords, type BlockFile, type BlockFraming } from './block-file-reader.js';
import { arrangeChain, type ChainNode } from './header-chain.js';
import { addressKey } from './address-key.js';
import { LruMap } from './lru-map.js';

/** What indexing found; kept with the index and shown to the investigator. */
export interface BlockIndexReport {
  readonly files: number;
  readonly blocks: number;
  readonly transactions: number;
  readonly fragments: number;
  readonly staleBlocks: number;
  readonly blocksWithoutHeight: number;
  readonly heightConflicts: number;
  readonly duplicateBlocks: number;
  /** Stretches of files that held no readable block. */
  readonly skipped: { readonly count: number; readonly examples: readonly { file: string; offset: number; reason: string }[] };
  /** Inputs of best-chain transactions whose spent output is in no indexed block. */
  readonly unresolvedPrevouts: { readonly count: number; readonly examples: readonly { txid: string; vin: number; prevout: string }[] };
  /** What this opening read: files (or the grown ends of files) indexed, and whether the index was rebuilt. */
  readonly refresh: { readonly filesRead: number; readonly bytesRead: number; readonly rebuilt: boolean };
}

export interface BlockIndexOptions {
  /** The SQLite file. */
  readonly indexPath: string;
  readonly network: Network;
  readonly hasher: Hasher;
  /** Called now and then while indexing. */
  readonly onProgress?: (progress: { file: string; blocks: number; transactions: number }) => void;
}

export interface IndexedBlock {
  readonly id: number;
  readonly hash: string;
  readonly fileId: number;
  readonly offset: number;
  readonly time: number;
  readonly height: number | null;
  readonly ordinal: number | null;
}

export interface IndexedTx {
  readonly id: number;
  readonly txid: string;
  readonly position: number;
  /** Bytes into the block. */
  readonly offset: number;
  readonly length: number;
  readonly block: IndexedBlock;
}

interface BlockRow {
  id: number;
  hash: Buffer;
  file_id: number;
  offset: number;
  time: number;
  height: number | null;
  ordinal: number | null;
}

interface TxRow {
  id: number;
  position: number;
  offset: number;
  length: number;
  block_id: number;
}

/** Block rows read lately: a block's many transactions share one. */
const BLOCK_CACHE = 8192;

const BLOCKS_PER_COMMIT = 200;
const EXAMPLES = 10;

/**
 * The index behind the block-file source: built by streaming every block once (memory holds
 * one block and bounded caches), refreshed when files are added or a `blk*.dat` grows, and
 * rebuilt from scratch when a file changed in any other way. See `block-index-schema.ts`.
 */
export class BlockIndex {
  readonly files: readonly (BlockFile & { readonly id: number })[];
  readonly xorKey: Uint8Array | null;
  readonly report: BlockIndexReport;
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareQueries>;
  readonly #blocks = new LruMap<number, IndexedBlock>(BLOCK_CACHE);

  private constructor(db: Database.Database, files: readonly (BlockFile & { id: number })[], xorKey: Uint8Array | null, report: BlockIndexReport) {
    this.#db = db;
    this.files = files;
    this.xorKey = xorKey;
    this.report = report;
    this.#statements = prepareQueries(db);
  }

  /** Opens the index of the blocks at `path` (a directory or one file), indexing what is new. */
  static async open(path: string, options: BlockIndexOptions): Promise<BlockIndex> {
    const { files, xorKey } = listBlockFiles(path);
    mkdirSync(dirname(options.indexPath), { recursive: true });
    let db = openDatabase(options.indexPath);
    let plan = planRefresh(db, files, xorKey, options.network);
    const rebuilt = plan.rebuild;
    if (plan.rebuild) {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(options.indexPath + suffix, { force: true });
      db = openDatabase(options.indexPath);
      plan = planRefresh(db, files, xorKey, options.network);
    }
    try {
      if (plan.work.length > 0 || meta(db, 'state') !== 'ready') {
        setMeta(db, 'state', 'building');
        setMeta(db, 'schema', INDEX_SCHEMA_VERSION);
        setMeta(db, 'network', options.network);
        setMeta(db, 'xor', xorKey ? toHex(xorKey) : '');
        const builder = new IndexBuilder(db, xorKey, options);
        for (const item of plan.work) await builder.indexFile(item.file, item.id, item.from);
        builder.resolvePending();
        const chain = placeBlocks(db);
        rebuildHistory(db);
        const duplicates = Number(meta(db, 'duplicates') ?? 0) + builder.duplicateBlocks;
        setMeta(db, 'duplicates', String(duplicates));
        setMeta(db, 'report', JSON.stringify(summarise(db, duplicates, chain)));
        setMeta(db, 'state', 'ready');
      }
      const fileRows = db.prepare('SELECT id, path, framing, xor FROM files').all() as { id: number; path: string; framing: BlockFraming; xor: number }[];
      const indexed = fileRows.map((r) => ({ id: r.id, path: r.path, framing: r.framing, xor: r.xor === 1 }));
      const stored = JSON.parse(meta(db, 'report') ?? '{}') as Omit<BlockIndexReport, 'refresh'>;
      const bytesRead = plan.work.reduce((sum, item) => sum + statSync(item.file.path).size - item.from, 0);
      return new BlockIndex(db, indexed, xorKey, { ...stored, refresh: { filesRead: plan.work.length, bytesRead, rebuilt } });
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** The transaction with `txid`, preferring its copy on the best chain (the earliest, for a txid repeated there). */
  findTx(txid: string): IndexedTx | null {
    const rows = this.#statements.findTx.all(Buffer.from(txid, 'hex')) as TxRow[];
    let best: IndexedTx | null = null;
    for (const row of rows) {
      const tx = this.#txFromRow(txid, row);
      const ordinal = tx.block.ordinal;
      if (best === null || (ordinal !== null && (best.block.ordinal === null || ordinal < best.block.ordinal))) best = tx;
    }
    return best;
  }

  #txFromRow(txid: string, row: TxRow): IndexedTx {
    return { id: row.id, txid, position: row.position, offset: row.offset, length: row.length, block: this.#blockById(row.block_id) };
  }

  #blockById(id: number): IndexedBlock {
    let block = this.#blocks.get(id);
    if (block === undefined) {
      block = blockFromRow(this.#statements.blockById.get(id) as BlockRow);
      this.#blocks.set(id, block);
    }
    return block;
  }

  /** Txids of a block, in block order. */
  blockTxids(blockId: number): string[] {
    return (this.#statements.blockTxids.all(blockId) as Buffer[]).map((b) => b.toString('hex'));
  }

  blockByHash(hash: string): IndexedBlock | null {
    const row = this.#statements.blockByHash.get(Buffer.from(hash, 'hex')) as BlockRow | undefined;
    return row ? blockFromRow(row) : null;
  }

  blockByHeight(height: number): IndexedBlock | null {
    const row = this.#statements.blockByHeight.get(height) as BlockRow | undefined;
    return row ? blockFromRow(row) : null;
  }

  tip(): IndexedBlock | null {
    const row = this.#statements.tip.get() as BlockRow | undefined;
    return row ? blockFromRow(row) : null;
  }

  /**
   * Up to `limit` best-chain transactions of `address`, newest first, older than the
   * `afterTxid` entry; `undefined` when `afterTxid` is not in the address's history. Two
   * addresses may share a key (see `address-key.ts`): callers keep only transactions that
   * touch the address.
   */
  history(address: string, afterTxid: string | undefined, limit: number): IndexedTx[] | undefined {
    const key = addressKey(address);
    let before = Number.MAX_SAFE_INTEGER;
    if (afterTxid !== undefined) {
      const cursor = this.#statements.cursorSeq.get(key, Buffer.from(afterTxid, 'hex')) as { seq: number } | undefined;
      if (!cursor) return undefined;
      before = cursor.seq;
    }
    const rows = this.#statements.history.all(key, before, limit) as (TxRow & { txid: Buffer })[];
    return rows.map((row) => this.#txFromRow(row.txid.toString('hex'), row));
  }

  /**
   * The best-chain input spending each outpoint, in the order asked, null where no indexed
   * best-chain transaction spends it. One query for the whole list.
   */
  spenders(outpoints: readonly { readonly txid: string; readonly vout: number }[]): ({ txid: string; vin: number } | null)[] {
    const answers: ({ txid: string; vin: number } | null)[] = outpoints.map(() => null);
    if (outpoints.length === 0) return answers;
    const rows = this.#statements.spenders.all(JSON.stringify(outpoints.map((o) => [o.txid, o.vout]))) as { i: number; txid: Buffer; vin: number }[];
    for (const row of rows) answers[row.i] ??= { txid: row.txid.toString('hex'), vin: row.vin };
    return answers;
  }
}

function prepareQueries(db: Database.Database) {
  const blockColumns = 'b.id, b.hash, b.file_id, b.offset, b.time, b.height, b.ordinal';
  return {
    // Every copy (a stale block may hold one too), chosen among in JavaScript: an ORDER BY
    // here sorts in a temporary B-tree on every call, and block rows come from a cache.
    findTx: db.prepare('SELECT id, position, offset, length, block_id FROM txs WHERE txid = ?'),
    blockById: db.prepare(`SELECT ${blockColumns} FROM blocks b WHERE b.id = ?`),
    blockTxids: db.prepare('SELECT txid FROM txs WHERE block_id = ? ORDER BY position').pluck(),
    blockByHash: db.prepare(`SELECT ${blockColumns} FROM blocks b WHERE b.hash = ?`),
    blockByHeight: db.prepare(`SELECT ${blockColumns} FROM blocks b WHERE b.height = ? AND b.ordinal IS NOT NULL ORDER BY b.ordinal LIMIT 1`),
    tip: db.prepare(`SELECT ${blockColumns} FROM blocks b WHERE b.ordinal IS NOT NULL ORDER BY b.ordinal DESC LIMIT 1`),
    cursorSeq: db.prepare('SELECT h.seq FROM address_history h JOIN txs t ON t.id = h.tx_id WHERE h.address_key = ? AND t.txid = ? LIMIT 1'),
    history: db.prepare(
      'SELECT t.id, t.txid, t.position, t.offset, t.length, t.block_id FROM address_history h JOIN txs t ON t.id = h.tx_id WHERE h.address_key = ? AND h.seq < ? ORDER BY h.seq DESC LIMIT ?',
    ),
    // The outpoints arrive as one JSON array of [txid, vout] pairs; every copy of the parent
    // (a transaction may sit in a stale block too) is searched, and only best-chain spenders kept.
    spenders: db.prepare(
      `SELECT CAST(j.key AS INTEGER) AS i, t.txid, s.vin
       FROM json_each(?) j
       JOIN txs p ON p.txid = unhex(j.value ->> 0)
       JOIN spends s ON s.prev_tx_id = p.id AND s.prev_vout = j.value ->> 1
       JOIN txs t ON t.id = s.tx_id
       JOIN blocks b ON b.id = t.block_id
       WHERE b.ordinal IS NOT NULL
       ORDER BY i, b.ordinal`,
    ),
  };
}

function blockFromRow(row: BlockRow): IndexedBlock {
  return { id: row.id, hash: row.hash.toString('hex'), fileId: row.file_id, offset: row.offset, time: row.time, height: row.height, ordinal: row.ordinal };
}


function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  // A second process opening the same index waits for the first to finish writing.
  db.pragma('busy_timeout = 60000');
  db.exec(INDEX_DDL);
  return db;
}

function meta(db: Database.Database, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? undefined;
}

function setMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * What to (re)index. New files and grown `blk*.dat` files (Core appends to the last one) are
 * indexed from where reading stopped; a file that shrank, changed otherwise or disappeared,
 * a different XOR key, network or schema, or an interrupted build means a rebuild.
 */
function planRefresh(
  db: Database.Database,
  files: readonly BlockFile[],
  xorKey: Uint8Array | null,
  network: Network,
): { rebuild: boolean; work: { file: BlockFile; id: number; from: number }[] } {
  const rows = new Map((db.prepare('SELECT id, path, framing, size, mtime_ms, indexed_to FROM files').all() as FileRow[]).map((r) => [r.path, r]));
  const known = meta(db, 'schema');
  if (known !== undefined) {
    const stale = known !== INDEX_SCHEMA_VERSION || meta(db, 'network') !== network || meta(db, 'xor') !== (xorKey ? toHex(xorKey) : '') || meta(db, 'state') !== 'ready';
    if (stale) return { rebuild: true, work: [] };
  }
  const present = new Set(files.map((f) => f.path));
  for (const path of rows.keys()) if (!present.has(path)) return { rebuild: true, work: [] };
  const work: { file: BlockFile; id: number; from: number }[] = [];
  const upsert = db.prepare(
    `INSERT INTO files (path, framing, xor, size, mtime_ms, indexed_to) VALUES (?, ?, ?, 0, 0, 0)
     ON CONFLICT (path) DO UPDATE SET path = excluded.path RETURNING id`,
  );
  for (const file of files) {
    const { size, mtimeMs } = statSync(file.path);
    const row = rows.get(file.path);
    if (row) {
      if (row.size === size && row.mtime_ms === Math.floor(mtimeMs)) continue;
      if (row.framing !== file.framing || file.framing !== 'blk' || size < row.size) return { rebuild: true, work: [] };
      work.push({ file, id: row.id, from: row.indexed_to });
      continue;
    }
    const { id } = upsert.get(file.path, file.framing, file.xor ? 1 : 0) as { id: number };
    work.push({ file, id, from: 0 });
  }
  return { rebuild: false, work };
}

interface FileRow {
  id: number;
  path: string;
  framing: BlockFraming;
  size: number;
  mtime_ms: number;
  indexed_to: number;
}

/** Streams blocks into the index: positions, outputs' addresses, address links, pending inputs. */
class IndexBuilder {
  duplicateBlocks = 0;
  readonly #db: Database.Database;
  readonly #xorKey: Uint8Array | null;
  readonly #options: BlockIndexOptions;
  readonly #sql;
  #blocks = 0;
  #transactions = 0;

  constructor(db: Database.Database, xorKey: Uint8Array | null, options: BlockIndexOptions) {
    this.#db = db;
    this.#xorKey = xorKey;
    this.#options = options;
    this.#sql = {
      insertBlock: db.prepare(
        'INSERT INTO blocks (hash, prev, file_id, offset, length, time, bits, bip34) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING RETURNING id',
      ),
      insertTx: db.prepare('INSERT INTO txs (txid, block_id, position, offset, length) VALUES (?, ?, ?, ?, ?) RETURNING id'),
      insertOutput: db.prepare('INSERT OR IGNORE INTO outputs (tx_id, vout, address_key) VALUES (?, ?, ?)'),
      findParent: db.prepare('SELECT id FROM txs WHERE txid = ? LIMIT 1').pluck(),
      // Keys use all 64 bits: read them as BigInt, or they lose their low bits.
      outputAddress: db.prepare('SELECT address_key FROM outputs WHERE tx_id = ? AND vout = ?').pluck().safeIntegers(true),
      // Both at once, for the inputs of a block being indexed: one look-up per input, not two.
      spentOutput: db
        .prepare('SELECT p.id, o.address_key AS key FROM txs p LEFT JOIN outputs o ON o.tx_id = p.id AND o.vout = ? WHERE p.txid = ? LIMIT 1')
        .safeIntegers(true),
      linkAddress: db.prepare('INSERT OR IGNORE INTO address_txs (address_key, tx_id) VALUES (?, ?)'),
      linkSpend: db.prepare('INSERT OR IGNORE INTO spends (prev_tx_id, prev_vout, tx_id, vin) VALUES (?, ?, ?, ?)'),
      insertPending: db.prepare('INSERT INTO pending_inputs (tx_id, vin, prev_txid, prev_vout) VALUES (?, ?, ?, ?)'),
      insertSkipped: db.prepare('INSERT INTO skipped (file_id, offset, reason) VALUES (?, ?, ?)'),
      finishFile: db.prepare('UPDATE files SET size = ?, mtime_ms = ?, indexed_to = ? WHERE id = ?'),
    };
  }

  async indexFile(file: BlockFile, fileId: number, from: number): Promise<void> {
    const { size, mtimeMs } = statSync(file.path);
    // A record reported incomplete last time is read again now.
    this.#db.prepare('DELETE FROM skipped WHERE file_id = ? AND offset >= ?').run(fileId, from);
    const records = readBlockRecords(file, this.#xorKey, from);
    let inBatch = 0;
    this.#db.exec('BEGIN');
    try {
      for (let next = records.next(); ; next = records.next()) {
        if (next.done) {
          this.#sql.finishFile.run(size, Math.floor(mtimeMs), next.value, fileId);
          break;
        }
        const record = next.value;
        if (record.kind === 'skipped') {
          this.#sql.insertSkipped.run(fileId, record.offset, record.reason);
          continue;
        }
        this.#indexBlock(fileId, record.offset, record.bytes);
        if (++inBatch >= BLOCKS_PER_COMMIT) {
          this.#db.exec('COMMIT');
          this.#options.onProgress?.({ file: file.path, blocks: this.#blocks, transactions: this.#transactions });
          await yieldToEventLoop();
          this.#db.exec('BEGIN');
          inBatch = 0;
        }
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #indexBlock(fileId: number, offset: number, bytes: Uint8Array): void {
    let block;
    try {
      block = parseBlock(bytes, { network: this.#options.network, hasher: this.#options.hasher });
      const { root, mutated } = merkleRootWithMutation(
        block.transactions.map((t) => t.txid),
        { hasher: this.#options.hasher },
      );
      if (mutated || root !== block.header.merkleRoot) throw new Error(`its transactions do not match the header's merkle root ${block.header.merkleRoot}`);
    } catch (error) {
      this.#sql.insertSkipped.run(fileId, offset, `unreadable block: ${toError(error).message}`);
      return;
    }
    const { header, transactions } = block;
    const coinbase = transactions[0];
    const inserted = this.#sql.insertBlock.get(
      Buffer.from(header.hash, 'hex'),
      Buffer.from(header.prevHash, 'hex'),
      fileId,
      offset,
      bytes.length,
      header.time,
      header.bits,
      coinbase ? bip34Height(header.version, coinbase) : null,
    ) as { id: number } | undefined;
    if (!inserted) {
      this.duplicateBlocks++;
      return;
    }
    this.#blocks++;
    const count = transactions.length;
    let txOffset = 80 + (count < 0xfd ? 1 : count <= 0xffff ? 3 : 5);
    transactions.forEach((tx, position) => {
      const txId = (this.#sql.insertTx.get(Buffer.from(tx.txid, 'hex'), inserted.id, position, txOffset, tx.size) as { id: number }).id;
      txOffset += tx.size;
      this.#transactions++;
      const touched = new Set<bigint>();
      tx.outputs.forEach((output, vout) => {
        if (output.address === null) return;
        const key = addressKey(output.address);
        this.#sql.insertOutput.run(txId, vout, key);
        touched.add(key);
      });
      if (!tx.isCoinbase) {
        tx.inputs.forEach((input, vin) => {
          const prevTxid = Buffer.from(input.prevout.txid, 'hex');
          const parent = this.#sql.spentOutput.get(input.prevout.vout, prevTxid) as { id: bigint; key: bigint | null } | undefined;
          if (parent === undefined) {
            this.#sql.insertPending.run(txId, vin, prevTxid, input.prevout.vout);
            return;
          }
          this.#sql.linkSpend.run(parent.id, input.prevout.vout, txId, vin);
          if (parent.key !== null) touched.add(parent.key);
        });
      }
      for (const key of touched) this.#sql.linkAddress.run(key, txId);
    });
  }

  /** Links inputs whose parent was indexed after them (blk files are not in chain order). */
  resolvePending(): void {
    const batch = this.#db.prepare('SELECT rowid, tx_id, vin, prev_txid, prev_vout FROM pending_inputs WHERE rowid > ? ORDER BY rowid LIMIT 10000');
    const remove = this.#db.prepare('DELETE FROM pending_inputs WHERE rowid = ?');
    let after = 0;
    const resolve = this.#db.transaction((rows: PendingRow[]) => {
      for (const row of rows) {
        const parent = this.#sql.findParent.get(row.prev_txid) as number | undefined;
        if (parent === undefined) continue;
        this.#sql.linkSpend.run(parent, row.prev_vout, row.tx_id, row.vin);
        const key = this.#sql.outputAddress.get(parent, row.prev_vout) as bigint | undefined;
        if (key !== undefined) this.#sql.linkAddress.run(key, row.tx_id);
        remove.run(row.rowid);
      }
    });
    for (;;) {
      const rows = batch.all(after) as PendingRow[];
      if (rows.length === 0) break;
      resolve(rows);
      after = (rows.at(-1) as { rowid: number }).rowid;
    }
  }

}

interface PendingRow {
  rowid: number;
  tx_id: number;
  vin: number;
  prev_txid: Buffer;
  prev_vout: number;
}

/** Heights and chain order of every block, from the header links (see `header-chain.ts`). */
function placeBlocks(db: Database.Database): ReturnType<typeof arrangeChain> {
  const rows = db.prepare('SELECT id, hash, prev, bits, time, bip34 FROM blocks ORDER BY id').all() as {
    id: number;
    hash: Buffer;
    prev: Buffer;
    bits: number;
    time: number;
    bip34: number | null;
  }[];
  const nodes: ChainNode[] = rows.map((r) => ({ id: r.id, hash: r.hash.toString('hex'), prevHash: r.prev.toString('hex'), bits: r.bits, time: r.time, bip34: r.bip34 }));
  const chain = arrangeChain(nodes);
  const update = db.prepare('UPDATE blocks SET height = ?, ordinal = ? WHERE id = ?');
  db.transaction(() => {
    for (const [id, place] of chain.places) update.run(place.height, place.ordinal, id);
  })();
  return chain;
}

function rebuildHistory(db: Database.Database): void {
  db.transaction(() => {
    db.exec('DELETE FROM address_history');
    db.prepare(
      `INSERT INTO address_history (address_key, seq, tx_id)
       SELECT a.address_key, b.ordinal * ${POSITION_BITS} + t.position, t.id
       FROM address_txs a JOIN txs t ON t.id = a.tx_id JOIN blocks b ON b.id = t.block_id
       WHERE b.ordinal IS NOT NULL`,
    ).run();
  })();
}

function summarise(db: Database.Database, duplicateBlocks: number, chain: ReturnType<typeof arrangeChain>): Omit<BlockIndexReport, 'refresh'> {
  const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
  const skippedRows = db
    .prepare(`SELECT f.path AS file, s.offset, s.reason FROM skipped s JOIN files f ON f.id = s.file_id ORDER BY s.rowid LIMIT ${EXAMPLES}`)
    .all() as { file: string; offset: number; reason: string }[];
  const unresolvedWhere = 'FROM pending_inputs p JOIN txs t ON t.id = p.tx_id JOIN blocks b ON b.id = t.block_id WHERE b.ordinal IS NOT NULL';
  const unresolvedRows = db.prepare(`SELECT t.txid, p.vin, p.prev_txid, p.prev_vout ${unresolvedWhere} ORDER BY p.rowid LIMIT ${EXAMPLES}`).all() as {
    txid: Buffer;
    vin: number;
    prev_txid: Buffer;
    prev_vout: number;
  }[];
  return {
    files: count('SELECT COUNT(*) FROM files'),
    blocks: count('SELECT COUNT(*) FROM blocks'),
    transactions: count('SELECT COUNT(*) FROM txs'),
    fragments: chain.fragments,
    staleBlocks: chain.staleBlocks,
    blocksWithoutHeight: chain.blocksWithoutHeight,
    heightConflicts: chain.heightConflicts,
    duplicateBlocks,
    skipped: { count: count('SELECT COUNT(*) FROM skipped'), examples: skippedRows },
    unresolvedPrevouts: {
      count: count(`SELECT COUNT(*) ${unresolvedWhere}`),
      examples: unresolvedRows.map((r) => ({ txid: r.txid.toString('hex'), vin: r.vin, prevout: `${r.prev_txid.toString('hex')}:${r.prev_vout}` })),
    },
  };
}
