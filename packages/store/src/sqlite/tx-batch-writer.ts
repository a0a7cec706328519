/**
 * Writes a batch of transactions into the SQLite store. Runs inside the caller's
 * transaction, so a batch is stored whole or not at all. Idempotent: transactions already
 * stored are skipped (only a new block placement is recorded).
 *
 * Speed comes from doing per-batch what would otherwise be per-row: one multi-row
 * statement per table and chunk, lookups with `IN (...)` lists, and keys sorted so the
 * B-tree pages they touch are visited in order.
 */
import type Database from 'better-sqlite3';
import type { TxPlacement } from '@chaintrail/core';
import type { TxWrite } from '../graph-store.js';
import { BadQueryError } from '../errors.js';
import { decodeRawHex, normaliseTxid } from '../query-validation.js';
import { ChunkedLookup, ChunkedValues } from './chunked-statements.js';
import { scriptTypeCode } from './script-type-codes.js';
import { ioSpan, txKey } from './tx-key.js';

interface Spend {
  readonly inputId: number;
  readonly prevTxid: string;
  readonly prevVout: number;
  readonly sequence: number;
}

interface ExistingTx {
  id: number;
  txid: Buffer;
  block_hash: Buffer | null;
  height: number | null;
  time: number | null;
  position: number | null;
}

export class TxBatchWriter {
  private readonly existingTxs: ChunkedLookup<ExistingTx>;
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
  private readonly anyPending: Database.Statement;

  constructor(db: Database.Database) {
    this.existingTxs = new ChunkedLookup(db, 'SELECT id, txid, block_hash, height, time, position FROM txs WHERE txkey IN (?)');
    this.existingAddresses = new ChunkedLookup(db, 'SELECT id, address FROM addresses WHERE address IN (?)');
    this.waitingChildren = new ChunkedLookup(db, 'SELECT input_id, prev_txid, prev_vout FROM pending_spends WHERE prev_txid IN (?)');
    this.insertTxs = new ChunkedValues(
      db,
      'INSERT INTO txs (id, txkey, txid, version, locktime, is_coinbase, has_witness, size, weight, vsize, block_hash, height, time, position)',
      14,
    );
    this.insertRaw = new ChunkedValues(db, 'INSERT INTO tx_raw (id, raw)', 2);
    this.insertOutputs = new ChunkedValues(db, 'INSERT INTO outputs (id, value, address_id, script_type, script)', 5);
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
    this.anyPending = db.prepare('SELECT EXISTS (SELECT 1 FROM pending_spends)').pluck();
  }

  /** Stores the batch; returns how many transactions were new. */
  write(batch: readonly TxWrite[]): number {
    try {
      return this.writeBatch(batch);
    } catch (error) {
      // The transaction rolls back; rows still buffered must not leak into the next batch.
      for (const statement of this.buffered) statement.discard();
      throw error;
    }
  }

  private get buffered(): ChunkedValues[] {
    return [this.insertTxs, this.insertRaw, this.insertOutputs, this.insertInputs, this.insertPending, this.insertAddresses, this.markSpent, this.linkInputs, this.dropPending];
  }

