/**
 * Writes a batch of transactions into the SQLite store. Runs inside the caller's
 * transaction, so a batch is stored whole or not at all. Idempotent: transactions already
 * stored are skipped (only a new block placement is recorded).
 *
 * Speed comes from doing per-batch what would otherwise be per-row: one multi-row
 * statement per table and chunk, lookups with `IN (...)` lists, keys sorted so the B-tree
 * pages they touch are visited in order, and ids remembered between batches (./id-cache.ts)
 * so a bulk load asks SQLite only about what it has not seen. An output spent inside its
 * own batch (most are: chain order puts children soon after their parents) is written
 * with its spender at once instead of being updated afterwards.
 */
import type Database from 'better-sqlite3';
import type { TxPlacement } from '@chaintrail/core';
import type { TxWrite } from '../graph-store.js';
import { BadQueryError } from '../errors.js';
import { decodeRawHex, normaliseTxid } from '../query-validation.js';
import { ChunkedLookup, ChunkedValues } from './chunked-statements.js';
import { IdCache } from './id-cache.js';
import { scriptTypeCode } from './script-type-codes.js';
import { ioSpan, txKey } from './tx-key.js';

/**
 * Ids remembered per cache (about 150 bytes each with the key): about 75 MB per cache at
 * most, so that a million-seed ingest stays inside a small fixed heap (bench/ingest runs it
 * under a 256 MB cap). Past it a cache starts over and lookups go to SQLite again.
 */
const maxCachedIds = 500_000;

interface ExistingTx {
  id: number;
  txid: Buffer;
  block_hash: Buffer | null;
  height: number | null;
  time: number | null;
  position: number | null;
}

type AddressIds = Pick<ReadonlyMap<string, number>, 'get'>;

interface CheckedWrite {
  readonly txid: string;
  /** txKey(txid). */
  readonly key: number;
  readonly tx: TxWrite['tx'];
  readonly placement: TxWrite['placement'];
  readonly bytes: Buffer;
}

export class TxBatchWriter {
  private readonly existingTxs: ChunkedLookup<ExistingTx>;
  private readonly existingById: ChunkedLookup<ExistingTx>;
  private readonly existingAddresses: ChunkedLookup<{ id: number; address: string }>;
  private readonly waitingChildren: ChunkedLookup<{ input_id: number; prev_txid: Buffer; prev_vout: number }>;
  private readonly insertTxs: ChunkedValues;
  private readonly insertRaw: ChunkedValues;
  private readonly insertOutputs: ChunkedValues;
  private readonly insertInputs: ChunkedValues;
  private readonly insertPending: ChunkedValues;
  private readonly insertAddresses: ChunkedValues;
  private readonly markSpent: ChunkedValues;
  private readonly linkInputs: ChunkedValues;
  private readonly dropPending: ChunkedValues;
  private readonly setPlacement: Database.Statement;
  private readonly maxTxId: Database.Statement;
  private readonly maxAddressId: Database.Statement;
  private readonly appendAddresses: ChunkedValues;
  private readonly anyPending: Database.Statement;
  private readonly dataVersion: () => number;
  private readonly txIds: IdCache;
  private readonly addressIds: IdCache;
  private seenDataVersion: number;

  constructor(db: Database.Database) {
    this.existingTxs = new ChunkedLookup(db, 'SELECT id, txid, block_hash, height, time, position FROM txs WHERE txkey IN (?)');
    this.existingById = new ChunkedLookup(db, 'SELECT id, txid, block_hash, height, time, position FROM txs WHERE id IN (?)');
    this.existingAddresses = new ChunkedLookup(db, 'SELECT id, address FROM addresses WHERE address IN (?)');
    this.waitingChildren = new ChunkedLookup(db, 'SELECT input_id, prev_txid, prev_vout FROM pending_spends WHERE prev_txid IN (?)');
    this.insertTxs = new ChunkedValues(
      db,
      'INSERT INTO txs (id, txkey, txid, version, locktime, is_coinbase, has_witness, size, weight, vsize, block_hash, height, time, position)',
      14,
    );
    this.insertRaw = new ChunkedValues(db, 'INSERT INTO tx_raw (id, raw)', 2);
    this.insertOutputs = new ChunkedValues(db, 'INSERT INTO outputs (id, value, address_id, script_type, spent_by, script)', 6);
    this.insertInputs = new ChunkedValues(db, 'INSERT INTO inputs (id, prev_txid, prev_vout, sequence, prev_output_id)', 5);
    this.insertPending = new ChunkedValues(db, 'INSERT INTO pending_spends (input_id, prev_txid, prev_vout)', 3);
    this.insertAddresses = new ChunkedValues(db, 'INSERT INTO addresses (address, script_type)', 2, 'ON CONFLICT (address) DO NOTHING RETURNING id, address');
    // A conflicting spend (a double spend seen in the mempool) does not overwrite the first.
    this.markSpent = new ChunkedValues(
      db,
      'UPDATE outputs SET spent_by = v.column2 FROM (',
      2,
      ') AS v WHERE outputs.id = v.column1 AND outputs.spent_by IS NULL',
    );
    this.linkInputs = new ChunkedValues(db, 'UPDATE inputs SET prev_output_id = v.column2 FROM (', 2, ') AS v WHERE inputs.id = v.column1');
    this.dropPending = new ChunkedValues(db, 'DELETE FROM pending_spends WHERE input_id IN (SELECT column1 FROM (', 1, '))');
    this.setPlacement = db.prepare('UPDATE txs SET block_hash = ?, height = ?, time = ?, position = ? WHERE id = ?');
    this.maxTxId = db.prepare('SELECT coalesce(max(id), 0) FROM txs').pluck();
    this.maxAddressId = db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck();
    this.appendAddresses = new ChunkedValues(db, 'INSERT INTO addresses (id, address, script_type)', 3);
    this.anyPending = db.prepare('SELECT EXISTS (SELECT 1 FROM pending_spends)').pluck();
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.dataVersion = () => dataVersion.get() as number;
    this.seenDataVersion = this.dataVersion();
    // Complete from the start only on an empty store.
    this.txIds = new IdCache(maxCachedIds);
    if (this.storeEmpty()) this.txIds.markComplete();
    // Clustering adds addresses too, so the address cache is complete only during a bulk load.
    this.addressIds = new IdCache(maxCachedIds);
  }

