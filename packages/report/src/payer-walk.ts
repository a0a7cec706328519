/**
 * Walking backward from one payment to the nearest tagged services that funded it
 * (DESIGN.md, "Report and export"). The payment's satoshis are traced to the inputs of its
 * transaction in proportion to their values (haircut read backward, exact to the satoshi
 * by largest remainder), inputs are grouped by entity, and:
 * - an entity with tags ends the walk there: that part of the payment came from it;
 * - a CoinJoin-flagged transaction ends the walk with a flag: who put money into a mix is
 *   not guessed through (METHODS.md, "CoinJoin detection");
 * - an untagged entity is walked through to the transactions that paid it, one hop more;
 * - the site's own entities (money coming back from the site), coinbases, transactions not
 *   in the store and the hop and size limits end the walk unattributed, each named.
 * Hop 1 is the payment's own transaction: its inputs' entity is the one that paid.
 */
import { proportionalShares } from '@chaintrail/core';
import type { InputRecord, NodeRef } from '@chaintrail/store';
import { cmp, isTagged, nodeKey, type StoreView } from './store-view.js';

/** One output on a money path: `txid:vout` paid `address`, and the step before it spent that output. */
export interface PathStep {
  readonly txid: string;
  readonly vout: number;
  readonly address: string | null;
  /** Satoshis of that output. */
  readonly value: number;
}

export type PayerSourceKind = 'service' | 'coinjoin' | 'site' | 'coinbase' | 'hop-limit' | 'not-ingested' | 'walk-limit';

/** Where part of a payment came from. */
export interface PayerSource {
  readonly kind: PayerSourceKind;
  /** Satoshis of the payment traced here. */
  readonly amount: bigint;
  /** Transactions from the payment (hop 1) to where the walk ended. */
  readonly hops: number;
  /** From the payment's output back to the output the source's transaction paid; the last step's tx is where the walk ended. */
  readonly path: readonly PathStep[];
  /** service, site: the entity (or lone address). */
  readonly node: NodeRef | null;
  /** coinjoin: the flagged transaction and the rule that flagged it. */
  readonly coinjoin: { readonly txid: string; readonly rule: string } | null;
}

export interface PaymentWalk {
  readonly sources: PayerSource[];
  /** The entities whose inputs paid the payment's transaction, largest share first. */
  readonly funding: ReadonlyArray<{ readonly node: NodeRef; readonly amount: bigint }>;
}

export interface WalkOptions {
  /** Transactions walked back from the payment, its own included (1 to 50). */
  readonly hopLimit: number;
  /** Transactions read per payment before giving up on the rest (a huge untagged service). */
  readonly maxTxs: number;
  /** Entities of the case's seeds: the site itself. */
  readonly siteNodes: ReadonlySet<string>;
}

interface FrontierEntry {
  amount: bigint;
  path: PathStep[];
  bestShare: bigint;
}

const KIND_ORDER: Readonly<Record<PayerSourceKind, number>> = { service: 0, coinjoin: 1, site: 2, coinbase: 3, 'not-ingested': 4, 'hop-limit': 5, 'walk-limit': 6 };

class SourceTally {
  readonly #byKey = new Map<string, PayerSource>();

  add(source: PayerSource): void {
    if (source.amount === 0n) return;
    const key = `${source.kind}|${source.node ? nodeKey(source.node) : ''}|${source.coinjoin?.txid ?? ''}`;
    const prior = this.#byKey.get(key);
    if (prior === undefined) {
      this.#byKey.set(key, source);
      return;
    }
    const better = source.hops < prior.hops || (source.hops === prior.hops && source.amount > prior.amount);
    this.#byKey.set(key, { ...(better ? source : prior), amount: prior.amount + source.amount, hops: Math.min(prior.hops, source.hops) });
  }

  sorted(): PayerSource[] {
    return [...this.#byKey.entries()]
      .sort(([ka, a], [kb, b]) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.amount === b.amount ? cmp(ka, kb) : a.amount > b.amount ? -1 : 1))
      .map(([, s]) => s);
  }
}