  private writeBatch(batch: readonly TxWrite[]): number {
    const unique = this.checkedUnique(batch);
    this.skipStored(unique);
    if (unique.size === 0) return 0;

    // Ids in txid order, so the txkey index takes its new entries in key order.
    const txids = [...unique.keys()].sort(compareText);
    const txIds = new Map<string, number>();
    let nextTxId = (this.maxTxId.get() as number) + 1;
    for (const txid of txids) txIds.set(txid, nextTxId++);
    const addressIds = this.internAddresses(unique.values());
    const waiting = (this.anyPending.get() as number) === 1 ? this.waitingChildren.all(txids.map((txid) => Buffer.from(txid, 'hex'))) : [];

    const spends: Spend[] = [];
    for (const txid of txids) {
      const { tx, placement, bytes } = unique.get(txid)!;
      const id = txIds.get(txid)!;
      this.insertTxs.add(
        id,
        txKey(txid),
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
      for (let vout = 0; vout < tx.outputs.length; vout++) {
        const output = tx.outputs[vout]!;
        this.insertOutputs.add(
          base + vout,
          output.value,
          output.address === null ? null : addressIds.get(output.address),
          scriptTypeCode(output.scriptType),
          Buffer.from(output.scriptPubKey, 'hex'),
        );
      }
      for (let vin = 0; vin < tx.inputs.length; vin++) {
        const input = tx.inputs[vin]!;
        if (tx.isCoinbase) this.insertInputs.add(base + vin, null, input.prevout.vout, input.sequence, null);
        else spends.push({ inputId: base + vin, prevTxid: input.prevout.txid.toLowerCase(), prevVout: input.prevout.vout, sequence: input.sequence });
      }
    }
    this.insertTxs.flush();
    this.insertRaw.flush();
    this.insertOutputs.flush();
    this.linkSpends(spends, txIds);
    if (waiting.length > 0) this.resolveWaiting(waiting, txIds);
    return unique.size;
  }

  private checkedUnique(batch: readonly TxWrite[]): Map<string, TxWrite & { bytes: Buffer }> {
    const unique = new Map<string, TxWrite & { bytes: Buffer }>();
    for (const item of batch) {
      const txid = normaliseTxid(item.tx.txid);
      const bytes = decodeRawHex(txid, item.raw);
      if (item.tx.inputs.length >= ioSpan || item.tx.outputs.length >= ioSpan) {
        throw new BadQueryError(`transaction ${txid}`, `more than ${ioSpan - 1} inputs or outputs cannot be a valid Bitcoin transaction`);
      }
      const seen = unique.get(txid);
      if (!seen || (!seen.placement && item.placement)) unique.set(txid, { tx: item.tx, raw: item.raw, placement: item.placement, bytes });
    }
    return unique;
  }

  /** Drops already stored transactions from `unique`, recording a new block placement if one came. */
  private skipStored(unique: Map<string, TxWrite>): void {
    const keys = [...new Set([...unique.keys()].map(txKey))].sort((a, b) => a - b);
    for (const row of this.existingTxs.all(keys)) {
      const txid = row.txid.toString('hex');
      const item = unique.get(txid);
      if (!item) continue; // another txid with the same key
      unique.delete(txid);
      if (item.placement && !samePlacement(row, item.placement)) {
        const p = item.placement;
        this.setPlacement.run(Buffer.from(p.blockHash, 'hex'), p.blockHeight, p.blockTime, p.position, row.id);
      }
    }
  }

  private internAddresses(items: Iterable<TxWrite>): Map<string, number> {
    const scriptTypes = new Map<string, number>();
    for (const { tx } of items) {
      for (const output of tx.outputs) {
        if (output.address !== null && !scriptTypes.has(output.address)) scriptTypes.set(output.address, scriptTypeCode(output.scriptType));
      }
    }
    const addresses = [...scriptTypes.keys()].sort(compareText);
    // Insert first and look up only what was there already: for new addresses the unique
    // index is probed once instead of twice.
    const ids = new Map<string, number>();
    const rows: unknown[] = [];
    for (const address of addresses) rows.push(address, scriptTypes.get(address));
    for (const row of this.insertAddresses.all<{ id: number; address: string }>(rows)) ids.set(row.address, row.id);
    if (ids.size < addresses.length) {
      for (const row of this.existingAddresses.all(addresses.filter((a) => !ids.has(a)))) ids.set(row.address, row.id);
    }
    return ids;
  }

  /**
   * Stores the inputs, each linked to the output it spends when that output's tx is stored
   * (or in this batch), and marks those outputs spent; the others wait in pending_spends.
   */
  private linkSpends(spends: readonly Spend[], txIds: ReadonlyMap<string, number>): void {
    const parents = new Map(txIds);
    const outside = new Set<string>();
    for (const spend of spends) if (!parents.has(spend.prevTxid)) outside.add(spend.prevTxid);
    const outsideKeys = [...new Set([...outside].map(txKey))].sort((a, b) => a - b);
    for (const row of this.existingTxs.all(outsideKeys)) {
      const txid = row.txid.toString('hex');
      if (outside.has(txid)) parents.set(txid, row.id);
    }
    for (const spend of spends) {
      const parentId = parents.get(spend.prevTxid);
      // An index past any possible output can never resolve, and must not spill into the next tx's id range.
      const outputId = parentId === undefined || spend.prevVout >= ioSpan ? null : parentId * ioSpan + spend.prevVout;
      if (outputId !== null) {
        // The parent's txid is found through the output id; only unlinked inputs keep it.
        this.insertInputs.add(spend.inputId, null, spend.prevVout, spend.sequence, outputId);
        this.markSpent.add(outputId, spend.inputId);
        continue;
      }
      const prevTxid = Buffer.from(spend.prevTxid, 'hex');
      this.insertInputs.add(spend.inputId, prevTxid, spend.prevVout, spend.sequence, null);
      if (spend.prevVout < ioSpan) this.insertPending.add(spend.inputId, prevTxid, spend.prevVout);
    }
    this.insertInputs.flush();
    this.markSpent.flush();
    this.insertPending.flush();
  }

  /** Children stored by earlier batches that were waiting for one of these parents. */
  private resolveWaiting(waiting: readonly { input_id: number; prev_txid: Buffer; prev_vout: number }[], txIds: Map<string, number>): void {
    for (const child of waiting) {
      const parentId = txIds.get(child.prev_txid.toString('hex'));
      if (parentId === undefined) continue;
      const outputId = parentId * ioSpan + child.prev_vout;
      this.markSpent.add(outputId, child.input_id);
      this.linkInputs.add(child.input_id, outputId);
      this.dropPending.add(child.input_id);
    }
    this.markSpent.flush();
    this.linkInputs.flush();
    this.dropPending.flush();
  }
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
