import { COINJOIN_RULES, type CoinJoinRuleName, type RuleVerdict } from './coinjoin-rules.js';
import type { ResolvedTx } from './resolved-tx.js';

/**
 * The CoinJoin verdict stored on a transaction (METHODS.md, "CoinJoin detection"): which
 * rule fired, its version and why, and the veto that overrode it, if any. A CoinJoin-like
 * transaction links no addresses: common-input ownership and change heuristics skip it.
 */
export interface CoinJoinVerdict {
  readonly txid: string;
  readonly isCoinJoin: boolean;
  /** The deciding rule: the first in precedence that fired and was not vetoed; null when none fired. */
  readonly rule: CoinJoinRuleName | null;
  readonly version: number | null;
  readonly reason: string;
  /** Every rule that fired, in precedence order (several can). */
  readonly fired: readonly RuleVerdict[];
  /** The veto that turned a firing rule into "not a CoinJoin", if one did. */
  readonly veto: VetoVerdict | null;
}

export type CoinJoinVetoName = 'stonewall' | 'exchange-batch';

export interface VetoVerdict {
  readonly veto: CoinJoinVetoName;
  readonly version: number;
  readonly reason: string;
}

/** What the rules cannot see in the transaction itself. */
export interface CoinJoinContext {
  /** True for an address tagged as an exchange (GraphSense concept `exchange`). */
  readonly isExchangeAddress?: (address: string) => boolean;
}

/**
 * Rules whose hit a veto can overturn: the generic shape detectors. The protocol rules
 * (Whirlpool, Wasabi) match fixed denominations and script types that neither a
 * Stonewall nor an exchange payout produces.
 */
const VETOABLE: ReadonlySet<CoinJoinRuleName> = new Set(['joinmarket', 'generic-refined', 'generic-equal-output']);
const STONEWALL_MIN_DENOMINATION = 5_000;

/**
 * Samourai Stonewall (GraphSense `_is_stonewall`): 3 or 4 outputs with an address, at
 * least 2 inputs, distinct output scripts, exactly one value (at least 5,000 sat) that
 * appears exactly twice, and for 4 outputs the other two differ. It mimics a two-party
 * CoinJoin but is usually one wallet, so common-input ownership still holds.
 */
export function stonewallVeto(tx: ResolvedTx): VetoVerdict | null {
  const outputs = tx.outputs.filter((o) => o.address !== null);
  const inputs = tx.inputs.filter((i) => i.address !== null);
  if ((outputs.length !== 3 && outputs.length !== 4) || inputs.length < 2) return null;
  if (new Set(outputs.map((o) => o.address)).size !== outputs.length) return null;
  const counts = new Map<number, number>();
  for (const o of outputs) counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
  const pairs = [...counts].filter(([, c]) => c === 2).map(([v]) => v);
  if (pairs.length !== 1) return null;
  const denomination = pairs[0]!;
  if (denomination < STONEWALL_MIN_DENOMINATION) return null;
  if (outputs.length === 4) {
    const others = outputs.filter((o) => o.value !== denomination);
    if (others.length === 2 && others[0]!.value === others[1]!.value) return null;
  }
  return { veto: 'stonewall', version: 1, reason: `Stonewall shape: ${outputs.length} outputs, one pair at ${denomination} sat` };
}

/**
 * GraphSense: equal outputs paid from an exchange-tagged input are an exchange batch
 * payout, not a CoinJoin of strangers.
 */
export function exchangeBatchVeto(tx: ResolvedTx, context: CoinJoinContext): VetoVerdict | null {
  const isExchange = context.isExchangeAddress;
  if (isExchange === undefined) return null;
  const tagged = tx.inputs.find((i) => i.address !== null && isExchange(i.address));
  if (tagged === undefined) return null;
  return { veto: 'exchange-batch', version: 1, reason: `input address ${tagged.address} is tagged as an exchange: a batch payout` };
}

/**
 * Cheap shape test that every rule implies: 2+ inputs and 3+ outputs, and a repeated
 * output value unless the transaction is big enough for Wasabi 2's mixed denominations.
 * Most transactions stop here.
 */
function couldBeCoinJoin(tx: ResolvedTx): boolean {
  if (tx.isCoinbase || tx.inputs.length < 2 || tx.outputs.length < 3) return false;
  if (tx.inputs.length >= 15) return true;
  const seen = new Set<number>();
  for (const o of tx.outputs) {
    if (seen.has(o.value)) return true;
    seen.add(o.value);
  }
  return false;
}

/** Runs every rule and veto on `tx` and returns the verdict to store on it. */
export function detectCoinJoin(tx: ResolvedTx, context: CoinJoinContext = {}): CoinJoinVerdict {
  const none: CoinJoinVerdict = {
    txid: tx.txid,
    isCoinJoin: false,
    rule: null,
    version: null,
    reason: tx.isCoinbase ? 'coinbase' : 'no CoinJoin rule fired',
    fired: [],
    veto: null,
  };
  if (!couldBeCoinJoin(tx)) return none;
  const fired = COINJOIN_RULES.map((r) => r.test(tx)).filter((v) => v.isCoinJoin);
  if (fired.length === 0) return none;
  const veto = fired.some((v) => VETOABLE.has(v.rule)) ? (stonewallVeto(tx) ?? exchangeBatchVeto(tx, context)) : null;
  const deciding = fired.find((v) => veto === null || !VETOABLE.has(v.rule));
  if (deciding === undefined) {
    const first = fired[0]!;
    return { txid: tx.txid, isCoinJoin: false, rule: first.rule, version: first.version, reason: `${first.reason}; vetoed: ${veto!.reason}`, fired, veto };
  }
  return { txid: tx.txid, isCoinJoin: true, rule: deciding.rule, version: deciding.version, reason: deciding.reason, fired, veto: null };
}
