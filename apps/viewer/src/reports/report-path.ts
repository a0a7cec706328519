/**
 * A report row's money path, as the canvas draws it. Reports state a path as the outputs
 * it runs through (`txid:vout` paid `address`); on the canvas that is
 * transaction → address → transaction → ... with each edge's amount read from the
 * transaction itself (an address may pay a transaction with several inputs), so a path
 * from a report and the same hops found by expanding are the same edges.
 */
import type { NodeRef, TransactionJson } from '../api/wire-types.js';
import type { PathStepJson } from '../api/report-wire-types.js';
import { flowsOfTransaction, type FlowFact } from '../graph/flow-facts.js';

export interface ReportPath {
  /** In the direction money moved: the first step's transaction was paid by `source`, the last step's address received last. */
  readonly steps: readonly PathStepJson[];
  /** Who paid the first transaction, as the report names it (a service's entities, the origin's entities); empty when it names none. */
  readonly source: readonly NodeRef[];
  /** The entity that received at the end, when the report names one (flows: the destination). */
  readonly destination: NodeRef | null;
  /** The node the side panel shows once the path is drawn. */
  readonly focus: NodeRef;
  /** For the highlight note: "payment of 0.00862069 BTC to 1QGb… from northwind exchange, 2 hops". */
  readonly description: string;
}

/** The path's transactions and addresses in money order: tx, address, tx, address, ... */
export function pathNodes(path: Pick<ReportPath, 'steps'>): NodeRef[] {
  const nodes: NodeRef[] = [];
  for (const step of path.steps) {
    nodes.push({ kind: 'tx', id: step.txid });
    if (step.address !== null) nodes.push({ kind: 'address', id: step.address });
  }
  return nodes;
}

/** Payer reports walk backward: their paths start at the payment and end at the service's output. */
export function moneyOrder(stepsFromPayment: readonly PathStepJson[]): PathStepJson[] {
  return [...stepsFromPayment].reverse();
}

export class MissingPathTransactionError extends Error {
  readonly code = 'CHAINTRAIL_VIEWER_PATH_INCOMPLETE';
  constructor(txid: string) {
    super(`Transaction ${txid} of the report's path did not come back from the API; the path cannot be drawn with exact amounts. Run the report again (the store may have changed since).`);
    this.name = 'MissingPathTransactionError';
  }
}

/**
 * The edges along the path, exact from the transactions: each transaction paid its step's
 * address, and was paid by the address of the step before. When an input's value is not in
 * the store (unresolved), the spent output's own value stands for it: the report states it.
 */
export function flowsAlongPath(path: Pick<ReportPath, 'steps'>, txs: ReadonlyMap<string, TransactionJson>): FlowFact[] {
  const facts: FlowFact[] = [];
  path.steps.forEach((step, i) => {
    const tx = txs.get(step.txid);
    if (tx === undefined) throw new MissingPathTransactionError(step.txid);
    const before = i > 0 ? path.steps[i - 1]! : null;
    const own = flowsOfTransaction(tx, new Set([before?.address, step.address].filter((a): a is string => a !== null && a !== undefined)));
    const paidIn = before?.address == null ? undefined : own.find((f) => f.to.kind === 'tx' && f.from.id === before.address);
    if (before !== null && before.address !== null) {
      const time = tx.placement?.blockTime ?? null;
      facts.push(paidIn ?? { from: { kind: 'address', id: before.address }, to: { kind: 'tx', id: tx.txid }, value: BigInt(before.value), txCount: 1, firstTime: time, lastTime: time });
    }
    const paidOut = step.address === null ? undefined : own.find((f) => f.from.kind === 'tx' && f.to.id === step.address);
    if (paidOut !== undefined) facts.push(paidOut);
  });
  return facts;
}

/** What the source's own addresses paid into the path's first transaction (its inputs from them). */
export function sourceFlows(firstTx: TransactionJson, sourceAddresses: ReadonlySet<string>): FlowFact[] {
  return flowsOfTransaction(firstTx, sourceAddresses).filter((f) => f.to.kind === 'tx');
}

/** Input addresses of the first transaction that the report's source names directly (lone addresses). */
export function directSourceAddresses(firstTx: TransactionJson, source: readonly NodeRef[]): Set<string> {
  const named = new Set(source.filter((n) => n.kind === 'address').map((n) => n.id));
  return new Set(firstTx.inputs.map((i) => i.address).filter((a): a is string => a !== null && named.has(a)));
}

/** The source's entities, by id. */
export function sourceEntities(path: Pick<ReportPath, 'source'>): Set<string> {
  return new Set(path.source.filter((n) => n.kind === 'entity').map((n) => n.id));
}
