import type { ResolvedOutput, ResolvedTx } from './resolved-tx.js';

/**
 * Change heuristics (METHODS.md, "Change heuristics"): each narrows the outputs that could
 * be the payer's change, and a link is made only when exactly one candidate remains. They
 * are off by default and every link they make carries the heuristic's name, version and
 * confidence, because courts ask for the error rate of each. Confidences are priors on a
 * 0-100 scale (GraphSense's where it states one); `pnpm bench accuracy` measures them.
 *
 * Rules shared by all of them: never on a coinbase or a CoinJoin-like transaction (the
 * caller checks the latter); OP_RETURN and other outputs without an address are never
 * change; a transaction needs two or more spendable outputs (with one, there is no payment
 * to tell change from). When an output pays back to an input address, that output is the
 * change (address reuse), so the other heuristics do not name a second one: this
 * generalises Meiklejohn et al.'s rule for fresh addresses to all of them.
 */
export type ChangeHeuristicName =
  | 'change:address-reuse'
  | 'change:address-type'
  | 'change:fresh-address'
  | 'change:locktime'
  | 'change:one-time'
  | 'change:optimal'
  | 'change:peeling-chain'
  | 'change:round-value';

/** The shape of a neighbouring transaction, which some heuristics read. */
export interface TxShape {
  readonly inputCount: number;
  readonly outputCount: number;
  readonly locktime: number;
}

/**
 * Facts about the chain around a transaction, supplied by the caller (the store knows
 * them; core does no I/O). `undefined` means "not known": a heuristic that needs an
 * unknown fact does not link.
 */
export interface ChangeContext {
  /** Whether `address` receives its first coins ever in transaction `txid`. */
  readonly isFirstSeen?: (address: string, txid: string) => boolean | undefined;
  /** The transaction spending `txid:vout`; null while unspent. */
  readonly spender?: (txid: string, vout: number) => TxShape | null | undefined;
  /** The transaction `txid` (an input's funding transaction). */
  readonly shapeOf?: (txid: string) => TxShape | undefined;
}

/** Why one heuristic did or did not find change in one transaction. */
export interface ChangeResult {
  readonly heuristic: ChangeHeuristicName;
  readonly version: number;
  readonly confidence: number;
  /** Output index of the change, or null when zero or several candidates remain. */
  readonly vout: number | null;
  /** Outputs left as candidates (empty when the heuristic does not apply). */
  readonly candidates: readonly number[];
  readonly reason: string;
}

export interface ChangeHeuristic {
  readonly name: ChangeHeuristicName;
  readonly version: number;
  /** 0 to 100. */
  readonly confidence: number;
  readonly source: string;
  /** Candidate output indexes, or a string saying why the heuristic does not apply. */
  readonly candidates: (tx: ResolvedTx, spendable: readonly number[], context: ChangeContext) => number[] | string;
}

function isSpendable(o: ResolvedOutput): boolean {
  return o.address !== null && o.scriptType !== 'op_return';
}

function inputAddresses(tx: ResolvedTx): Set<string> {
  const set = new Set<string>();
  for (const i of tx.inputs) if (i.address !== null) set.add(i.address);
  return set;
}

function smallestInputValue(tx: ResolvedTx): number | null {
  let min = Infinity;
  for (const i of tx.inputs) {
    if (i.value === null) return null;
    if (i.value < min) min = i.value;
  }
  return min;
}

/** The one script type of every input, or a reason there is none. */
function commonInputType(tx: ResolvedTx): string | { none: string } {
  const first = tx.inputs[0]?.scriptType ?? null;
  if (first === null) return { none: 'an input script type is unknown' };
  for (const i of tx.inputs) {
    if (i.scriptType === null) return { none: 'an input script type is unknown' };
    if (i.scriptType !== first) return { none: 'inputs are of several script types' };
  }
  return first;
}

/** BlockSci `PowerOfTen` with digits 6: a multiple of 0.01 BTC is a payment. */
const ROUND_VALUE_UNIT = 1_000_000;
/** GraphSense one-time change: "not nicely divisible" means value % 1000 != 0. */
const ONE_TIME_ROUND_UNIT = 1_000;

function firstSeenOutputs(tx: ResolvedTx, spendable: readonly number[], context: ChangeContext): number[] | string {
  const isFirstSeen = context.isFirstSeen;
  if (isFirstSeen === undefined) return 'no first-seen facts supplied';
  const fresh: number[] = [];
  for (const vout of spendable) {
    const seen = isFirstSeen(tx.outputs[vout]!.address!, tx.txid);
    if (seen === undefined) return `whether output ${vout}'s address is new is not known`;
    if (seen) fresh.push(vout);
  }
  return fresh;
}

export const addressReuse: ChangeHeuristic = {
  name: 'change:address-reuse',
  version: 1,
  confidence: 100,
  source: 'BlockSci AddressReuse; GraphSense direct change (confidence 100)',
  candidates: (tx, spendable) => {
    const inputs = inputAddresses(tx);
    return spendable.filter((vout) => inputs.has(tx.outputs[vout]!.address!));
  },
};

export const addressType: ChangeHeuristic = {
  name: 'change:address-type',
  version: 1,
  confidence: 30,
  source: 'BlockSci AddressType; Meiklejohn et al. IMC 2013',
  candidates: (tx, spendable) => {
    const type = commonInputType(tx);
    if (typeof type !== 'string') return type.none;
    return spendable.filter((vout) => tx.outputs[vout]!.scriptType === type);
  },
};

