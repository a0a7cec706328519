/**
 * Reports as CSV tables for spreadsheets (RFC 4180: CRLF, quoted when needed). Every row
 * carries the chain tip the report was computed at; the JSON form holds everything else.
 * Text that would start a spreadsheet formula (= + - @) is prefixed with a quote, since
 * labels come from outside tag files.
 */
import type { FlowReport } from './flow-report.js';
import type { PathStep } from './payer-walk.js';
import type { PayerReport } from './payer-report.js';
import type { EntityRef } from './entity-ref.js';

type Cell = string | number | bigint | boolean | null;

function cell(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

function pathText(path: readonly PathStep[]): string {
  return path.map((s) => `${s.txid}:${s.vout}`).join(' < ');
}

function isoTime(time: number | null): string | null {
  return time === null ? null : new Date(time * 1000).toISOString();
}

function tagSources(entities: readonly EntityRef[]): string {
  return [...new Set(entities.flatMap((e) => e.tags.map((t) => t.source)))].sort().join(' ');
}

/** One row per payment to a seed address. */
export function payerPaymentsCsv(report: PayerReport): string {
  const tip = [report.computedAt.height, report.computedAt.hash] as const;
  return table(
    ['seed_line', 'seed_address', 'txid', 'vout', 'height', 'block_hash', 'time_utc', 'value_sats', 'value_btc', 'status', 'reason', 'funded_by_entity', 'funded_by_label', 'service', 'service_category', 'service_entities', 'service_sats', 'service_share', 'hops', 'path', 'tag_sources', 'flags', 'computed_at_height', 'computed_at_hash'],
    report.payments.map((p) => [
      p.seed.line,
      p.seed.address,
      p.txid,
      p.vout,
      p.height,
      p.blockHash,
      isoTime(p.time),
      p.value,
      p.btc,
      p.status,
      p.reason,
      p.fundedBy?.node.id ?? null,
      p.fundedBy?.label ?? null,
      p.attribution?.service ?? null,
      p.attribution?.category ?? null,
      p.attribution?.entities.map((e) => e.node.id).join(' ') ?? null,
      p.attribution?.amount ?? null,
      p.attribution?.share ?? null,
      p.attribution?.hops ?? null,
      p.attribution ? pathText(p.attribution.path) : null,
      p.attribution ? tagSources(p.attribution.entities) : null,
      p.flags.join(' '),
      ...tip,
    ]),
  );
}

/** The subpoena list: one row per payment a service funded, grouped by service. */
export function payerServicesCsv(report: PayerReport): string {
  const tip = [report.computedAt.height, report.computedAt.hash] as const;
  return table(
    ['service', 'category', 'entities', 'tag_sources', 'status', 'seed_address', 'payment_txid', 'payment_vout', 'payment_time_utc', 'payment_sats', 'from_service_sats', 'share', 'hops', 'withdrawal_txid', 'withdrawal_vout', 'withdrawal_address', 'withdrawal_sats', 'path', 'computed_at_height', 'computed_at_hash'],
    report.services.flatMap((s) =>
      s.requests.map((r) => [
        s.service,
        s.category,
        s.entities.map((e) => e.node.id).join(' '),
        s.tagSources.join(' '),
        r.status,
        r.seed,
        r.paymentTxid,
        r.paymentVout,
        isoTime(r.paymentTime),
        r.paymentValue,
        r.amount,
        r.share,
        r.hops,
        r.withdrawal.txid,
        r.withdrawal.vout,
        r.withdrawal.address,
        r.withdrawal.value,
        pathText(r.path),
        ...tip,
      ]),
    ),
  );
}

/** One row per destination entity and flow model. */
export function flowDestinationsCsv(report: FlowReport): string {
  const tip = [report.computedAt.height, report.computedAt.hash] as const;
  return table(
    ['model', 'model_version', 'entity_kind', 'entity_id', 'label', 'category', 'hops', 'received_sats', 'share_of_receipts', 'at_service_sats', 'unspent_sats', 'passed_on_sats', 'beyond_hop_limit_sats', 'into_coinjoin_sats', 'walk_limit_sats', 'unspent_outputs', 'path', 'tag_sources', 'computed_at_height', 'computed_at_hash'],
    report.results.flatMap((r) =>
      r.destinations.map((d) => [
        r.model.name,
        r.model.version,
        d.entity.node.kind,
        d.entity.node.id,
        d.entity.label,
        d.entity.category,
        d.hops,
        d.received,
        d.share,
        d.atService,
        d.unspent,
        d.passedOn,
        d.beyondHopLimit,
        d.intoCoinjoin,
        d.walkLimit,
        d.holdings.map((h) => `${h.txid}:${h.vout}`).join(' '),
        pathText(d.path),
        tagSources([d.entity]),
        ...tip,
      ]),
    ),
  );
}
