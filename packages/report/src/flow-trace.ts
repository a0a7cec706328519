/**
 * Forfeiture tracing: forward from the site's entities, where their money went, hop by hop,
 * under one flow model (METHODS.md, "Flow models"), at output (UTXO) level.
 *
 * - Every output paying the origin (the site's addresses) from a transaction that spends
 *   neither the origin's coins nor money already traced is a *receipt*: fully tainted.
 * - Transactions are processed in chain order; each one spending traced coins is split by
 *   the model (core's splitTransaction), FIFO taking inputs in its order (fifoInputOrder).
 * - A traced coin arriving at another entity ends there when the entity is tagged (a
 *   service now holds it), when it is unspent (it can be seized now), or when the hop limit
 *   is reached; otherwise its spender is followed. A CoinJoin-flagged spender ends the
 *   trace with a flag: a mix is not traced through.
 * - Every tainted satoshi ends in exactly one bucket, so the totals reconcile to the
 *   satoshi (poison creates taint; it is counted as `contaminated`).
 * An output counts as unspent when no stored transaction spends it: the store knows only
 * what was ingested (`chaintrail ingest --hops-forward`).
 */
import { cleanCoin, fifoInputOrder, splitTransaction, taintedCoin, taintOf, type Coin, type FifoInput, type FlowModelName } from '@chaintrail/core';
import type { NodeRef, OutputRecord, StoredTx } from '@chaintrail/store';
import { ChainOrderQueue } from './chain-order-queue.js';
import type { PathStep } from './payer-walk.js';
import { cmp, isTagged, nodeKey, type StoreView } from './store-view.js';

export interface FlowTraceOptions {
  readonly model: FlowModelName;
  /** Transactions from the origin after which a traced coin is not followed further. */
  readonly hopLimit: number;
  /** Transactions processed before the trace stops (what is left is reported as walk-limit). */
  readonly maxTxs: number;
}

export interface Origin {
  readonly nodes: readonly NodeRef[];
  /** Every member address of the origin's entities. */
  readonly addresses: ReadonlySet<string>;
}

/** A traced output still unspent: where money can be seized now. */
export interface Holding {
  /** null: the origin (the site) still holds it. */
  readonly holder: NodeRef | null;
  readonly txid: string;
  readonly vout: number;
  readonly address: string | null;
  readonly value: number;
  readonly tainted: bigint;
  readonly height: number | null;
}

export interface DestinationTally {
  readonly node: NodeRef;
  hops: number;
  received: bigint;
  atService: bigint;
  unspent: bigint;
  passedOn: bigint;
  beyondHopLimit: bigint;
  intoCoinjoin: bigint;
  walkLimit: bigint;
  /** The path (origin transaction's output first) of the largest arrival at the nearest hop. */
  path: PathStep[];
  pathAmount: bigint;
}

export interface FlowEdgeTally {
  readonly from: NodeRef | 'origin';
  readonly to: NodeRef;
  amount: bigint;
  hop: number;
  readonly txids: Set<string>;
}

export interface SiteTotals {
  /** Taint of outputs paying the origin from outside: the site's receipts. */
  received: bigint;
  receipts: number;
  /** Traced money coming back to the origin. */
  returned: bigint;
  /** Poison only: clean satoshis its rule counts as tainted, in the origin's own transactions. */
  contaminated: bigint;
  /** Left the origin: to other entities' outputs, or into a CoinJoin. */
  tracedOut: bigint;
  fees: bigint;
  unspent: bigint;
  walkLimit: bigint;
}

export interface DownstreamTotals {
  contaminated: bigint;
  fees: bigint;
  atServices: bigint;
  unspent: bigint;
  beyondHopLimit: bigint;
  intoCoinjoin: bigint;
  unspendable: bigint;
  walkLimit: bigint;
}

export interface FlowTrace {
  readonly model: FlowModelName;
  readonly site: SiteTotals;
  readonly downstream: DownstreamTotals;
  readonly destinations: Map<string, DestinationTally>;
  readonly edges: Map<string, FlowEdgeTally>;
  readonly holdings: Holding[];
  readonly coinjoins: Map<string, { rule: string; amount: bigint }>;
  /** Taint arriving at other entities per hop. */
  readonly hops: Map<number, bigint>;
  /** Transactions with inputs not in the store, whose missing input value was taken as outputs minus known inputs (no fee). */
  readonly estimated: string[];
  readonly txsProcessed: number;
}

interface TrackedCoin {
  readonly coin: Coin;
  readonly hop: number;
  /** null: the origin holds it. */
  readonly holder: NodeRef | null;
  readonly path: PathStep[];
  readonly received: FifoInput['received'];
}

const UNCONFIRMED = Number.POSITIVE_INFINITY;

function outpoint(txid: string, vout: number): string {
  return `${txid}:${vout}`;
}

function receivedKey(tx: StoredTx, vout: number): FifoInput['received'] {
  return [tx.placement?.blockHeight ?? UNCONFIRMED, tx.placement?.position ?? 0, vout];
}

