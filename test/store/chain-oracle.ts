/**
 * Expected answers for the GraphStore contract, computed straight from the parsed
 * transactions with plain maps and loops: no store code, no SQL, no Cypher. The contract
 * compares every store against this.
 */
import type { ScriptType } from '@chaintrail/core';
import type { TxWrite } from '@chaintrail/store';

export interface OracleOutput {
  readonly txid: string;
  readonly vout: number;
  readonly value: number;
  readonly address: string | null;
  readonly scriptType: ScriptType;
}

export interface OracleTx {
  readonly write: TxWrite;
  readonly height: number | null;
  readonly time: number | null;
  readonly position: number | null;
}

/** A neighbour as the contract expects it: node, direction and sums. */
export interface OracleEdge {
  readonly kind: 'address' | 'tx' | 'entity';
  readonly id: string;
  readonly direction: 'in' | 'out';
  readonly value: bigint;
  readonly txids: Set<string>;
}

export interface OracleHop {
  readonly to: string;
  readonly txid: string;
  readonly value: bigint;
}

const outpoint = (txid: string, vout: number): string => `${txid}:${vout}`;
/** Chain order: height, position; unconfirmed after every block, by txid. */
export const chainOrder = (a: OracleTx, b: OracleTx): number =>
  (a.height ?? Infinity) - (b.height ?? Infinity) || (a.position ?? 0) - (b.position ?? 0) || (a.write.tx.txid < b.write.tx.txid ? -1 : a.write.tx.txid > b.write.tx.txid ? 1 : 0);

export class ChainOracle {
  readonly txs = new Map<string, OracleTx>();
  readonly outputs = new Map<string, OracleOutput>();
  readonly spenders = new Map<string, { txid: string; vin: number }>();
  /** address → txids paying it / spending from it. */
  private readonly paying = new Map<string, Set<string>>();
  private readonly spending = new Map<string, Set<string>>();

  constructor(writes: readonly TxWrite[]) {
    for (const write of writes) {
      if (this.txs.has(write.tx.txid)) continue;
      const p = write.placement;
      this.txs.set(write.tx.txid, { write, height: p?.blockHeight ?? null, time: p?.blockTime ?? null, position: p?.position ?? null });
      write.tx.outputs.forEach((output, vout) => {
        this.outputs.set(outpoint(write.tx.txid, vout), { txid: write.tx.txid, vout, value: output.value, address: output.address, scriptType: output.scriptType });
        if (output.address !== null) add(this.paying, output.address, write.tx.txid);
      });
    }
    for (const { write } of this.txs.values()) {
      if (write.tx.isCoinbase) continue;
      write.tx.inputs.forEach((input, vin) => {
        const key = outpoint(input.prevout.txid, input.prevout.vout);
        if (!this.spenders.has(key)) this.spenders.set(key, { txid: write.tx.txid, vin });
        const spent = this.outputs.get(key);
        if (spent?.address) add(this.spending, spent.address, write.tx.txid);
      });
    }
  }

  /** Addresses that appear in any output. */
  addresses(): string[] {
    return [...this.paying.keys()].sort();
  }

  /** The output an input spends, when stored. */
  spentOutput(txid: string, vin: number): OracleOutput | undefined {
    const input = this.txs.get(txid)!.write.tx.inputs[vin]!;
    return this.txs.get(txid)!.write.tx.isCoinbase ? undefined : this.outputs.get(outpoint(input.prevout.txid, input.prevout.vout));
  }

  fee(txid: string): bigint | null {
    const { tx } = this.txs.get(txid)!.write;
    if (tx.isCoinbase) return null;
    let fee = 0n;
    for (let vin = 0; vin < tx.inputs.length; vin++) {
      const spent = this.spentOutput(txid, vin);
      if (!spent) return null;
      fee += BigInt(spent.value);
    }
    return fee - tx.outputs.reduce((sum, output) => sum + BigInt(output.value), 0n);
  }

  outputsOf(addresses: ReadonlySet<string>): OracleOutput[] {
    return [...this.outputs.values()].filter((output) => output.address !== null && addresses.has(output.address));
  }

