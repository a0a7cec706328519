/**
 * Reports scored against a scenario world's truth.json (METHODS.md, "Evaluation"): for
 * payers, per paying user, whether their payments were attributed to the exchange they
 * really bought at, wrongly attributed, or left unattributed and why; for flows, per model,
 * the traced receipts, exits to exchanges and holdings against what the world says.
 */
import type { FlowModelResult, FlowReport, PayerReport, PaymentRow } from '@chaintrail/report';
import type { Truth } from '@chaintrail/scenario';
import type { GraphStore } from '@chaintrail/store';

export const UNATTRIBUTED_REASONS = ['coinjoin', 'untagged-exchange', 'hop-limit', 'not-ingested', 'ambiguous', 'partial', 'other'] as const;
export type UnattributedReason = (typeof UNATTRIBUTED_REASONS)[number];

export interface PayerScore {
  readonly payingUsers: number;
  /**
   * Users who did not mix and whose exchange is tagged where it paid them: the wallet that
   * made each of their funding withdrawals is an entity with a tag in the case. The target
   * population of the issue ("when their exchange is tagged and no CoinJoin intervenes").
   */
  readonly eligibleUsers: number;
  /** Users every payment of whom is attributed (status attributed) to their true exchange. */
  readonly correct: number;
  readonly eligibleCorrect: number;
  /** Users with any payment attributed with certainty to another service. */
  readonly wrong: number;
  readonly unattributed: number;
  readonly unattributedBy: Readonly<Record<UnattributedReason, number>>;
  readonly payments: { readonly total: number; readonly inReport: number; readonly right: number; readonly wrong: number };
}

function norm(text: string | null | undefined): string {
  return (text ?? '').trim().toLowerCase();
}

/**
 * Users whose every funding withdrawal (truth's `fundedBy`) was made by an entity that has a
 * tag in the store: their exchange is tagged as the case sees it. An exchange with tagged
 * addresses elsewhere (a cold wallet never co-spent with the hot one) is not.
 */
export async function usersWithTaggedFunder(store: GraphStore, truth: Truth): Promise<Set<string>> {
  const tagged = new Map<string, boolean>();
  const funderTagged = async (txid: string): Promise<boolean> => {
    const known = tagged.get(txid);
    if (known !== undefined) return known;
    let result = false;
    if ((await store.hasTransactions([txid])).length > 0) {
      for (const input of (await store.getTransaction(txid)).inputs) {
        if (input.address === null) continue;
        const entityId = (await store.addressSummary(input.address)).entityId;
        const tags = entityId !== null ? await store.tagsByEntity(entityId) : await store.tagsByAddress(input.address);
        if (tags.length > 0) result = true;
      }
    }
    tagged.set(txid, result);
    return result;
  };
  const untagged = new Set<string>();
  const users = new Set<string>();
  for (const p of truth.payments) {
    users.add(p.user);
    if (!(await funderTagged(p.fundedBy))) untagged.add(p.user);
  }
  return new Set([...users].filter((u) => !untagged.has(u)));
}

/** `taggedFunders`: users whose exchange is tagged as the case sees it ({@link usersWithTaggedFunder}). */
export function scorePayers(report: PayerReport, truth: Truth, taggedFunders: ReadonlySet<string>): PayerScore {
  const labelOf = new Map(truth.entities.map((e) => [e.id, e.label ?? e.id]));
  const rows = new Map(report.payments.map((p) => [`${p.txid}:${p.vout}`, p]));
  const byUser = new Map<string, { exchange: string; route: string; rows: (PaymentRow | undefined)[] }>();
  for (const p of truth.payments) {
    const user = byUser.get(p.user) ?? { exchange: p.exchange, route: p.route, rows: [] };
    user.rows.push(rows.get(`${p.txid}:${p.vout}`));
    byUser.set(p.user, user);
  }
  const unattributedBy = Object.fromEntries(UNATTRIBUTED_REASONS.map((r) => [r, 0])) as Record<UnattributedReason, number>;
  let eligibleUsers = 0;
  let correct = 0;
  let eligibleCorrect = 0;
  let wrong = 0;
  let right = 0;
  let wrongPayments = 0;
  let inReport = 0;
  for (const [id, user] of byUser) {
    const truthLabel = norm(labelOf.get(user.exchange));
    const viaCoinjoin = user.route === 'whirlpool' || user.route === 'wasabi';
    const eligible = !viaCoinjoin && taggedFunders.has(id);
    if (eligible) eligibleUsers++;
    let allRight = true;
    let anyWrong = false;
    for (const row of user.rows) {
      if (row) inReport++;
      const attributedTo = row?.status === 'attributed' ? norm(row.attribution?.service) : null;
      if (attributedTo === truthLabel) right++;
      else allRight = false;
      if (attributedTo !== null && attributedTo !== truthLabel) {
        anyWrong = true;
        wrongPayments++;
      }
    }
    if (anyWrong) wrong++;
    else if (allRight) {
      correct++;
      if (eligible) eligibleCorrect++;
    } else unattributedBy[unattributedReason(user.rows, viaCoinjoin, taggedFunders.has(id))]++;
  }
  return {
    payingUsers: byUser.size,
    eligibleUsers,
    correct,
    eligibleCorrect,
    wrong,
    unattributed: byUser.size - correct - wrong,
    unattributedBy,
    payments: { total: truth.payments.length, inReport, right, wrong: wrongPayments },
  };
}

