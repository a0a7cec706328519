/**
 * The bundle's tables, built from what the store said (collect-evidence.ts) and what the
 * chain source proved (collect-proofs.ts). Every amount and address here is one that
 * `verify` recomputes from the raw transactions; sums are "in this bundle", never store
 * totals that the bundle could not back.
 */
import type { TxPlacement } from '@chaintrail/core';
import type { StoredTx } from '@chaintrail/store';
import { INPUT_NOT_CITED, TX_ROLES, type TableName } from './bundle-layout.js';
import type { CollectedEvidence } from './collect-evidence.js';
import type { CollectedProofs } from './collect-proofs.js';
import type { Cell } from './csv-table.js';
import { heuristicInfo } from './heuristic-catalog.js';

export type TableRows = { readonly [T in TableName]: readonly (readonly Cell[])[] };

export interface PaymentToSeed {
  readonly txid: string;
  readonly vout: number;
  readonly seed: string;
  readonly value: bigint;
  readonly height: number | null;
}

export interface BuiltTables {
  readonly rows: TableRows;
  /** Transactions in chain order (height, position; unconfirmed last), with their placement as the bundle states it. */
  readonly order: readonly { readonly tx: StoredTx; readonly placement: TxPlacement | null; readonly proven: boolean }[];
  readonly payments: readonly PaymentToSeed[];
  readonly paidToSeeds: bigint;
}

