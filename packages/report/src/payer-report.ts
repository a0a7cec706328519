/**
 * Payer identification: for every seed (deposit) address of a case, each incoming payment,
 * the entity that paid it and the nearest tagged service behind it, with the path of
 * transactions and the share of the payment that came from there; then the payments
 * grouped by service, the list an investigator sends to each exchange (subpoena-list.ts).
 *
 * A payment is *attributed* only when the walk reached exactly one service (one label the
 * tags agree on), no part of it went through a CoinJoin, and that service accounts for at
 * least `minShare` of the payment. Everything else is reported with its status and reason
 * rather than guessed: several services (ambiguous), a smaller share (partial), a CoinJoin
 * on the trail (coinjoin), or nothing tagged within reach (unattributed, and why).
 */
import type { CaseRecord, GraphStore, NodeRef } from '@chaintrail/store';
import { caseSeedList } from './case-seeds.js';
import { btcString, shareOf, sum } from './amounts.js';
import { entityRef, serviceIdentity, serviceName, type EntityRef } from './entity-ref.js';
import { reportHeader, type MethodRecord, type ReportHeader } from './report-header.js';
import { BadReportOptionsError } from './report-errors.js';
import { walkPayment, type PathStep, type PayerSource, type PayerSourceKind } from './payer-walk.js';
import { subpoenaList, type ServiceGroup } from './subpoena-list.js';
import { cmp, nodeKey, StoreView, type NodeInfo, type TagSummary } from './store-view.js';

export interface PayerReportOptions {
  /** Transactions walked back from each payment, its own included. Default 8. */
  readonly hopLimit?: number;
  /** Share of a payment one service must account for to be attributed (0 to 1). Default 0.9. */
  readonly minShare?: number;
  /** Transactions read per payment before the walk gives up (a huge untagged service). Default 2,000. */
  readonly maxTxsPerPayment?: number;
}

export const PAYER_DEFAULTS = { hopLimit: 8, minShare: 0.9, maxTxsPerPayment: 2_000 } as const;

export type PaymentStatus = 'attributed' | 'partial' | 'ambiguous' | 'coinjoin' | 'unattributed';
export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['attributed', 'partial', 'ambiguous', 'coinjoin', 'unattributed'];

/** One service a payment's money came from (all its entities together). */
export interface ServiceCandidate {
  /** The service's label (or entity id when its tags conflict). */
  readonly service: string;
  readonly category: string | null;
  readonly entities: readonly EntityRef[];
  readonly amount: bigint;
  readonly share: number;
  /** Nearest hop at which the walk met it. */
  readonly hops: number;
  /** Payment output first; the last step is the output of the service's transaction (its withdrawal). */
  readonly path: readonly PathStep[];
}

export interface SourceRow {
  readonly kind: PayerSourceKind;
  readonly amount: bigint;
  readonly share: number;
  readonly hops: number;
  readonly path: readonly PathStep[];
  readonly entity: EntityRef | null;
  readonly coinjoin: { readonly txid: string; readonly rule: string } | null;
}

export interface PaymentRow {
  readonly seed: { readonly address: string; readonly line: number; readonly file: string | null; readonly tags: readonly TagSummary[] };
  readonly txid: string;
  readonly vout: number;
  readonly height: number | null;
  readonly blockHash: string | null;
  /** Block time, Unix seconds. */
  readonly time: number | null;
  readonly value: bigint;
  readonly btc: string;
  /** The entity whose inputs paid (largest share), with its share. */
  readonly fundedBy: (EntityRef & { readonly amount: bigint; readonly share: number }) | null;
  readonly status: PaymentStatus;
  /** What kept it from being attributed (largest unattributed part), or null when attributed. */
  readonly reason: PayerSourceKind | 'several-services' | 'tag-conflict' | 'below-share' | null;
  /** The service the payment is attributed to (attributed, partial), or the likeliest one otherwise. */
  readonly attribution: ServiceCandidate | null;
  readonly candidates: readonly ServiceCandidate[];
  /** Every end of the walk, with its amount and path; the amounts add up to the payment. */
  readonly sources: readonly SourceRow[];
  /** `coinjoin`, `tag-conflict`, and `category:<c>` for each tag category met (seed included): `category:sanction`. */
  readonly flags: readonly string[];
}

export interface ExcludedOutput {
  readonly seed: string;
  readonly txid: string;
  readonly vout: number;
  readonly value: bigint;
  /** 'from-the-site': paid by the site's own entity (a sweep into its wallet address), not by a user. */
  readonly reason: 'from-the-site';
}