export async function traceFlows(view: StoreView, origin: Origin, options: FlowTraceOptions): Promise<FlowTrace> {
  const site: SiteTotals = { received: 0n, receipts: 0, returned: 0n, contaminated: 0n, tracedOut: 0n, fees: 0n, unspent: 0n, walkLimit: 0n };
  const downstream: DownstreamTotals = { contaminated: 0n, fees: 0n, atServices: 0n, unspent: 0n, beyondHopLimit: 0n, intoCoinjoin: 0n, unspendable: 0n, walkLimit: 0n };
  const destinations = new Map<string, DestinationTally>();
  const edges = new Map<string, FlowEdgeTally>();
  const holdings: Holding[] = [];
  const coinjoins = new Map<string, { rule: string; amount: bigint }>();
  const hops = new Map<number, bigint>();
  const estimated: string[] = [];
  const tracked = new Map<string, TrackedCoin>();
  const queue = new ChainOrderQueue();

  const enqueue = async (txid: string): Promise<void> => {
    if (queue.has(txid)) return;
    const tx = await view.tx(txid);
    if (tx !== null) queue.push({ txid, height: tx.placement?.blockHeight ?? null, position: tx.placement?.position ?? null });
  };
  const destination = (node: NodeRef): DestinationTally => {
    const key = nodeKey(node);
    let d = destinations.get(key);
    if (d === undefined) {
      d = { node, hops: Number.MAX_SAFE_INTEGER, received: 0n, atService: 0n, unspent: 0n, passedOn: 0n, beyondHopLimit: 0n, intoCoinjoin: 0n, walkLimit: 0n, path: [], pathAmount: 0n };
      destinations.set(key, d);
    }
    return d;
  };

  const placeAtOrigin = async (tx: StoredTx, vout: number, coin: Coin): Promise<void> => {
    const output = tx.outputs[vout] as OutputRecord;
    const taint = taintOf(coin);
    if (output.spentBy === null) {
      site.unspent += taint;
      if (taint > 0n) holdings.push({ holder: null, txid: tx.txid, vout, address: output.address, value: output.value, tainted: taint, height: tx.placement?.blockHeight ?? null });
      return;
    }
    tracked.set(outpoint(tx.txid, vout), { coin, hop: 0, holder: null, path: [], received: receivedKey(tx, vout) });
    await enqueue(output.spentBy.txid);
  };

  const arrive = async (tx: StoredTx, vout: number, coin: Coin, hop: number, path: PathStep[], from: NodeRef | 'origin'): Promise<void> => {
    const output = tx.outputs[vout] as OutputRecord;
    const taint = taintOf(coin);
    if (output.address === null) {
      downstream.unspendable += taint;
      return;
    }
    const node = await view.nodeOf(output.address);
    const d = destination(node);
    d.received += taint;
    if (hop < d.hops || (hop === d.hops && taint > d.pathAmount)) {
      d.hops = hop;
      d.path = path;
      d.pathAmount = taint;
    }
    const edgeKey = `${from === 'origin' ? 'origin' : nodeKey(from)}>${nodeKey(node)}`;
    const edge = edges.get(edgeKey) ?? { from, to: node, amount: 0n, hop, txids: new Set<string>() };
    edge.amount += taint;
    edge.hop = Math.min(edge.hop, hop);
    edge.txids.add(tx.txid);
    edges.set(edgeKey, edge);
    hops.set(hop, (hops.get(hop) ?? 0n) + taint);
    if (isTagged(await view.shown(node))) {
      d.atService += taint;
      downstream.atServices += taint;
    } else if (output.spentBy === null) {
      d.unspent += taint;
      downstream.unspent += taint;
      holdings.push({ holder: node, txid: tx.txid, vout, address: output.address, value: output.value, tainted: taint, height: tx.placement?.blockHeight ?? null });
    } else if (hop >= options.hopLimit) {
      d.beyondHopLimit += taint;
      downstream.beyondHopLimit += taint;
    } else {
      tracked.set(outpoint(tx.txid, vout), { coin, hop, holder: node, path, received: receivedKey(tx, vout) });
      await enqueue(output.spentBy.txid);
    }
  };

  const fifoOrder = async (tx: StoredTx, coins: readonly (TrackedCoin | undefined)[]): Promise<number[]> => {
    const counts = new Map<string, number>();
    for (const i of tx.inputs) if (i.address !== null) counts.set(i.address, (counts.get(i.address) ?? 0) + 1);
    const keyed: FifoInput[] = [];
    for (const [i, input] of tx.inputs.entries()) {
      const known = coins[i]?.received;
      let received: FifoInput['received'] = known ?? [UNCONFIRMED, 0, input.prevout.vout];
      if (known === undefined && input.address !== null && (counts.get(input.address) ?? 0) > 1) {
        const parent = await view.tx(input.prevout.txid);
        if (parent !== null) received = receivedKey(parent, input.prevout.vout);
      }
      keyed.push({ address: input.address, received });
    }
    return fifoInputOrder(keyed);
  };

  const processTx = async (tx: StoredTx): Promise<void> => {
    const coinsIn = tx.inputs.map((i) => tracked.get(outpoint(i.prevout.txid, i.prevout.vout)));
    const anyTracked = coinsIn.some((c) => c !== undefined);
    const fromOrigin = tx.inputs.some((i) => i.address !== null && origin.addresses.has(i.address));
    if (!anyTracked && !fromOrigin) {
      for (const [vout, o] of tx.outputs.entries()) {
        if (o.address === null || !origin.addresses.has(o.address)) continue;
        site.received += BigInt(o.value);
        site.receipts++;
        await placeAtOrigin(tx, vout, taintedCoin(o.value));
      }
      return;
    }
    let inTaint = 0n;
    let best: TrackedCoin | undefined;
    let hop = 1;
    for (const [i, c] of coinsIn.entries()) {
      if (c === undefined) continue;
      const input = tx.inputs[i] as (typeof tx.inputs)[number];
      tracked.delete(outpoint(input.prevout.txid, input.prevout.vout));
      const taint = taintOf(c.coin);
      inTaint += taint;
      if (best === undefined || taint > taintOf(best.coin)) best = c;
      hop = Math.max(hop, c.hop + 1);
      if (tx.coinjoin !== null) {
        downstream.intoCoinjoin += taint;
        if (c.holder === null) site.tracedOut += taint;
        else destination(c.holder).intoCoinjoin += taint;
        continue;
      }
      if (c.holder !== null) {
        destination(c.holder).passedOn += taint;
        if (fromOrigin) site.returned += taint;
      }
    }
    if (tx.coinjoin !== null) {
      const prior = coinjoins.get(tx.txid);
      coinjoins.set(tx.txid, { rule: tx.coinjoin, amount: (prior?.amount ?? 0n) + inTaint });
      return;
    }
    const values = tx.inputs.map((i) => BigInt(i.value ?? 0));
    const unresolved = tx.inputs.findIndex((i) => !i.resolved);
    if (unresolved !== -1) {
      const out = tx.outputs.reduce((a, o) => a + BigInt(o.value), 0n);
      const known = values.reduce((a, v) => a + v, 0n);
      values[unresolved] = out > known ? out - known : 0n;
      estimated.push(tx.txid);
    }
    const coins: Coin[] = tx.inputs.map((_, i) => coinsIn[i]?.coin ?? cleanCoin(values[i] as bigint));
    const order = options.model === 'fifo' ? await fifoOrder(tx, coinsIn) : coins.map((_, i) => i);
    const split = splitTransaction(
      options.model,
      order.map((i) => coins[i] as Coin),
      tx.outputs.map((o) => o.value),
      tx.txid,
    );
    const outTaint = split.outputs.reduce((a, c) => a + taintOf(c), 0n);
    const contaminated = outTaint + split.feeTaint - inTaint;
    if (fromOrigin) {
      site.fees += split.feeTaint;
      site.contaminated += contaminated;
    } else {
      downstream.fees += split.feeTaint;
      downstream.contaminated += contaminated;
    }
    for (const [vout, coin] of split.outputs.entries()) {
      const taint = taintOf(coin);
      if (taint === 0n) continue;
      const o = tx.outputs[vout] as OutputRecord;
      if (o.address !== null && origin.addresses.has(o.address)) {
        if (!fromOrigin) site.returned += taint;
        await placeAtOrigin(tx, vout, coin);
        continue;
      }
      if (fromOrigin) site.tracedOut += taint;
      const step: PathStep = { txid: tx.txid, vout, address: o.address, value: o.value };
      await arrive(tx, vout, coin, fromOrigin ? 1 : hop, [...(fromOrigin ? [] : (best?.path ?? [])), step], fromOrigin || best?.holder == null ? 'origin' : best.holder);
    }
  };

  for (const address of [...origin.addresses].sort(cmp)) for (const o of await view.addressOutputs(address)) await enqueue(o.txid);
  let processed = 0;
  for (let q = queue.take(); q !== undefined; q = queue.take()) {
    if (processed >= options.maxTxs) {
      queue.push(q);
      break;
    }
    const tx = (await view.tx(q.txid)) as StoredTx;
    if (tx.placement === null && tx.inputs.some((i) => queue.has(i.prevout.txid))) {
      queue.defer(q);
      continue;
    }
    processed++;
    await processTx(tx);
  }
  for (const c of tracked.values()) {
    const taint = taintOf(c.coin);
    if (c.holder === null) site.walkLimit += taint;
    else {
      destination(c.holder).walkLimit += taint;
      downstream.walkLimit += taint;
    }
  }
  return { model: options.model, site, downstream, destinations, edges, holdings, coinjoins, hops, estimated: estimated.sort(cmp), txsProcessed: processed };
}
