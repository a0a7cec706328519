/**
 * Writes a batch of transactions into Neo4j inside one write transaction, so a batch is
 * stored whole or not at all: a writer killed mid-batch leaves an open transaction that the
 * server rolls back when the connection drops. Idempotent: transactions already stored are
 * skipped (only a new block placement is recorded).
 *
 * Speed: a few UNWIND statements over the whole batch (./tx-batch-cypher.ts), not one
 * statement per transaction, with the batch as columns (./tx-batch-columns.ts). The new
 * transactions go in chunks, each its own statement in the same transaction, sent without
 * waiting for the previous one: Bolt pipelines them, so the driver encodes chunk n + 1
 * while the server stores chunk n, and on two cores the client's work and the server's
 * overlap instead of adding up. The server runs the statements of a transaction in order,
 * so a chunk sees every chunk before it.
 */
import type { TxPlacement } from '@chaintrail/core';
import type { TxWrite } from '../graph-store.js';
import { decodeRawHex, normaliseTxid } from '../query-validation.js';
import { row, rows, type Tx } from './neo4j-connection.js';
import { keyed } from './index-key.js';
import { int, num } from './neo4j-values.js';
import * as cypher from './tx-batch-cypher.js';

export { attachTags } from './tx-batch-cypher.js';
import { pickSpends, spendColumns, txColumns, type PreparedTx } from './tx-batch-columns.js';

const zeroTxid = '0'.repeat(64);

/** An output's key, as stored on (:Output {id}) and in a spender's `inOutpoints`. */
export function outpointId(txid: string, vout: number): string {
  return `${txid}:${vout}`;
}

/** A checked batch, ready to write: checking and shaping happen before any transaction opens. */
export interface PreparedBatch {
  readonly txs: ReadonlyMap<string, PreparedTx>;
}

export function prepareBatch(batch: readonly TxWrite[]): PreparedBatch {
  const items = new Map<string, TxWrite>();
  for (const item of batch) {
    const txid = normaliseTxid(item.tx.txid);
    decodeRawHex(txid, item.raw);
    const seen = items.get(txid);
    if (!seen || (!seen.placement && item.placement)) items.set(txid, item);
  }
  const txs = new Map<string, PreparedTx>();
  for (const [txid, { tx, raw, placement }] of items) {
    // Stricter than keeping any text: a prevout is a key of the graph, so it must be a txid.
    const outpoints = tx.inputs.map((input) => outpointId(tx.isCoinbase ? zeroTxid : normaliseTxid(input.prevout.txid), input.prevout.vout));
    const longAddresses: ReturnType<typeof keyed>[] = [];
    const addressKeys = tx.outputs.map((output) => {
      if (output.address === null) return null;
      const address = keyed(output.address);
      if (address.full !== null) longAddresses.push(address);
      return address.key;
    });
    txs.set(txid, { txid, tx, raw, placement, outpoints, addressKeys, longAddresses });
  }
  return { txs };
}

/** Transactions per statement: small enough to overlap encoding with storing, large enough that per-statement costs vanish. */
const chunkTxs = 1_000;
/** Inputs per spending statement. */
const chunkInputs = 2_500;

/** Stores the batch; returns how many transactions were new. Runs inside the caller's transaction. */
export async function writeBatch(tx: Tx, batch: PreparedBatch): Promise<number> {
  const fresh = new Map(batch.txs);
  const [existing, pending] = await Promise.all([
    rows<{ txid: string; blockHash: string | null; height: unknown; time: unknown; position: unknown }>(tx, cypher.existingTxs, { txids: [...fresh.keys()] }),
    row<{ missing: unknown; tags: unknown }>(tx, cypher.pendingWork),
  ]);
  const moved: Record<string, unknown>[] = [];
  for (const stored of existing) {
    const placement = fresh.get(stored.txid)?.placement;
    fresh.delete(stored.txid);
    if (placement && !samePlacement(stored, placement)) {
      moved.push({
        txid: stored.txid,
        blockHash: placement.blockHash.toLowerCase(),
        height: int(placement.blockHeight),
        time: int(placement.blockTime),
        position: int(placement.position),
      });
    }
  }
  if (moved.length > 0) await tx.run(cypher.setPlacements, { rows: moved });
  if (fresh.size === 0) return 0;

  const txs = [...fresh.values()];
  const sent: Promise<unknown>[] = [];
  for (let at = 0; at < txs.length; at += chunkTxs) sent.push(tx.run(cypher.createTxs, { ...txColumns(txs.slice(at, at + chunkTxs)) }).summary());
  const longAddresses = txs.flatMap((prepared) => prepared.longAddresses);
  if (longAddresses.length > 0) sent.push(tx.run(cypher.setLongAddresses, { addresses: longAddresses }).summary());
  if (num(pending.missing) > 0) sent.push(tx.run(cypher.resolveWaiting, { txids: txs.map((prepared) => prepared.txid) }).summary());
  const spends = spendColumns(txs);
  const spending: Promise<number[]>[] = [];
  for (let at = 0; at < spends.outpoints.length; at += chunkInputs) {
    const chunk = pickSpends(spends, range(at, Math.min(at + chunkInputs, spends.outpoints.length)));
    spending.push(row<{ unresolved: unknown[] }>(tx, cypher.spendInputs, { ...chunk }).then((r) => r.unresolved.map((k) => at + num(k))));
  }
  const [, unresolved] = await Promise.all([Promise.all(sent), Promise.all(spending)]);
  const waiting = unresolved.flat();
  if (waiting.length > 0) await tx.run(cypher.awaitParents, { ...pickSpends(spends, waiting), order: BigInt(Date.now()) * 1_000_000n });
  if (num(pending.tags) > 0) {
    const addresses = [...new Set(txs.flatMap((prepared) => prepared.addressKeys).filter((key) => key !== null))];
    if (addresses.length > 0) await tx.run(cypher.attachTags, { addresses });
  }
  return fresh.size;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_v, i) => from + i);
}

function samePlacement(stored: { blockHash: string | null; height: unknown; time: unknown; position: unknown }, placement: TxPlacement): boolean {
  return (
    stored.blockHash !== null &&
    stored.blockHash === placement.blockHash.toLowerCase() &&
    stored.height === int(placement.blockHeight) &&
    stored.time === int(placement.blockTime) &&
    stored.position === int(placement.position)
  );
}