/** ISO 8601 UTC of Unix seconds, the one time format of every table. */
export function utc(seconds: number | null): string | null {
  return seconds === null ? null : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function chainOrder(a: { placement: TxPlacement | null; tx: StoredTx }, b: { placement: TxPlacement | null; tx: StoredTx }): number {
  const ha = a.placement?.blockHeight ?? Number.MAX_SAFE_INTEGER;
  const hb = b.placement?.blockHeight ?? Number.MAX_SAFE_INTEGER;
  if (ha !== hb) return ha - hb;
  const pa = a.placement?.position ?? 0;
  const pb = b.placement?.position ?? 0;
  if (pa !== pb) return pa - pb;
  return a.tx.txid < b.tx.txid ? -1 : a.tx.txid > b.tx.txid ? 1 : 0;
}

/** The placement the bundle states: the proof's when there is one, else the store's. */
function placements(evidence: CollectedEvidence, proofs: CollectedProofs): BuiltTables['order'] {
  const timeOf = new Map(proofs.headers.map((h) => [h.header.hash, h.header.time]));
  const order = [...evidence.txs.values()].map(({ tx }) => {
    const proof = proofs.proofs.get(tx.txid);
    if (proof) {
      const time = timeOf.get(proof.blockHash) ?? (tx.placement?.blockHash === proof.blockHash ? tx.placement.blockTime : null);
      if (time !== null) return { tx, placement: { blockHash: proof.blockHash, blockHeight: proof.blockHeight, blockTime: time, position: proof.pos }, proven: true };
    }
    return { tx, placement: tx.placement, proven: false };
  });
  return order.sort(chainOrder);
}

export function buildTables(evidence: CollectedEvidence, proofs: CollectedProofs): BuiltTables {
  const order = placements(evidence, proofs);
  const transactions: Cell[][] = [];
  const inputs: Cell[][] = [];
  const outputs: Cell[][] = [];
  const perAddress = new Map<string, { scriptType: string | null; received: bigint; sent: bigint; outputs: number; inputs: number }>();
  const tally = (address: string) => {
    let t = perAddress.get(address);
    if (!t) perAddress.set(address, (t = { scriptType: null, received: 0n, sent: 0n, outputs: 0, inputs: 0 }));
    return t;
  };
  const payments: PaymentToSeed[] = [];
  const paymentRows: Cell[][] = [];

  for (const { tx, placement, proven } of order) {
    const roles = evidence.txs.get(tx.txid)?.roles ?? new Set();
    const resolved = !tx.isCoinbase && tx.inputs.every((i) => i.resolved);
    const inTotal = resolved ? tx.inputs.reduce((s, i) => s + BigInt(i.value ?? 0), 0n) : null;
    const outTotal = tx.outputs.reduce((s, o) => s + BigInt(o.value), 0n);
    transactions.push([
      tx.txid,
      TX_ROLES.filter((r) => roles.has(r)).join(';'),
      placement?.blockHeight ?? null,
      placement?.blockHash ?? null,
      utc(placement?.blockTime ?? null),
      placement?.position ?? null,
      tx.version,
      tx.locktime,
      tx.size,
      tx.vsize,
      tx.weight,
      tx.inputs.length,
      tx.outputs.length,
      inTotal,
      outTotal,
      inTotal === null ? null : inTotal - outTotal,
      tx.isCoinbase,
      tx.coinjoin,
      proven ? 'included' : 'missing',
    ]);
    const notCited = evidence.txs.get(tx.txid)?.notCited;
    for (const input of tx.inputs) {
      const resolved = notCited?.has(input.vin) ? INPUT_NOT_CITED : input.resolved;
      inputs.push([tx.txid, input.vin, input.prevout.txid, input.prevout.vout, resolved, input.address, input.value, input.scriptType, input.sequence]);
      if (input.address !== null) {
        const t = tally(input.address);
        t.sent += BigInt(input.value ?? 0);
        t.inputs++;
      }
    }
    const payers = [...new Set(tx.inputs.map((i) => i.address).filter((a): a is string => a !== null))].sort();
    const payerEntities = [...new Set(payers.map((a) => evidence.entityOf.get(a) ?? null).filter((e): e is string => e !== null))].sort();
    for (const output of tx.outputs) {
      const spender = output.spentBy && evidence.txs.has(output.spentBy.txid) ? output.spentBy : null;
      outputs.push([tx.txid, output.vout, output.value, output.address, output.scriptType, spender?.txid ?? null, spender?.vin ?? null]);
      if (output.address === null) continue;
      const t = tally(output.address);
      t.scriptType ??= output.scriptType;
      t.received += BigInt(output.value);
      t.outputs++;
      const seed = evidence.seeds.get(output.address);
      if (seed) {
        payments.push({ txid: tx.txid, vout: output.vout, seed: seed.address, value: BigInt(output.value), height: placement?.blockHeight ?? null });
        paymentRows.push([tx.txid, output.vout, seed.address, seed.file ?? null, seed.line, output.value, placement?.blockHeight ?? null, utc(placement?.blockTime ?? null), payers.join(' '), payerEntities.join(' ')]);
      }
    }
  }

  const inBundle = new Map<string, number>();
  const addresses: Cell[][] = [...perAddress.keys()].sort().map((address) => {
    const t = perAddress.get(address)!;
    const entityId = evidence.entityOf.get(address) ?? null;
    if (entityId !== null) inBundle.set(entityId, (inBundle.get(entityId) ?? 0) + 1);
    const seed = evidence.seeds.get(address);
    return [address, t.scriptType, entityId, seed?.file ?? null, seed?.line ?? null, t.received, t.sent, t.outputs, t.inputs];
  });

  const linkCount = new Map<string, number>();
  for (const link of evidence.links) linkCount.set(link.entityId, (linkCount.get(link.entityId) ?? 0) + 1);
  const entities: Cell[][] = [...evidence.entities.keys()].sort().map((id) => {
    const { entity, linksComplete } = evidence.entities.get(id)!;
    const members = inBundle.get(id) ?? 0;
    return [id, entity.label, entity.category, entity.size, members, linkCount.get(id) ?? 0, linksComplete || members <= 1];
  });

  const clusterLinks: Cell[][] = evidence.links.map((l) => [l.entityId, l.a, l.b, l.heuristic, heuristicInfo(l.heuristic).version, l.confidence, l.txid]);
  const tags: Cell[][] = evidence.tags.map((t) => [t.address, evidence.entityOf.get(t.address) ?? null, t.label, t.category, t.source, t.confidence, t.url ?? null, t.lastmod ?? null, t.abuse ?? null, t.actor ?? null, t.context ?? null]);
  const headers: Cell[][] = proofs.headers.map(({ height, header }) => [
    height,
    header.hash,
    header.prevHash,
    header.merkleRoot,
    utc(header.time),
    header.bits.toString(16).padStart(8, '0'),
    header.nonce,
    header.raw,
  ]);

  return {
    rows: { transactions, inputs, outputs, addresses, entities, clusterLinks, tags, paymentsToSeeds: paymentRows, headers },
    order,
    payments,
    paidToSeeds: payments.reduce((s, p) => s + p.value, 0n),
  };
}