  /** Stores the batch; returns how many transactions were new. Call committed() or rolledBack() once the transaction ends. */
  write(batch: readonly TxWrite[]): number {
    try {
      return this.writeBatch(batch);
    } catch (error) {
      // The transaction rolls back; rows still buffered must not leak into the next batch.
      for (const statement of this.buffered) statement.discard();
      throw error;
    }
  }

  committed(): void {
    this.txIds.committed();
    this.addressIds.committed();
  }

  rolledBack(): void {
    this.txIds.rolledBack();
    this.addressIds.rolledBack();
  }

  private get buffered(): ChunkedValues[] {
    return [this.appendAddresses, this.insertTxs, this.insertRaw, this.insertOutputs, this.insertInputs, this.insertPending, this.insertAddresses, this.markSpent, this.linkInputs, this.dropPending];
  }

  /**
   * True while this connection has written every stored transaction itself, starting from
   * an empty store (so the tx id cache answers every lookup and txs_by_key is not needed).
   */
  writesAlone(): boolean {
    const version = this.dataVersion();
    if (version !== this.seenDataVersion) {
      // Another connection committed: what it wrote is not in the caches.
      this.txIds.markIncomplete();
      this.addressIds.markIncomplete();
      this.seenDataVersion = version;
    }
    return this.txIds.complete;
  }

  /** A bulk load may go on: both caches still hold every stored row (none evicted, no other writer). */
  bulkLoadCanContinue(): boolean {
    return this.writesAlone() && this.addressIds.complete;
  }

  /** No transaction stored yet. */
  storeEmpty(): boolean {
    return (this.maxTxId.get() as number) === 0;
  }

  /**
   * Starts a bulk load (./deferred-indexes.ts) when this connection alone wrote the store's
   * transactions and it holds no address either: from then on both caches answer every
   * lookup, and new addresses are appended without probing the address index (which is
   * dropped until the load ends). Returns whether it started.
   */
  startBulkLoad(): boolean {
    if (!this.writesAlone() || !this.storeEmpty() || (this.maxAddressId.get() as number) !== 0) return false;
    this.addressIds.markComplete();
    return true;
  }

  /** Other writes (clustering) may add addresses from now on. */
  endBulkLoad(): void {
    this.addressIds.markIncomplete();
  }

