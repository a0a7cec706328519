/**
 * The payers report as the panel's tables: one row per payment to a seed (who funded it,
 * the nearest tagged service, hops, share, status, CoinJoin flag) and the payments grouped
 * by service with their totals (the subpoena list). Each row carries the money path it
 * stands on, so a click can put it on the canvas.
 */
import type { EntityRefJson, PathStepJson, PaymentRowJson, PaymentStatusJson, PayerReportJson, ServiceGroupJson, SourceRowJson, SubpoenaRequestJson } from '../api/report-wire-types.js';
import type { NodeRef } from '../api/wire-types.js';
import { formatBtc } from '../graph/btc-amount.js';
import { shortLabel } from '../render/graph-style.js';
import { entityName } from './report-format.js';
import { moneyOrder, type ReportPath } from './report-path.js';

export interface PaymentTableRow {
  /** `txid:vout` of the payment. */
  readonly id: string;
  readonly seed: string;
  readonly txid: string;
  readonly time: number | null;
  readonly height: number | null;
  readonly amount: bigint;
  /** The entity whose inputs paid, with its share; null when the payment's inputs are not in the store. */
  readonly fundedBy: { readonly name: string; readonly share: number } | null;
  /** The nearest tagged service (attributed, or the likeliest). */
  readonly service: { readonly name: string; readonly category: string | null; readonly hops: number; readonly share: number } | null;
  readonly status: PaymentStatusJson;
  readonly reason: string | null;
  readonly coinjoin: boolean;
  readonly flags: readonly string[];
  readonly path: ReportPath | null;
}

export interface RequestTableRow {
  /** `service|txid:vout` of the payment. */
  readonly id: string;
  readonly seed: string;
  readonly paymentTxid: string;
  readonly time: number | null;
  readonly status: PaymentStatusJson;
  readonly amount: bigint;
  readonly share: number;
  readonly hops: number;
  /** The service's own output on the path: what to ask the service about. */
  readonly withdrawal: PathStepJson;
  readonly path: ReportPath;
}

export interface ServiceTableGroup {
  readonly service: string;
  readonly category: string | null;
  readonly tagSources: readonly string[];
  readonly payments: number;
  readonly attributed: number;
  readonly payers: number;
  readonly amount: bigint;
  readonly attributedAmount: bigint;
  readonly requests: readonly RequestTableRow[];
}

function describe(seed: string, value: bigint, from: string, hops: number): string {
  return `payment of ${formatBtc(value)} BTC to ${shortLabel('address', seed, null)} from ${from}, ${hops} hop${hops === 1 ? '' : 's'}`;
}

function servicePath(steps: readonly PathStepJson[], entities: readonly EntityRefJson[], seed: string, value: bigint, service: string, hops: number): ReportPath {
  const source = entities.map((e) => e.node);
  const seedRef: NodeRef = { kind: 'address', id: seed };
  return { steps: moneyOrder(steps), source, destination: null, focus: source[0] ?? seedRef, description: describe(seed, value, service, hops) };
}

/** The largest part of the payment by amount, the first in report order on a tie. */
function largestSource(sources: readonly SourceRowJson[]): SourceRowJson | undefined {
  let best: SourceRowJson | undefined;
  for (const s of sources) if (best === undefined || BigInt(s.amount) > BigInt(best.amount)) best = s;
  return best;
}

/**
 * The path a payment row shows: to its attributed (or likeliest) service; otherwise to
 * where the largest part of the payment's walk ended (a CoinJoin, the hop limit, a
 * transaction the store does not hold), so an unattributed row shows why.
 */
export function paymentPath(row: PaymentRowJson): ReportPath | null {
  const value = BigInt(row.value);
  if (row.attribution !== null) return servicePath(row.attribution.path, row.attribution.entities, row.seed.address, value, row.attribution.service, row.attribution.hops);
  const source = largestSource(row.sources);
  if (source === undefined || source.path.length === 0) return null;
  const steps = moneyOrder(source.path);
  const entity = source.entity?.node ?? null;
  const focus: NodeRef = source.coinjoin !== null ? { kind: 'tx', id: source.coinjoin.txid } : (entity ?? { kind: 'address', id: row.seed.address });
  const where = source.coinjoin !== null ? `a CoinJoin (${source.coinjoin.rule})` : source.entity !== null ? entityName(source.entity) : `where the walk ended (${source.kind})`;
  return { steps, source: entity === null ? [] : [entity], destination: null, focus, description: describe(row.seed.address, value, where, source.hops) };
}

export function paymentRows(report: Pick<PayerReportJson, 'payments'>): PaymentTableRow[] {
  return report.payments.map((p) => {
    const candidate = p.attribution;
    return {
      id: `${p.txid}:${p.vout}`,
      seed: p.seed.address,
      txid: p.txid,
      time: p.time,
      height: p.height,
      amount: BigInt(p.value),
      fundedBy: p.fundedBy === null ? null : { name: entityName(p.fundedBy), share: p.fundedBy.share },
      service: candidate === null ? null : { name: candidate.service, category: candidate.category, hops: candidate.hops, share: candidate.share },
      status: p.status,
      reason: p.reason,
      coinjoin: p.flags.includes('coinjoin'),
      flags: p.flags,
      path: paymentPath(p),
    };
  });
}

function requestRow(group: ServiceGroupJson, r: SubpoenaRequestJson): RequestTableRow {
  const amount = BigInt(r.amount);
  return {
    id: `${group.service}|${r.paymentTxid}:${r.paymentVout}`,
    seed: r.seed,
    paymentTxid: r.paymentTxid,
    time: r.paymentTime,
    status: r.status,
    amount,
    share: r.share,
    hops: r.hops,
    withdrawal: r.withdrawal,
    path: servicePath(r.path, group.entities, r.seed, BigInt(r.paymentValue), group.service, r.hops),
  };
}

export function serviceGroups(report: Pick<PayerReportJson, 'services'>): ServiceTableGroup[] {
  return report.services.map((g) => ({
    service: g.service,
    category: g.category,
    tagSources: g.tagSources,
    payments: g.payments,
    attributed: g.attributed,
    payers: g.payers,
    amount: BigInt(g.amount),
    attributedAmount: BigInt(g.attributedAmount),
    requests: g.requests.map((r) => requestRow(g, r)),
  }));
}

export const STATUS_LABELS: Readonly<Record<PaymentStatusJson, string>> = {
  attributed: 'attributed',
  partial: 'partly attributed',
  ambiguous: 'ambiguous',
  coinjoin: 'through a CoinJoin',
  unattributed: 'unattributed',
};

/**
 * The report's summary as one sentence: `78 payments (0.40248281 BTC) to 53 of 100 seized
 * addresses: 60 attributed (0.28324144 BTC), 5 through a CoinJoin (...), ...`; statuses
 * with no payment are left out.
 */
export function payerSummaryText(summary: PayerReportJson['summary']): string {
  const parts = (Object.keys(STATUS_LABELS) as PaymentStatusJson[])
    .map((status) => ({ status, ...summary.byStatus[status] }))
    .filter((s) => s.payments > 0)
    .map((s) => `${s.payments} ${STATUS_LABELS[s.status]} (${formatBtc(BigInt(s.value))} BTC)`);
  const head = `${summary.payments} payment${summary.payments === 1 ? '' : 's'} (${formatBtc(BigInt(summary.value))} BTC) to ${summary.seedsPaid} of ${summary.seeds} seized addresses`;
  const excluded = summary.excluded > 0 ? `; ${summary.excluded} output${summary.excluded === 1 ? '' : 's'} paid by the site itself left out` : '';
  return `${head}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}${excluded}.`;
}