export const optimalChange: ChangeHeuristic = {
  name: 'change:optimal',
  version: 1,
  confidence: 30,
  source: 'BlockSci OptimalChange',
  candidates: (tx, spendable) => {
    const min = smallestInputValue(tx);
    if (min === null) return 'an input value is unknown';
    return spendable.filter((vout) => tx.outputs[vout]!.value < min);
  },
};

export const roundValue: ChangeHeuristic = {
  name: 'change:round-value',
  version: 1,
  confidence: 30,
  source: 'BlockSci PowerOfTen (digits 6)',
  candidates: (tx, spendable) => spendable.filter((vout) => tx.outputs[vout]!.value % ROUND_VALUE_UNIT !== 0),
};

export const freshAddress: ChangeHeuristic = {
  name: 'change:fresh-address',
  version: 1,
  confidence: 40,
  source: 'Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013; BlockSci ClientChangeAddressBehavior',
  candidates: firstSeenOutputs,
};

export const locktime: ChangeHeuristic = {
  name: 'change:locktime',
  version: 1,
  confidence: 30,
  source: 'BlockSci Locktime (anti-fee-sniping wallets)',
  candidates: (tx, spendable, context) => {
    const spender = context.spender;
    if (spender === undefined) return 'no spending facts supplied';
    const usesLocktime = tx.locktime > 0;
    return spendable.filter((vout) => {
      const next = spender(tx.txid, vout);
      // Unspent or unknown: it cannot be ruled out.
      if (next === null || next === undefined) return true;
      return next.locktime > 0 === usesLocktime;
    });
  },
};

function looksLikePeel(shape: TxShape | null | undefined): boolean {
  return shape !== null && shape !== undefined && shape.inputCount === 1 && shape.outputCount === 2;
}

export const peelingChain: ChangeHeuristic = {
  name: 'change:peeling-chain',
  version: 1,
  confidence: 50,
  source: 'BlockSci isPeelingChain; Kappos et al., "How to Peel a Million", USENIX Security 2022',
  candidates: (tx, spendable, context) => {
    if (tx.inputs.length !== 1 || tx.outputs.length !== 2 || spendable.length !== 2) return 'not one input and two outputs';
    const { shapeOf, spender } = context;
    if (shapeOf === undefined || spender === undefined) return 'no neighbour facts supplied';
    const neighbours = [shapeOf(tx.inputs[0]!.txid), spender(tx.txid, 0), spender(tx.txid, 1)];
    if (!neighbours.some(looksLikePeel)) return 'neither the parent nor a spender has the one-in, two-out shape';
    const [a, b] = [tx.outputs[0]!.value, tx.outputs[1]!.value];
    if (a === b) return 'both outputs are equal';
    return [a > b ? 0 : 1];
  },
};

export const oneTimeChange: ChangeHeuristic = {
  name: 'change:one-time',
  version: 1,
  confidence: 50,
  source: 'GraphSense graphsense-lib _one_time_change_heuristic (confidence 50)',
  candidates: (tx, spendable, context) => {
    if (tx.outputs.length > 10) return 'more than 10 outputs';
    const type = commonInputType(tx);
    if (typeof type !== 'string') return type.none;
    const min = smallestInputValue(tx);
    if (min === null) return 'an input value is unknown';
    const fresh = firstSeenOutputs(tx, spendable, context);
    if (typeof fresh === 'string') return fresh;
    const counts = new Map<string, number>();
    for (const vout of spendable) {
      const a = tx.outputs[vout]!.address!;
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    return fresh.filter((vout) => {
      const o = tx.outputs[vout]!;
      return o.scriptType === type && o.value % ONE_TIME_ROUND_UNIT !== 0 && o.value < min && counts.get(o.address!) === 1;
    });
  },
};

/** Every change heuristic by name. */
export const CHANGE_HEURISTICS: Readonly<Record<ChangeHeuristicName, ChangeHeuristic>> = {
  'change:address-reuse': addressReuse,
  'change:address-type': addressType,
  'change:fresh-address': freshAddress,
  'change:locktime': locktime,
  'change:one-time': oneTimeChange,
  'change:optimal': optimalChange,
  'change:peeling-chain': peelingChain,
  'change:round-value': roundValue,
};

/** Applies one heuristic to a transaction that is not CoinJoin-like. */
export function findChange(tx: ResolvedTx, heuristic: ChangeHeuristic, context: ChangeContext = {}): ChangeResult {
  const result = (vout: number | null, candidates: readonly number[], reason: string): ChangeResult => ({
    heuristic: heuristic.name,
    version: heuristic.version,
    confidence: heuristic.confidence,
    vout,
    candidates,
    reason,
  });
  if (tx.isCoinbase) return result(null, [], 'coinbase');
  const spendable: number[] = [];
  tx.outputs.forEach((o, vout) => {
    if (isSpendable(o)) spendable.push(vout);
  });
  if (spendable.length < 2) return result(null, [], `${spendable.length} spendable output: no payment to tell change from`);
  if (heuristic !== addressReuse) {
    const reused = addressReuse.candidates(tx, spendable, context);
    if (typeof reused !== 'string' && reused.length > 0) return result(null, [], `output ${reused[0]} pays back to an input address: that is the change`);
  }
  const candidates = heuristic.candidates(tx, spendable, context);
  if (typeof candidates === 'string') return result(null, [], candidates);
  if (candidates.length !== 1) return result(null, candidates, `${candidates.length} candidates remain`);
  const vout = candidates[0]!;
  return result(vout, candidates, `output ${vout} is the only candidate of ${spendable.length} spendable outputs`);
}