function unattributedReason(rows: readonly (PaymentRow | undefined)[], viaCoinjoin: boolean, exchangeTagged: boolean): UnattributedReason {
  if (viaCoinjoin) return 'coinjoin';
  if (!exchangeTagged) return 'untagged-exchange';
  const miss = rows.find((r) => r?.status !== 'attributed');
  if (miss === undefined) return 'other';
  if (miss.status === 'ambiguous' || miss.status === 'partial' || miss.status === 'coinjoin') return miss.status;
  if (miss.reason === 'hop-limit' || miss.reason === 'not-ingested') return miss.reason;
  return 'other';
}

export interface FlowScore {
  readonly model: string;
  readonly balanced: boolean;
  readonly received: bigint;
  readonly truthReceived: bigint;
  /** Unspent outputs of the site and the operator, traced vs truth. */
  readonly held: bigint;
  readonly truthHeld: bigint;
  /** Site or operator money arriving at exchange-owned entities, traced vs truth's exits. */
  readonly exitsToExchanges: bigint;
  readonly truthExitsToExchanges: bigint;
  /** Exchanges whose traced exits equal the truth to the satoshi, of those the truth has exits to. */
  readonly exchangesExact: number;
  readonly exchanges: number;
}

/** Scores each model's result of a flow report traced from the case's seeds. */
export function scoreFlows(report: FlowReport, truth: Truth): FlowScore[] {
  const ownerOfAddress = new Map(truth.addresses.map((a) => [a.address, a.owner]));
  const siteSide = (owner: string | undefined): boolean => owner === 'site' || owner === 'operator';
  const truthExits = new Map<string, bigint>();
  for (const e of truth.siteExits) if (e.kind === 'exchange-deposit') truthExits.set(e.to, (truthExits.get(e.to) ?? 0n) + BigInt(e.value));
  const truthHeld = truth.siteHoldings.reduce((a, h) => a + BigInt(h.value), 0n);
  return report.results.map((r) => scoreModel(r, ownerOfAddress, siteSide, truthExits, truthHeld, truth));
}

function scoreModel(r: FlowModelResult, ownerOfAddress: ReadonlyMap<string, string>, siteSide: (o: string | undefined) => boolean, truthExits: ReadonlyMap<string, bigint>, truthHeld: bigint, truth: Truth): FlowScore {
  const ownerOfNode = new Map<string, string | undefined>();
  for (const d of r.destinations) ownerOfNode.set(`${d.entity.node.kind}:${d.entity.node.id}`, ownerOfAddress.get(d.path[d.path.length - 1]?.address ?? ''));
  const exits = new Map<string, bigint>();
  for (const e of r.edges) {
    const from = e.from === null ? 'site' : ownerOfNode.get(`${e.from.kind}:${e.from.id}`);
    const to = ownerOfNode.get(`${e.to.kind}:${e.to.id}`);
    if (!siteSide(from) || siteSide(to) || to === undefined || !to.startsWith('exchange:')) continue;
    exits.set(to, (exits.get(to) ?? 0n) + e.amount);
  }
  let held = 0n;
  for (const h of r.holdings) {
    const owner = h.holder === null ? 'site' : ownerOfNode.get(`${h.holder.kind}:${h.holder.id}`);
    if (siteSide(owner)) held += h.tainted;
  }
  const sum = (m: ReadonlyMap<string, bigint>): bigint => [...m.values()].reduce((a, b) => a + b, 0n);
  return {
    model: r.model.name,
    balanced: r.reconciliation.balanced && r.reconciliation.downstream.balanced,
    received: r.reconciliation.received,
    truthReceived: BigInt(truth.summary.site.received),
    held,
    truthHeld,
    exitsToExchanges: sum(exits),
    truthExitsToExchanges: sum(truthExits),
    exchangesExact: [...truthExits].filter(([owner, value]) => exits.get(owner) === value).length,
    exchanges: truthExits.size,
  };
}