  /** Totals of a set of addresses (one address, or an entity's members). */
  totals(addresses: ReadonlySet<string>) {
    const outputs = this.outputsOf(addresses);
    const received = outputs.reduce((sum, output) => sum + BigInt(output.value), 0n);
    const spent = outputs.filter((output) => this.spenders.has(outpoint(output.txid, output.vout)));
    const sent = spent.reduce((sum, output) => sum + BigInt(output.value), 0n);
    const txids = new Set<string>();
    for (const address of addresses) {
      for (const txid of this.paying.get(address) ?? []) txids.add(txid);
      for (const txid of this.spending.get(address) ?? []) txids.add(txid);
    }
    const confirmed = [...txids].map((txid) => this.txs.get(txid)!).filter((tx) => tx.height !== null).sort(chainOrder);
    const point = (tx: OracleTx | undefined) => (tx ? { txid: tx.write.tx.txid, height: tx.height, time: tx.time } : null);
    return {
      received,
      sent,
      balance: received - sent,
      txCount: txids.size,
      outputCount: outputs.length,
      unspentCount: outputs.length - spent.length,
      firstSeen: point(confirmed[0]),
      lastSeen: point(confirmed.at(-1)),
    };
  }

  /** Script type of the address's earliest output in chain order. */
  scriptTypeOf(address: string): ScriptType {
    const first = this.outputsOf(new Set([address])).sort(
      (a, b) => chainOrder(this.txs.get(a.txid)!, this.txs.get(b.txid)!) || a.vout - b.vout,
    )[0]!;
    return first.scriptType;
  }

  /** The address's transactions in chain order with what each did to it. */
  history(address: string): { txid: string; received: bigint; sent: bigint }[] {
    const txids = new Set([...(this.paying.get(address) ?? []), ...(this.spending.get(address) ?? [])]);
    return [...txids]
      .map((txid) => this.txs.get(txid)!)
      .sort(chainOrder)
      .map(({ write: { tx } }) => ({
        txid: tx.txid,
        received: tx.outputs.filter((o) => o.address === address).reduce((sum, o) => sum + BigInt(o.value), 0n),
        sent: tx.inputs.reduce((sum, _input, vin) => {
          const spent = this.spentOutput(tx.txid, vin);
          return spent?.address === address ? sum + BigInt(spent.value) : sum;
        }, 0n),
      }));
  }

  /** Address ↔ tx edges (the address's txs) and tx ↔ address edges (the tx's addresses). */
  addressEdges(address: string): OracleEdge[] {
    return this.history(address).flatMap(({ txid, received, sent }) => {
      const edges: OracleEdge[] = [];
      if (this.paying.get(address)?.has(txid)) edges.push({ kind: 'tx', id: txid, direction: 'in', value: received, txids: new Set([txid]) });
      if (this.spending.get(address)?.has(txid)) edges.push({ kind: 'tx', id: txid, direction: 'out', value: sent, txids: new Set([txid]) });
      return edges;
    });
  }

  txEdges(txid: string): OracleEdge[] {
    const { tx } = this.txs.get(txid)!.write;
    const sums = new Map<string, bigint>();
    const edges: OracleEdge[] = [];
    tx.inputs.forEach((_input, vin) => {
      const spent = this.spentOutput(txid, vin);
      if (spent?.address) sums.set(spent.address, (sums.get(spent.address) ?? 0n) + BigInt(spent.value));
    });
    for (const [id, value] of sums) edges.push({ kind: 'address', id, direction: 'in', value, txids: new Set([txid]) });
    sums.clear();
    for (const output of tx.outputs) if (output.address !== null) sums.set(output.address, (sums.get(output.address) ?? 0n) + BigInt(output.value));
    for (const [id, value] of sums) edges.push({ kind: 'address', id, direction: 'out', value, txids: new Set([txid]) });
    return edges;
  }