  private writeBatch(batch: readonly TxWrite[]): number {
    this.writesAlone();
    const unique = this.checkedUnique(batch);
    this.skipStored(unique);
    if (unique.size === 0) return 0;

    // Ids in txkey order, so the txkey index takes its new entries in key order.
    const items = [...unique.values()].sort((a, b) => a.key - b.key || compareText(a.txid, b.txid));
    const firstId = (this.maxTxId.get() as number) + 1;
    for (let i = 0; i < items.length; i++) this.txIds.add(items[i]!.txid, firstId + i);
    const addressIds = this.internAddresses(items);
    const waiting = (this.anyPending.get() as number) === 1 ? this.waitingChildren.all(items.map((item) => Buffer.from(item.txid, 'hex'))) : [];

    // spenders[i][vout]: the input of this batch (or a waiting child) spending that output.
    const spenders: (number[] | undefined)[] = new Array<number[] | undefined>(items.length);
    this.linkSpends(items, firstId, spenders);
    if (waiting.length > 0) this.resolveWaiting(waiting, firstId, spenders);

    for (let i = 0; i < items.length; i++) {
      const { txid, key, tx, placement, bytes } = items[i]!;
      const id = firstId + i;
      this.insertTxs.add(
        id,
        key,
        Buffer.from(txid, 'hex'),
        tx.version,
        tx.locktime,
        tx.isCoinbase ? 1 : 0,
        tx.hasWitness ? 1 : 0,
        tx.size,
        tx.weight,
        tx.vsize,
        placement ? Buffer.from(placement.blockHash, 'hex') : null,
        placement?.blockHeight ?? null,
        placement?.blockTime ?? null,
        placement?.position ?? null,
      );
      this.insertRaw.add(id, bytes);
      const base = id * ioSpan;
      const spentBy = spenders[i];
      for (let vout = 0; vout < tx.outputs.length; vout++) {
        const output = tx.outputs[vout]!;
        this.insertOutputs.add(
          base + vout,
          output.value,
          output.address === null ? null : addressIds.get(output.address),
          scriptTypeCode(output.scriptType),
          spentBy?.[vout] ?? null,
          Buffer.from(output.scriptPubKey, 'hex'),
        );
      }
    }
    this.insertTxs.flush();
    this.insertRaw.flush();
    this.insertOutputs.flush();
    this.insertInputs.flush();
    this.insertPending.flush();
    // Outputs of earlier batches, spent by this one: after the inserts, so the statements run in table order.
    this.markSpent.flush();
    this.linkInputs.flush();
    this.dropPending.flush();
    return unique.size;
  }

  private checkedUnique(batch: readonly TxWrite[]): Map<string, CheckedWrite> {
    const unique = new Map<string, CheckedWrite>();
    for (const item of batch) {
      const txid = normaliseTxid(item.tx.txid);
      const bytes = decodeRawHex(txid, item.raw);
      if (item.tx.inputs.length >= ioSpan || item.tx.outputs.length >= ioSpan) {
        throw new BadQueryError(`transaction ${txid}`, `more than ${ioSpan - 1} inputs or outputs cannot be a valid Bitcoin transaction`);
      }
      const seen = unique.get(txid);
      if (!seen || (!seen.placement && item.placement)) unique.set(txid, { txid, key: txKey(txid), tx: item.tx, placement: item.placement, bytes });
    }
    return unique;
  }

  /**
   * Drops already stored transactions from `unique`, recording a new block placement if one
   * came. Only txids the cache cannot answer for, and stored ones arriving with a placement
   * (it may be new), are looked up.
   */
  private skipStored(unique: Map<string, CheckedWrite>): void {
    const byKey = new Set<number>();
    const byId: number[] = [];
    for (const [txid, item] of unique) {
      const cached = this.txIds.get(txid);
      if (cached === undefined) {
        if (!this.txIds.complete) byKey.add(item.key);
      } else if (item.placement !== undefined) {
        byId.push(cached);
      } else {
        unique.delete(txid);
      }
    }
    // By row id when the id is known: during a bulk load txs_by_key does not exist.
    const rows = [...this.existingById.all(byId.sort((a, b) => a - b)), ...this.existingTxs.all([...byKey].sort((a, b) => a - b))];
    for (const row of rows) {
      const txid = row.txid.toString('hex');
      const item = unique.get(txid);
      if (!item) continue; // another txid with the same key
      unique.delete(txid);
      this.txIds.remember(txid, row.id);
      if (item.placement && !samePlacement(row, item.placement)) {
        const p = item.placement;
        this.setPlacement.run(Buffer.from(p.blockHash, 'hex'), p.blockHeight, p.blockTime, p.position, row.id);
      }
    }
  }

  /** Address ids of the batch's outputs: remembered, newly inserted, or looked up. */
  private internAddresses(items: readonly CheckedWrite[]): AddressIds {
    if (this.addressIds.complete) return this.appendNewAddresses(items);
    const ids = new Map<string, number>();
    const rows: unknown[] = [];
    for (const { tx } of items) {
      for (const output of tx.outputs) {
        const address = output.address;
        if (address === null || ids.has(address)) continue;
        const cached = this.addressIds.get(address);
        ids.set(address, cached ?? -1);
        if (cached === undefined) rows.push(address, scriptTypeCode(output.scriptType));
      }
    }
    if (rows.length === 0) return ids;
    // Insert first and look up only what was there already: for new addresses the unique
    // index is probed once instead of twice.
    const inserted = this.insertAddresses.all<{ id: number; address: string }>(rows);
    for (const row of inserted) {
      ids.set(row.address, row.id);
      this.addressIds.add(row.address, row.id);
    }
    if (inserted.length * 2 === rows.length) return ids;
    const known: string[] = [];
    for (let i = 0; i < rows.length; i += 2) if (ids.get(rows[i] as string) === -1) known.push(rows[i] as string);
    for (const row of this.existingAddresses.all(known)) {
      ids.set(row.address, row.id);
      this.addressIds.remember(row.address, row.id);
    }
    return ids;
  }