export interface PayerSummary {
  readonly seeds: number;
  readonly seedsPaid: number;
  readonly payments: number;
  readonly value: bigint;
  readonly byStatus: Readonly<Record<PaymentStatus, { readonly payments: number; readonly value: bigint }>>;
  /** Unattributed and coinjoin payments by the reason that carried most of their value. */
  readonly byReason: Readonly<Record<string, { readonly payments: number; readonly value: bigint }>>;
  readonly excluded: number;
}

export type PayerReport = ReportHeader & {
  readonly summary: PayerSummary;
  readonly payments: readonly PaymentRow[];
  readonly services: readonly ServiceGroup[];
  readonly excluded: readonly ExcludedOutput[];
};

export const PAYER_ATTRIBUTION_METHOD: MethodRecord = {
  name: 'payer-attribution',
  version: 1,
  rule: "Each payment's satoshis are traced to its transaction's inputs in proportion to their values (largest remainder, exact), inputs grouped by entity; a tagged entity ends the walk (its share came from it), a CoinJoin-flagged transaction ends it with a flag, an untagged entity is walked through to its own funding, up to the hop limit. Attributed only if one service, no CoinJoin, and at least the minimum share.",
  source: 'Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013 (entities and tags); haircut (BlockSci taint.cpp) read backward; US v. Gratkowski, 5th Cir. 2020 (the investigative step)',
};

function checkOptions(options: PayerReportOptions): Required<PayerReportOptions> {
  const o = { ...PAYER_DEFAULTS, ...options };
  if (!Number.isInteger(o.hopLimit) || o.hopLimit < 1 || o.hopLimit > 50) throw new BadReportOptionsError(`hop limit must be a whole number from 1 to 50, not ${o.hopLimit}`);
  if (!(o.minShare > 0 && o.minShare <= 1)) throw new BadReportOptionsError(`minimum share must be above 0 and at most 1, not ${o.minShare}`);
  if (!Number.isInteger(o.maxTxsPerPayment) || o.maxTxsPerPayment < 1) throw new BadReportOptionsError(`transactions per payment must be a whole number of at least 1, not ${o.maxTxsPerPayment}`);
  return o;
}

async function candidatesOf(view: StoreView, sources: readonly PayerSource[], value: bigint): Promise<ServiceCandidate[]> {
  const byIdentity = new Map<string, { infos: Map<string, NodeInfo>; amount: bigint; nearest: PayerSource; first: NodeInfo }>();
  for (const source of sources) {
    if (source.kind !== 'service' || source.node === null) continue;
    const info = await view.shown(source.node);
    const id = serviceIdentity(info);
    const group = byIdentity.get(id);
    if (group === undefined) {
      byIdentity.set(id, { infos: new Map([[nodeKey(info.node), info]]), amount: source.amount, nearest: source, first: info });
      continue;
    }
    group.infos.set(nodeKey(info.node), info);
    group.amount += source.amount;
    if (source.hops < group.nearest.hops || (source.hops === group.nearest.hops && source.amount > group.nearest.amount)) group.nearest = source;
  }
  return [...byIdentity.entries()]
    .map(([id, g]) => ({ id, g }))
    .sort((a, b) => (a.g.amount === b.g.amount ? cmp(a.id, b.id) : a.g.amount > b.g.amount ? -1 : 1))
    .map(({ g }) => ({
      service: serviceName(g.first),
      category: g.first.category,
      entities: [...g.infos.entries()].sort(([a], [b]) => cmp(a, b)).map(([, info]) => entityRef(info)),
      amount: g.amount,
      share: shareOf(g.amount, value),
      hops: g.nearest.hops,
      path: g.nearest.path,
    }));
}

function classify(sources: readonly PayerSource[], candidates: readonly ServiceCandidate[], value: bigint, minShare: number): Pick<PaymentRow, 'status' | 'reason'> {
  const largestOther = [...sources].filter((s) => s.kind !== 'service').sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1))[0];
  if (sources.some((s) => s.kind === 'coinjoin')) return { status: 'coinjoin', reason: 'coinjoin' };
  const top = candidates[0];
  if (top === undefined) return { status: 'unattributed', reason: largestOther?.kind ?? 'not-ingested' };
  if (candidates.length > 1) return { status: 'ambiguous', reason: 'several-services' };
  if (top.entities.some((e) => e.conflicts.length > 0)) return { status: 'ambiguous', reason: 'tag-conflict' };
  // Compared in basis points so that the threshold means the same on every platform.
  if ((top.amount * 10_000n) / (value === 0n ? 1n : value) < BigInt(Math.round(minShare * 10_000))) return { status: 'partial', reason: 'below-share' };
  return { status: 'attributed', reason: null };
}

