/**
 * What the API's answers say about money moving between two nodes, decoded (satoshi sums
 * as bigint) and oriented: `from` paid `to`. Every edge of the viewer's graph is one of these.
 */
import type { GraphPathJson, NeighbourResultJson, NodeRef, TransactionJson } from '../api/wire-types.js';

export interface FlowFact {
  readonly from: NodeRef;
  readonly to: NodeRef;
  readonly value: bigint;
  /** Transactions carrying it; null when the answer did not say (entity path hops). */
  readonly txCount: number | null;
  readonly firstTime: number | null;
  readonly lastTime: number | null;
}

/** A neighbour expansion: 'in' neighbours paid the subject, the subject paid 'out' ones. */
export function flowsOfNeighbours(result: NeighbourResultJson): FlowFact[] {
  return result.neighbours.map((n) => ({
    from: n.direction === 'in' ? n.node : result.subject,
    to: n.direction === 'in' ? result.subject : n.node,
    value: BigInt(n.value),
    txCount: n.txCount,
    firstTime: n.firstTime,
    lastTime: n.lastTime,
  }));
}

/**
 * A transaction's own edges: each input address paid the tx (its resolved inputs summed),
 * the tx paid each output address (its outputs summed). With `only`, just those addresses.
 */
export function flowsOfTransaction(tx: TransactionJson, only?: ReadonlySet<string>): FlowFact[] {
  const time = tx.placement?.blockTime ?? null;
  const txRef: NodeRef = { kind: 'tx', id: tx.txid };
  const sums = (entries: readonly { address: string | null; value: number | null }[]): Map<string, bigint> => {
    const totals = new Map<string, bigint>();
    for (const entry of entries) {
      if (entry.address === null || entry.value === null || (only !== undefined && !only.has(entry.address))) continue;
      totals.set(entry.address, (totals.get(entry.address) ?? 0n) + BigInt(entry.value));
    }
    return totals;
  };
  const facts: FlowFact[] = [];
  for (const [address, value] of sums(tx.inputs)) facts.push({ from: { kind: 'address', id: address }, to: txRef, value, txCount: 1, firstTime: time, lastTime: time });
  for (const [address, value] of sums(tx.outputs)) facts.push({ from: txRef, to: { kind: 'address', id: address }, value, txCount: 1, firstTime: time, lastTime: time });
  return facts;
}

/**
 * The hops of a path that carry no transaction (entity hops), oriented by their direction.
 * Address hops carry a txid; their two edges come from the transaction itself
 * ({@link flowsOfTransaction}), since a hop states only the receiving side's amount.
 */
export function flowsOfEntityHops(path: GraphPathJson): FlowFact[] {
  return path.hops
    .filter((hop) => hop.txid === undefined)
    .map((hop) => ({
      from: hop.direction === 'out' ? hop.from : hop.to,
      to: hop.direction === 'out' ? hop.to : hop.from,
      value: BigInt(hop.value),
      txCount: null,
      firstTime: null,
      lastTime: null,
    }));
}
