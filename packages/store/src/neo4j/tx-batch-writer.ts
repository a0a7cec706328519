/**
 * Writes a batch of transactions into Neo4j inside one write transaction, so a batch is
 * stored whole or not at all: a writer killed mid-batch leaves an open transaction that the
 * server rolls back when the connection drops. Idempotent: transactions already stored are
 * skipped (only a new block placement is recorded).
 *
 * The work is a handful of UNWIND statements over the whole batch, not one statement per
 * transaction: a Bolt round trip costs more than writing a transaction's nodes.
 */
import type { TxPlacement } from '@chaintrail/core';
import type { TxWrite } from '../graph-store.js';
import { decodeRawHex, normaliseTxid } from '../query-validation.js';
import { row, rows, type Tx } from './neo4j-connection.js';
import { keyed } from './index-key.js';
import { int, intOrNull, num } from './neo4j-values.js';

type Keyed = ReturnType<typeof keyed>;

const zeroTxid = '0'.repeat(64);

/** An output's key, as stored on (:Output {id}) and in a spender's `inOutpoints`. */
export function outpointId(txid: string, vout: number): string {
  return `${txid}:${vout}`;
}

interface OutputRow {
  readonly id: string;
  readonly vout: bigint;
  readonly value: bigint;
  readonly scriptType: string;
  readonly script: string;
  readonly address: Keyed | null;
}

interface TxRow {
  readonly txid: string;
  readonly props: Record<string, unknown>;
  readonly outputs: readonly OutputRow[];
}

interface Spend {
  readonly txid: string;
  readonly vin: bigint;
  readonly outpoint: string;
  readonly prevTxid: string;
  readonly vout: bigint;
}

interface PreparedTx {
  readonly row: TxRow;
  readonly spends: readonly Spend[];
  readonly placement: TxPlacement | undefined;
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
  for (const [txid, item] of items) txs.set(txid, prepareTx(txid, item));
  return { txs };
}

function prepareTx(txid: string, { tx, raw, placement }: TxWrite): PreparedTx {
  const outpoints: string[] = [];
  const spends: Spend[] = [];
  tx.inputs.forEach((input, vin) => {
    if (tx.isCoinbase) {
      outpoints.push(outpointId(zeroTxid, input.prevout.vout));
      return;
    }
    // Stricter than a lowercase copy: the prevout is a key of the graph, so it must be a txid.
    const prevTxid = normaliseTxid(input.prevout.txid);
    const outpoint = outpointId(prevTxid, input.prevout.vout);
    outpoints.push(outpoint);
    spends.push({ txid, vin: int(vin), outpoint, prevTxid, vout: int(input.prevout.vout) });
  });
  const wtxid = tx.wtxid.toLowerCase();
  const row: TxRow = {
    txid,
    props: {
      wtxid: wtxid === txid ? null : wtxid,
      version: int(tx.version),
      locktime: int(tx.locktime),
      isCoinbase: tx.isCoinbase,
      hasWitness: tx.hasWitness,
      size: int(tx.size),
      weight: int(tx.weight),
      vsize: int(tx.vsize),
      blockHash: placement ? placement.blockHash.toLowerCase() : null,
      height: intOrNull(placement?.blockHeight),
      time: intOrNull(placement?.blockTime),
      position: intOrNull(placement?.position),
      raw: raw.toLowerCase(),
      inOutpoints: outpoints,
      inSequences: tx.inputs.map((input) => int(input.sequence)),
    },
    outputs: tx.outputs.map((output, vout) => ({
      id: outpointId(txid, vout),
      vout: int(vout),
      value: int(output.value),
      scriptType: output.scriptType,
      script: output.scriptPubKey.toLowerCase(),
      address: output.address === null ? null : keyed(output.address),
    })),
  };
  return { row, spends, placement };
}

const existingTxs = `
  UNWIND $txids AS txid
  MATCH (t:Tx {txid: txid})
  RETURN t.txid AS txid, t.blockHash AS blockHash, t.height AS height, t.time AS time, t.position AS position`;

const setPlacements = `
  UNWIND $rows AS r
  MATCH (t:Tx {txid: r.txid})
  SET t.blockHash = r.blockHash, t.height = r.height, t.time = r.time, t.position = r.position`;

