/**
 * The payments grouped by the service they came from: per service, the list an
 * investigator sends it (US v. Gratkowski: the exchanges were subpoenaed for the customers
 * behind each withdrawal that paid the site). Each request names the service's own
 * transaction output on the path (its withdrawal, or the deposit it paid) and the payment
 * it funded; payments not attributed with certainty are listed with their status, never
 * silently merged into the certain ones.
 */
import type { EntityRef } from './entity-ref.js';
import type { PathStep } from './payer-walk.js';
import type { PaymentRow, PaymentStatus } from './payer-report.js';
import { shareOf } from './amounts.js';
import { cmp, nodeKey } from './store-view.js';

export interface SubpoenaRequest {
  readonly seed: string;
  readonly paymentTxid: string;
  readonly paymentVout: number;
  readonly paymentValue: bigint;
  readonly paymentTime: number | null;
  readonly status: PaymentStatus;
  /** Satoshis of the payment that came from this service, and their share of it. */
  readonly amount: bigint;
  readonly share: number;
  readonly hops: number;
  /** The service's transaction output on the path: what to ask it about. */
  readonly withdrawal: PathStep;
  readonly path: readonly PathStep[];
}

export interface ServiceGroup {
  readonly service: string;
  readonly category: string | null;
  readonly entities: readonly EntityRef[];
  readonly tagSources: readonly string[];
  readonly payments: number;
  /** Payments attributed to it with certainty (status attributed). */
  readonly attributed: number;
  /** Distinct seed addresses it paid. */
  readonly payers: number;
  readonly amount: bigint;
  readonly attributedAmount: bigint;
  readonly requests: readonly SubpoenaRequest[];
}

export function subpoenaList(payments: readonly PaymentRow[]): ServiceGroup[] {
  const groups = new Map<string, { service: string; category: string | null; entities: Map<string, EntityRef>; requests: SubpoenaRequest[] }>();
  for (const p of payments) {
    for (const c of p.candidates) {
      const group = groups.get(c.service) ?? { service: c.service, category: c.category, entities: new Map<string, EntityRef>(), requests: [] };
      for (const e of c.entities) group.entities.set(nodeKey(e.node), e);
      const withdrawal = c.path[c.path.length - 1] as PathStep;
      group.requests.push({
        seed: p.seed.address,
        paymentTxid: p.txid,
        paymentVout: p.vout,
        paymentValue: p.value,
        paymentTime: p.time,
        status: p.status,
        amount: c.amount,
        share: shareOf(c.amount, p.value),
        hops: c.hops,
        withdrawal,
        path: c.path,
      });
      groups.set(c.service, group);
    }
  }
  return [...groups.values()]
    .map((g) => {
      const requests = g.requests.sort((a, b) => cmp(a.withdrawal.txid, b.withdrawal.txid) || a.withdrawal.vout - b.withdrawal.vout || cmp(a.seed, b.seed) || cmp(a.paymentTxid, b.paymentTxid) || a.paymentVout - b.paymentVout);
      const attributed = requests.filter((r) => r.status === 'attributed');
      const entities = [...g.entities.entries()].sort(([a], [b]) => cmp(a, b)).map(([, e]) => e);
      return {
        service: g.service,
        category: g.category,
        entities,
        tagSources: [...new Set(entities.flatMap((e) => e.tags.map((t) => t.source)))].sort(cmp),
        payments: requests.length,
        attributed: attributed.length,
        payers: new Set(requests.map((r) => r.seed)).size,
        amount: requests.reduce((a, r) => a + r.amount, 0n),
        attributedAmount: attributed.reduce((a, r) => a + r.amount, 0n),
        requests,
      };
    })
    .sort((a, b) => (a.attributedAmount === b.attributedAmount ? (a.amount === b.amount ? cmp(a.service, b.service) : a.amount > b.amount ? -1 : 1) : a.attributedAmount > b.attributedAmount ? -1 : 1));
}