  /** During a bulk load every stored address is in the cache: the others are new, appended with the next ids. */
  private appendNewAddresses(items: readonly CheckedWrite[]): AddressIds {
    let next = (this.maxAddressId.get() as number) + 1;
    for (const { tx } of items) {
      for (const output of tx.outputs) {
        const address = output.address;
        if (address === null || this.addressIds.get(address) !== undefined) continue;
        this.addressIds.add(address, next);
        this.appendAddresses.add(next++, address, scriptTypeCode(output.scriptType));
      }
    }
    this.appendAddresses.flush();
    return this.addressIds;
  }

  /**
   * Buffers the inputs, each linked to the output it spends when that output's tx is
   * stored or in this batch; the others wait in pending_spends. An output of this batch
   * spent within it gets its spender in `spenders` (the first spend in batch order wins);
   * outputs of earlier batches are marked spent by an update.
   */
  private linkSpends(items: readonly CheckedWrite[], firstId: number, spenders: (number[] | undefined)[]): void {
    if (!this.txIds.complete) {
      // Parents the cache does not know, looked up in one pass (this batch's are cached already).
      const outside = new Set<string>();
      for (const { tx } of items) {
        if (tx.isCoinbase) continue;
        for (const input of tx.inputs) {
          const prevTxid = input.prevout.txid.toLowerCase();
          if (this.txIds.get(prevTxid) === undefined) outside.add(prevTxid);
        }
      }
      if (outside.size > 0) {
        for (const row of this.existingTxs.all([...new Set([...outside].map(txKey))].sort((a, b) => a - b))) {
          const txid = row.txid.toString('hex');
          if (outside.has(txid)) this.txIds.remember(txid, row.id);
        }
      }
    }
    for (let i = 0; i < items.length; i++) {
      const { tx } = items[i]!;
      const base = (firstId + i) * ioSpan;
      for (let vin = 0; vin < tx.inputs.length; vin++) {
        const { prevout, sequence } = tx.inputs[vin]!;
        const inputId = base + vin;
        if (tx.isCoinbase) {
          this.insertInputs.add(inputId, null, prevout.vout, sequence, null);
          continue;
        }
        const prevTxid = prevout.txid.toLowerCase();
        const parentId = this.txIds.get(prevTxid);
        // An index past any possible output can never resolve, and must not spill into the next tx's id range.
        if (parentId !== undefined && prevout.vout < ioSpan) {
          const outputId = parentId * ioSpan + prevout.vout;
          // The parent's txid is found through the output id; only unlinked inputs keep it.
          this.insertInputs.add(inputId, null, prevout.vout, sequence, outputId);
          if (parentId < firstId) this.markSpent.add(outputId, inputId);
          else claim(spenders, parentId - firstId, prevout.vout, inputId);
          continue;
        }
        const prevTxidBytes = Buffer.from(prevTxid, 'hex');
        this.insertInputs.add(inputId, prevTxidBytes, prevout.vout, sequence, null);
        if (prevout.vout < ioSpan) this.insertPending.add(inputId, prevTxidBytes, prevout.vout);
      }
    }
  }

  /**
   * Children stored by earlier batches that were waiting for one of these parents: their
   * outputs are written spent (unless spent within the batch already), the inputs linked.
   */
  private resolveWaiting(
    waiting: readonly { input_id: number; prev_txid: Buffer; prev_vout: number }[],
    firstId: number,
    spenders: (number[] | undefined)[],
  ): void {
    for (const child of waiting) {
      const parentId = this.txIds.get(child.prev_txid.toString('hex'));
      if (parentId === undefined || parentId < firstId) continue;
      claim(spenders, parentId - firstId, child.prev_vout, child.input_id);
      this.linkInputs.add(child.input_id, parentId * ioSpan + child.prev_vout);
      this.dropPending.add(child.input_id);
    }
  }
}

/** Records the first spender of output `vout` of the batch's `index`-th tx. */
function claim(spenders: (number[] | undefined)[], index: number, vout: number, inputId: number): void {
  const outputs = (spenders[index] ??= []);
  outputs[vout] ??= inputId;
}

/** Code-unit order; quicker than sort()'s default, which converts every element to a string first. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function samePlacement(row: ExistingTx, placement: TxPlacement): boolean {
  return (
    row.block_hash !== null &&
    row.block_hash.toString('hex') === placement.blockHash.toLowerCase() &&
    row.height === placement.blockHeight &&
    row.time === placement.blockTime &&
    row.position === placement.position
  );
}