const pendingWork = `
  CALL () { MATCH (m:MissingTx) RETURN count(m) AS missing }
  CALL () { MATCH (g:Tag) RETURN count(g) AS tags }
  RETURN missing, tags`;

const createTxs = `
  UNWIND $txs AS row
  CREATE (t:Tx {txid: row.txid})
  SET t += row.props
  WITH t, row
  UNWIND row.outputs AS out
  CREATE (t)-[:OUTPUT]->(o:Output {id: out.id, vout: out.vout, value: out.value, scriptType: out.scriptType, script: out.script})
  WITH o, out WHERE out.address IS NOT NULL
  MERGE (a:Address {address: out.address.key})
  ON CREATE SET a.full = out.address.full, a.head = out.address.head
  CREATE (o)-[:LOCKED_BY]->(a)`;

/** Children stored by earlier batches, waiting for one of these parents: they spend it now. */
const resolveWaiting = `
  UNWIND $txids AS txid
  MATCH (m:MissingTx {txid: txid})<-[w:AWAITS]-(child:Tx)
  WITH m, w, child ORDER BY w.order
  CALL (m, w, child) {
    OPTIONAL MATCH (o:Output {id: m.txid + ':' + toString(w.vout)})
    WITH o, w, child WHERE o IS NOT NULL AND NOT EXISTS { (o)-[:SPENT_IN]->() }
    CREATE (o)-[:SPENT_IN {vin: w.vin}]->(child)
  }
  WITH DISTINCT m
  DETACH DELETE m`;

/** Inputs of the new transactions: spend stored outputs, or wait for a parent not stored. */
const spendInputs = `
  UNWIND $spends AS s
  MATCH (t:Tx {txid: s.txid})
  OPTIONAL MATCH (o:Output {id: s.outpoint})
  CALL (t, s, o) {
    WITH t, s, o WHERE o IS NOT NULL AND s.first AND NOT EXISTS { (o)-[:SPENT_IN]->() }
    CREATE (o)-[:SPENT_IN {vin: s.vin}]->(t)
  }
  CALL (t, s, o) {
    WITH t, s, o WHERE o IS NULL AND NOT EXISTS { MATCH (:Tx {txid: s.prevTxid}) }
    MERGE (m:MissingTx {txid: s.prevTxid})
    CREATE (t)-[:AWAITS {vin: s.vin, vout: s.vout, order: s.order}]->(m)
  }`;

/** Tags written before their address existed get their edge once it does (addresses as index keys). */
export const attachTags = `
  UNWIND $addresses AS address
  MATCH (g:Tag {address: address})
  MATCH (a:Address {address: address})
  MERGE (g)-[:TAGS]->(a)`;

/** Stores the batch; returns how many transactions were new. Runs inside the caller's transaction. */
export async function writeBatch(tx: Tx, batch: PreparedBatch): Promise<number> {
  const fresh = new Map(batch.txs);
  const existing = await rows<{ txid: string; blockHash: string | null; height: unknown; time: unknown; position: unknown }>(tx, existingTxs, {
    txids: [...fresh.keys()],
  });
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
  if (moved.length > 0) await tx.run(setPlacements, { rows: moved });
  if (fresh.size === 0) return 0;

  const txRows: TxRow[] = [];
  const spends: (Spend & { first: boolean; order: bigint })[] = [];
  const addressKeys = new Set<string>();
  const spentInBatch = new Set<string>();
  const orderBase = BigInt(Date.now()) * 1_000_000n;
  for (const { row: txRow, spends: txSpends } of fresh.values()) {
    txRows.push(txRow);
    for (const output of txRow.outputs) if (output.address !== null) addressKeys.add(output.address.key);
    for (const spend of txSpends) {
      spends.push({ ...spend, first: !spentInBatch.has(spend.outpoint), order: orderBase + BigInt(spends.length) });
      spentInBatch.add(spend.outpoint);
    }
  }

  const pending = await row<{ missing: unknown; tags: unknown }>(tx, pendingWork);
  await tx.run(createTxs, { txs: txRows });
  if (num(pending.missing) > 0) await tx.run(resolveWaiting, { txids: [...fresh.keys()] });
  if (spends.length > 0) await tx.run(spendInputs, { spends });
  if (num(pending.tags) > 0 && addressKeys.size > 0) await tx.run(attachTags, { addresses: [...addressKeys] });
  return fresh.size;
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