export async function walkPayment(view: StoreView, payment: PathStep, options: WalkOptions): Promise<PaymentWalk> {
  const tally = new SourceTally();
  const funding = new Map<string, { node: NodeRef; amount: bigint }>();
  let frontier = new Map<string, FrontierEntry>([[payment.txid, { amount: BigInt(payment.value), path: [payment], bestShare: BigInt(payment.value) }]]);
  let read = 0;
  for (let hop = 1; frontier.size > 0; hop++) {
    const entries = [...frontier].sort(([a], [b]) => cmp(a, b));
    const end = (kind: PayerSourceKind, entry: FrontierEntry, extra: Partial<PayerSource> = {}, hops = hop): void =>
      tally.add({ kind, amount: entry.amount, hops, path: entry.path, node: null, coinjoin: null, ...extra });
    if (hop > options.hopLimit) {
      for (const [, entry] of entries) end('hop-limit', entry, {}, hop - 1);
      break;
    }
    if (read + entries.length > options.maxTxs) {
      for (const [, entry] of entries) end('walk-limit', entry, {}, hop - 1);
      break;
    }
    read += entries.length;
    const next = new Map<string, FrontierEntry>();
    for (const [txid, entry] of entries) {
      const tx = await view.tx(txid);
      if (tx?.isCoinbase === true) {
        end('coinbase', entry);
        continue;
      }
      if (tx === null || tx.inputs.some((i) => !i.resolved)) {
        end('not-ingested', entry);
        continue;
      }
      if (tx.coinjoin !== null) {
        end('coinjoin', entry, { coinjoin: { txid, rule: tx.coinjoin } });
        continue;
      }
      const shares = proportionalShares(entry.amount, tx.inputs.map((i) => BigInt(i.value ?? 0)));
      const groups = new Map<string, { node: NodeRef; inputs: { input: InputRecord; share: bigint }[] }>();
      for (const [i, input] of tx.inputs.entries()) {
        const node = await view.nodeOf(input.address as string);
        const key = nodeKey(node);
        const group = groups.get(key) ?? { node, inputs: [] };
        group.inputs.push({ input, share: shares[i] as bigint });
        groups.set(key, group);
      }
      for (const [key, group] of [...groups].sort(([a], [b]) => cmp(a, b))) {
        const amount = group.inputs.reduce((a, x) => a + x.share, 0n);
        if (amount === 0n) continue;
        if (hop === 1) {
          const f = funding.get(key) ?? { node: group.node, amount: 0n };
          f.amount += amount;
          funding.set(key, f);
        }
        const info = await view.info(group.node);
        if (isTagged(info)) {
          tally.add({ kind: 'service', amount, hops: hop, path: entry.path, node: group.node, coinjoin: null });
          continue;
        }
        if (options.siteNodes.has(key)) {
          tally.add({ kind: 'site', amount, hops: hop, path: entry.path, node: group.node, coinjoin: null });
          continue;
        }
        for (const { input, share } of group.inputs) {
          if (share === 0n) continue;
          const parent = input.prevout.txid;
          const step: PathStep = { txid: parent, vout: input.prevout.vout, address: input.address, value: input.value as number };
          const prior = next.get(parent);
          if (prior === undefined) next.set(parent, { amount: share, path: [...entry.path, step], bestShare: share });
          else {
            prior.amount += share;
            if (share > prior.bestShare) {
              prior.bestShare = share;
              prior.path = [...entry.path, step];
            }
          }
        }
      }
    }
    frontier = next;
  }
  const fundingList = [...funding.entries()].sort(([ka, a], [kb, b]) => (a.amount === b.amount ? cmp(ka, kb) : a.amount > b.amount ? -1 : 1)).map(([, f]) => f);
  return { sources: tally.sorted(), funding: fundingList };
}
