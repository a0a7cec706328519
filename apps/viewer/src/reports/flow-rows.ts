/**
 * The flows (forfeiture) report as the panel's tables, for one flow model at a time: per
 * destination entity the amount traced, its share of the origin's receipts, what is still
 * unspent there (seizable) and what sits at a tagged service, with the money path to it;
 * and the reconciliation, checked again here to the satoshi rather than taken on trust.
 */
import type { FlowModelNameJson, FlowModelResultJson, FlowReconciliationJson, FlowReportJson } from '../api/report-wire-types.js';
import type { NodeRef } from '../api/wire-types.js';
import { formatBtc } from '../graph/btc-amount.js';
import { entityName } from './report-format.js';
import type { ReportPath } from './report-path.js';

export interface DestinationTableRow {
  /** `model|kind:id` of the destination. */
  readonly id: string;
  readonly name: string;
  readonly category: string | null;
  readonly node: NodeRef;
  readonly hops: number;
  readonly received: bigint;
  readonly share: number;
  readonly atService: bigint;
  readonly unspent: bigint;
  readonly passedOn: bigint;
  /** Unspent outputs holding traced money there. */
  readonly holdings: number;
  readonly path: ReportPath | null;
}

export function modelResult(report: Pick<FlowReportJson, 'results'>, model: FlowModelNameJson): FlowModelResultJson | undefined {
  return report.results.find((r) => r.model.name === model);
}

export function destinationRows(report: Pick<FlowReportJson, 'results' | 'origin'>, model: FlowModelNameJson): DestinationTableRow[] {
  const result = modelResult(report, model);
  if (result === undefined) return [];
  const source = report.origin.entities.map((e) => e.node);
  return result.destinations.map((d) => {
    const received = BigInt(d.received);
    const name = entityName(d.entity);
    return {
      id: `${model}|${d.entity.node.kind}:${d.entity.node.id}`,
      name,
      category: d.entity.category,
      node: d.entity.node,
      hops: d.hops,
      received,
      share: d.share,
      atService: BigInt(d.atService),
      unspent: BigInt(d.unspent),
      passedOn: BigInt(d.passedOn),
      holdings: d.holdings.length,
      path:
        d.path.length === 0
          ? null
          : { steps: d.path, source, destination: d.entity.node, focus: d.entity.node, description: `${formatBtc(received)} BTC traced to ${name} under ${model}, ${d.hops} hop${d.hops === 1 ? '' : 's'}` },
    };
  });
}

export interface ReconciliationTerm {
  readonly label: string;
  readonly sats: bigint;
}

export interface ReconciliationCheck {
  /** What entered the trace: the origin's receipts, traced money that came back, poison's contamination. */
  readonly incoming: readonly ReconciliationTerm[];
  /** Where it went: traced out, fees, still unspent at the origin, left by the walk limit. */
  readonly outgoing: readonly ReconciliationTerm[];
  readonly incomingTotal: bigint;
  readonly outgoingTotal: bigint;
  /** Both sides equal, recomputed here, and the report says so too. */
  readonly balanced: boolean;
  /** The report's own verdict disagrees with the sums shown (a report to distrust). */
  readonly disagrees: boolean;
}

const total = (terms: readonly ReconciliationTerm[]): bigint => terms.reduce((sum, t) => sum + t.sats, 0n);

/** received + returned + contaminated = traced out + fees + unspent + walk limit, to the satoshi. */
export function reconcile(rec: FlowReconciliationJson): ReconciliationCheck {
  const incoming = [
    { label: `received (${rec.receipts} payments)`, sats: BigInt(rec.received) },
    { label: 'came back to the origin', sats: BigInt(rec.returned) },
    { label: 'contaminated (poison)', sats: BigInt(rec.contaminated) },
  ];
  const outgoing = [
    { label: 'traced out', sats: BigInt(rec.tracedOut) },
    { label: 'fees', sats: BigInt(rec.fees) },
    { label: 'unspent at the origin', sats: BigInt(rec.unspent) },
    { label: 'stopped by the transaction limit', sats: BigInt(rec.walkLimit) },
  ];
  const incomingTotal = total(incoming);
  const outgoingTotal = total(outgoing);
  const sumsAgree = incomingTotal === outgoingTotal;
  return { incoming, outgoing, incomingTotal, outgoingTotal, balanced: sumsAgree && rec.balanced, disagrees: sumsAgree !== rec.balanced };
}