async function sourceRows(view: StoreView, sources: readonly PayerSource[], value: bigint): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for (const s of sources) {
    const entity = s.node ? entityRef(await view.shown(s.node)) : null;
    rows.push({ kind: s.kind, amount: s.amount, share: shareOf(s.amount, value), hops: s.hops, path: s.path, entity, coinjoin: s.coinjoin });
  }
  return rows;
}

function flagsOf(seedTags: readonly TagSummary[], candidates: readonly ServiceCandidate[], sources: readonly PayerSource[]): string[] {
  const flags = new Set<string>();
  if (sources.some((s) => s.kind === 'coinjoin')) flags.add('coinjoin');
  for (const c of candidates) {
    for (const e of c.entities) {
      if (e.conflicts.length > 0) flags.add('tag-conflict');
      for (const t of e.tags) if (t.category) flags.add(`category:${t.category}`);
    }
  }
  for (const t of seedTags) if (t.category) flags.add(`category:${t.category}`);
  return [...flags].sort(cmp);
}

export async function buildPayerReport(store: GraphStore, record: CaseRecord, options: PayerReportOptions = {}): Promise<PayerReport> {
  const o = checkOptions(options);
  const view = new StoreView(store);
  const seeds = await caseSeedList(store, record.id);
  const siteNodes = new Set<string>();
  for (const seed of seeds) siteNodes.add(nodeKey(await view.nodeOf(seed.address)));

  const payments: PaymentRow[] = [];
  const excluded: ExcludedOutput[] = [];
  let seedsPaid = 0;
  for (const seed of seeds) {
    const outputs = await view.addressOutputs(seed.address);
    const seedTags = (await view.shown({ kind: 'address', id: seed.address })).tags;
    let paid = false;
    for (const output of outputs) {
      const tx = await view.tx(output.txid);
      const inputNodes: NodeRef[] = [];
      for (const input of tx?.inputs ?? []) if (input.resolved && input.address !== null) inputNodes.push(await view.nodeOf(input.address));
      if (inputNodes.some((n) => siteNodes.has(nodeKey(n)))) {
        excluded.push({ seed: seed.address, txid: output.txid, vout: output.vout, value: BigInt(output.value), reason: 'from-the-site' });
        continue;
      }
      paid = true;
      const value = BigInt(output.value);
      const step: PathStep = { txid: output.txid, vout: output.vout, address: seed.address, value: output.value };
      const walk = await walkPayment(view, step, { hopLimit: o.hopLimit, maxTxs: o.maxTxsPerPayment, siteNodes });
      const candidates = await candidatesOf(view, walk.sources, value);
      const { status, reason } = classify(walk.sources, candidates, value, o.minShare);
      const funder = walk.funding[0];
      const fundedBy = funder ? { ...entityRef(await view.shown(funder.node)), amount: funder.amount, share: shareOf(funder.amount, value) } : null;
      payments.push({
        seed: { address: seed.address, line: seed.line, file: seed.file ?? null, tags: seedTags },
        txid: output.txid,
        vout: output.vout,
        height: output.height,
        blockHash: tx?.placement?.blockHash ?? null,
        time: output.time,
        value,
        btc: btcString(value),
        fundedBy,
        status,
        reason,
        attribution: candidates[0] ?? null,
        candidates,
        sources: await sourceRows(view, walk.sources, value),
        flags: flagsOf(seedTags, candidates, walk.sources),
      });
    }
    if (paid) seedsPaid++;
  }

  const byStatus = Object.fromEntries(PAYMENT_STATUSES.map((s) => [s, { payments: 0, value: 0n }])) as Record<PaymentStatus, { payments: number; value: bigint }>;
  const byReason: Record<string, { payments: number; value: bigint }> = {};
  for (const p of payments) {
    byStatus[p.status].payments++;
    byStatus[p.status].value += p.value;
    if (p.reason !== null) {
      const r = (byReason[p.reason] ??= { payments: 0, value: 0n });
      r.payments++;
      r.value += p.value;
    }
  }
  const summary: PayerSummary = {
    seeds: seeds.length,
    seedsPaid,
    payments: payments.length,
    value: sum(payments.map((p) => p.value)),
    byStatus,
    byReason: Object.fromEntries(Object.entries(byReason).sort(([a], [b]) => cmp(a, b))),
    excluded: excluded.length,
  };
  const parameters = { hopLimit: o.hopLimit, minShare: o.minShare, maxTxsPerPayment: o.maxTxsPerPayment };
  const header = await reportHeader(store, view, record, 'payers', parameters, [PAYER_ATTRIBUTION_METHOD]);
  return { ...header, summary, payments, services: subpoenaList(payments), excluded };
}