  /**
   * Entity-level edges of `members` (an entity, or one unclustered address): per tx with an
   * input of the members, the outputs paying each other entity or unclustered address;
   * and the reverse for txs paying the members.
   */
  memberEdges(members: ReadonlySet<string>, entityOf: ReadonlyMap<string, string>): OracleEdge[] {
    const nodeOf = (address: string) => {
      const entity = entityOf.get(address);
      return entity === undefined ? { kind: 'address' as const, id: address } : { kind: 'entity' as const, id: entity };
    };
    const edges = new Map<string, { kind: 'address' | 'entity'; id: string; direction: 'in' | 'out'; value: bigint; txids: Set<string> }>();
    const bump = (node: { kind: 'address' | 'entity'; id: string }, direction: 'in' | 'out', value: bigint, txid: string) => {
      const key = `${direction}|${node.kind}|${node.id}`;
      const edge = edges.get(key) ?? { ...node, direction, value: 0n, txids: new Set<string>() };
      edge.value += value;
      edge.txids.add(txid);
      edges.set(key, edge);
    };
    for (const { write: { tx } } of this.txs.values()) {
      const inputAddresses = new Set<string>();
      tx.inputs.forEach((_input, vin) => {
        const spent = this.spentOutput(tx.txid, vin);
        if (spent?.address) inputAddresses.add(spent.address);
      });
      const fromMembers = [...inputAddresses].some((a) => members.has(a));
      if (fromMembers) {
        for (const output of tx.outputs) {
          if (output.address === null || members.has(output.address)) continue;
          bump(nodeOf(output.address), 'out', BigInt(output.value), tx.txid);
        }
      }
      const toMembers = tx.outputs.filter((o) => o.address !== null && members.has(o.address)).reduce((sum, o) => sum + BigInt(o.value), 0n);
      const paid = tx.outputs.some((o) => o.address !== null && members.has(o.address));
      if (paid) {
        const payers = new Map<string, { kind: 'address' | 'entity'; id: string }>();
        for (const address of inputAddresses) {
          if (members.has(address)) continue;
          const node = nodeOf(address);
          payers.set(`${node.kind}|${node.id}`, node);
        }
        for (const node of payers.values()) bump(node, 'in', toMembers, tx.txid);
      }
    }
    return [...edges.values()];
  }

  /** Address-level path hops: address → tx → another address, in the money's direction. */
  addressHops(address: string, direction: 'in' | 'out'): OracleHop[] {
    const hops: OracleHop[] = [];
    if (direction === 'out') {
      for (const txid of this.spending.get(address) ?? []) {
        const { tx } = this.txs.get(txid)!.write;
        const sums = new Map<string, bigint>();
        for (const o of tx.outputs) if (o.address !== null && o.address !== address) sums.set(o.address, (sums.get(o.address) ?? 0n) + BigInt(o.value));
        for (const [to, value] of sums) hops.push({ to, txid, value });
      }
    } else {
      for (const txid of this.paying.get(address) ?? []) {
        const { tx } = this.txs.get(txid)!.write;
        const value = tx.outputs.filter((o) => o.address === address).reduce((sum, o) => sum + BigInt(o.value), 0n);
        const payers = new Set<string>();
        tx.inputs.forEach((_input, vin) => {
          const spent = this.spentOutput(txid, vin);
          if (spent?.address && spent.address !== address) payers.add(spent.address);
        });
        for (const to of payers) hops.push({ to, txid, value });
      }
    }
    return hops;
  }

  /** Fewest hops from one node to another by plain breadth-first search, or null beyond maxHops. */
  static shortestHops(from: string, to: string, maxHops: number, next: (node: string) => string[]): number | null {
    if (from === to) return 0;
    const seen = new Set([from]);
    let frontier = [from];
    for (let depth = 1; depth <= maxHops && frontier.length > 0; depth++) {
      const upcoming: string[] = [];
      for (const node of frontier) {
        for (const neighbour of next(node)) {
          if (neighbour === to) return depth;
          if (!seen.has(neighbour)) {
            seen.add(neighbour);
            upcoming.push(neighbour);
          }
        }
      }
      frontier = upcoming;
    }
    return null;
  }

  /** Txids spent by stored inputs but not stored themselves. */
  missingParents(): string[] {
    const missing = new Set<string>();
    for (const { write: { tx } } of this.txs.values()) {
      if (tx.isCoinbase) continue;
      for (const input of tx.inputs) if (!this.txs.has(input.prevout.txid)) missing.add(input.prevout.txid);
    }
    return [...missing].sort();
  }
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
