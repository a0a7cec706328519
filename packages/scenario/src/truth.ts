import type { ScriptType } from '@chaintrail/core';

/**
 * The ground truth of a generated world, as written to `truth.json`. The file is one JSON
 * object whose arrays hold one record per line, so it can be read whole (small worlds) or
 * line by line (see truth-reader.ts). README.md documents every field.
 */

/** Who controls an address. Owner ids are `<kind>:<n>` (`user:17`), or `site` and `operator`. */
export type OwnerKind = 'site' | 'operator' | 'user' | 'exchange' | 'miner' | 'background' | 'coinjoin-participant' | 'coinjoin-coordinator';

export type AddressRole =
  /**
   * The unique address the site gave one user account; the seized list holds these. The
   * first one the site swept doubles as its wallet address (see site.ts).
   */
  | 'site-deposit'
  | 'operator-wallet'
  | 'exchange-hot'
  | 'exchange-cold'
  /** A customer's deposit address at an exchange; `customer` names the account holder. */
  | 'exchange-deposit'
  | 'user-receive'
  | 'user-change'
  | 'whirlpool-premix'
  | 'whirlpool-postmix'
  | 'whirlpool-toxic-change'
  | 'wasabi-mixed'
  | 'wasabi-change'
  | 'coordinator-fee'
  | 'miner-payout'
  | 'background';

export type TxKind =
  | 'coinbase'
  | 'miner-sale'
  | 'exchange-withdrawal-batch'
  | 'exchange-deposit-sweep'
  | 'exchange-hot-to-cold'
  | 'exchange-cold-to-hot'
  | 'exchange-consolidation'
  | 'user-payment'
  | 'whirlpool-tx0'
  | 'whirlpool-mix'
  | 'wasabi-round'
  | 'site-sweep'
  | 'site-to-operator'
  | 'operator-cash-out'
  | 'operator-peel'
  | 'background-payment'
  | 'background-deposit';

/** Transactions built on purpose to fool a heuristic, labelled so error rates can be measured. */
export type MisleadingKind =
  /** A site payment whose output matches the change heuristics (script type, value) while the real change does not. */
  | 'payment-looks-like-change'
  /** An exchange withdrawal batch with equal outputs and as many distinct inputs: the generic CoinJoin rule fires. */
  | 'exchange-batch-looks-like-coinjoin';

/** How a user's money reached the site. */
export type PaymentRoute =
  /** The exchange withdrawal paid the site deposit address directly. */
  | 'direct'
  /** Withdrawn to the user's own wallet, then paid from it. */
  | 'wallet'
  /** Through a Whirlpool-like 5-in/5-out mix. */
  | 'whirlpool'
  /** Through a Wasabi-like round with many equal outputs. */
  | 'wasabi';

export interface TruthEntity {
  readonly id: string;
  readonly kind: OwnerKind;
  readonly label?: string;
  /** Users: the exchange they bought at (the one to subpoena). */
  readonly exchange?: string;
  /** Users: their site deposit address. */
  readonly siteAddress?: string;
  /** Users who paid: how. */
  readonly route?: PaymentRoute;
  readonly payments?: number;
  /** Users: they send change back to the address they spend from. */
  readonly reusesAddresses?: boolean;
  /** Users: their first payment spends coins on two of their own addresses. */
  readonly multiInput?: boolean;
}

export interface TruthAddress {
  readonly address: string;
  readonly owner: string;
  readonly role: AddressRole;
  readonly scriptType: ScriptType;
  /** Exchange deposit addresses: the account holder (owner id). */
  readonly customer?: string;
}

export interface TruthTransaction {
  readonly txid: string;
  readonly height: number;
  readonly kind: TxKind;
  /** True for transactions that join several owners' inputs (the mixes); CIOH must skip them. */
  readonly coinjoin: boolean;
  readonly misleading?: MisleadingKind;
  /** Satoshis. */
  readonly fee: number;
}

export interface TruthPayment {
  readonly txid: string;
  readonly vout: number;
  /** The site deposit address paid. */
  readonly address: string;
  readonly value: number;
  readonly height: number;
  readonly user: string;
  /** The exchange the payer bought at. */
  readonly exchange: string;
  readonly route: PaymentRoute;
  /** The exchange withdrawal that funded this payment (equals `txid` for route `direct`). */
  readonly fundedBy: string;
  /** The site sweep that spent this output, or null if it is still unspent at the tip. */
  readonly sweptIn: string | null;
}

/** An output by which site money (site or operator) left their control. */
export interface TruthSiteExit {
  readonly txid: string;
  readonly vout: number;
  readonly value: number;
  readonly height: number;
  readonly address: string;
  /** Owner id of the receiver. */
  readonly to: string;
  readonly kind: 'exchange-deposit' | 'peel-payment';
}

/** A site or operator output still unspent at the tip: what can be seized. */
export interface TruthHolding {
  readonly txid: string;
  readonly vout: number;
  readonly value: number;
  readonly address: string;
  readonly owner: 'site' | 'operator';
  readonly role: AddressRole;
}

/** Where every satoshi the site received went; `received = exited + fees + held`. */
export interface SiteMoney {
  readonly received: bigint;
  readonly exited: bigint;
  readonly fees: bigint;
  readonly held: bigint;
}

/** The noise put into the seized address list, so a seed-list parser can be checked against it. */
export interface SeizedListNoise {
  readonly lines: number;
  readonly blankLines: number;
  readonly duplicates: number;
  /** 1-based line numbers. */
  readonly malformedLines: readonly number[];
  readonly wrongNetworkLines: readonly number[];
}

export interface WorldSummary {
  readonly seed: number;
  readonly users: number;
  readonly payingUsers: number;
  readonly payments: number;
  readonly exchanges: number;
  readonly blocks: number;
  readonly transactions: number;
  readonly firstHeight: number;
  readonly tipHeight: number;
  readonly tipHash: string;
  /** Header bits are at regtest's trivial target: check proof of work against regtest's limit. */
  readonly proofOfWorkNetwork: 'regtest';
  readonly blockFiles: number;
  readonly blockBytes: number;
  readonly site: SiteMoney;
  readonly seizedList: SeizedListNoise;
  readonly taggedAddresses: number;
}

/** The parsed truth.json of a small world (see truth-reader.ts): the header and every record array. */
export type Truth = {
  readonly format: 'chaintrail-scenario-truth';
  readonly version: 1;
  readonly options: Readonly<Record<string, unknown>>;
  readonly summary: WorldSummary;
} & { readonly [S in TruthSection]: readonly TruthRecordOf[S][] };

/** The record arrays of truth.json, in file order. */
export const TRUTH_SECTIONS = ['entities', 'addresses', 'transactions', 'payments', 'siteExits', 'siteHoldings'] as const;
export type TruthSection = (typeof TRUTH_SECTIONS)[number];

export interface TruthRecordOf {
  entities: TruthEntity;
  addresses: TruthAddress;
  transactions: TruthTransaction;
  payments: TruthPayment;
  siteExits: TruthSiteExit;
  siteHoldings: TruthHolding;
}
