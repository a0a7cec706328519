import type { ResolvedOutput, ResolvedTx } from './resolved-tx.js';

/**
 * The CoinJoin rules of ../shared/METHODS.md ("CoinJoin detection"), one named, versioned
 * function each. A rule answers for every transaction, firing or not, with the reason,
 * so an investigator can see why a transaction was or was not excluded from linking.
 * Bump a rule's version whenever its behaviour changes: stored verdicts name it.
 */
export type CoinJoinRuleName = 'wasabi2' | 'wasabi1' | 'whirlpool' | 'joinmarket' | 'generic-refined' | 'generic-equal-output';

/** Current version of each rule; bump it with any change of behaviour. */
export const COINJOIN_RULE_VERSIONS: Readonly<Record<CoinJoinRuleName, number>> = {
  wasabi2: 1,
  wasabi1: 1,
  whirlpool: 1,
  joinmarket: 1,
  'generic-refined': 1,
  'generic-equal-output': 1,
};

export interface RuleVerdict {
  readonly isCoinJoin: boolean;
  readonly rule: CoinJoinRuleName;
  readonly version: number;
  readonly reason: string;
}

export interface CoinJoinRule {
  readonly name: CoinJoinRuleName;
  readonly version: number;
  /** Where the rule comes from. */
  readonly source: string;
  readonly test: (tx: ResolvedTx) => RuleVerdict;
}

/** BlockSci treats these as dust payouts, never a CoinJoin denomination. */
const BLOCKSCI_DUST_VALUES: ReadonlySet<number> = new Set([546, 2730]);
/** Whirlpool pool sizes in satoshis (Samourai; METHODS.md). */
export const WHIRLPOOL_POOL_SIZES: readonly number[] = [100_000, 1_000_000, 2_500_000, 5_000_000, 25_000_000, 50_000_000];
/** A Whirlpool premix input pays the pool size plus at most this much in fees. */
const WHIRLPOOL_MAX_INPUT_EXCESS = 110_000;
const WASABI1_DENOMINATION = 10_000_000;
const WASABI1_DENOMINATION_TOLERANCE = 2_000_000;
/** Dumplings and GraphSense use 20; METHODS.md takes 15 so the smaller rounds since 2024 count. */
const WASABI2_MIN_INPUTS = 15;
const JOINMARKET_DUST = 2730;
const JOINMARKET_LARGE_ROUND_INPUTS = 50;
/** Dumplings: "largest input <= denomination + largest other output - 0.0001 BTC". */
const REFINED_MAX_INPUT_SLACK = 10_000;

/** First blocks of each protocol (Dumplings `Constants.cs`, METHODS.md). */
export const PROTOCOL_START_HEIGHTS = { whirlpool: 570_000, wasabi1: 610_000, wasabi2: 741_213 } as const;

/**
 * Wasabi 2 standard denominations: 2^i, 3^i, 2*3^i, 10^i, 2*10^i, 5*10^i between 5,000
 * and 134,375,000,000 satoshis (Dumplings `CreateWasabi2Denominations`).
 */
export const WASABI2_DENOMINATIONS: ReadonlySet<number> = (() => {
  const min = 5_000;
  const max = 134_375_000_000;
  const set = new Set<number>();
  const series = (base: number, factor: number): void => {
    for (let v = factor; v <= max; v *= base) if (v >= min) set.add(v);
  };
  series(2, 1);
  series(3, 1);
  series(3, 2);
  series(10, 1);
  series(10, 2);
  series(10, 5);
  return set;
})();

/** Counts of each output value. */
function valueCounts(outputs: readonly ResolvedOutput[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const o of outputs) counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
  return counts;
}

/** The highest count, and the values that reach it (largest first, so ties resolve the same way every time). */
function mostFrequent(counts: Map<number, number>): { count: number; values: number[] } {
  let count = 0;
  let values: number[] = [];
  for (const [value, n] of counts) {
    if (n > count) {
      count = n;
      values = [value];
    } else if (n === count) {
      values.push(value);
    }
  }
  values.sort((a, b) => b - a);
  return { count, values };
}

/** Distinct spending addresses; each unresolved input counts as one more (the conservative side). */
function distinctInputAddressesUpperBound(tx: ResolvedTx): number {
  const seen = new Set<string>();
  let unknown = 0;
  for (const input of tx.inputs) {
    if (input.address === null) unknown++;
    else seen.add(input.address);
  }
  return seen.size + unknown;
}

function distinctKnownInputAddresses(tx: ResolvedTx): number {
  const seen = new Set<string>();
  for (const input of tx.inputs) if (input.address !== null) seen.add(input.address);
  return seen.size;
}

/** Distinct output scripts; an output without an address (OP_RETURN) counts as its own. */
function distinctOutputScripts(outputs: readonly ResolvedOutput[]): number {
  const seen = new Set<string>();
  let anonymous = 0;
  for (const o of outputs) {
    if (o.address === null) anonymous++;
    else seen.add(o.address);
  }
  return seen.size + anonymous;
}

function appliesAt(tx: ResolvedTx, start: number): boolean {
  // Unconfirmed transactions are recent: every protocol has started.
  return tx.blockHeight === null || tx.blockHeight >= start;
}

function knownInputValues(tx: ResolvedTx): number[] | null {
  const values: number[] = [];
  for (const input of tx.inputs) {
    if (input.value === null) return null;
    values.push(input.value);
  }
  return values;
}

function nonIncreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! > values[i - 1]!) return false;
  return true;
}

/**
 * BlockSci `isCoinjoin`: at least 2 inputs and 3 outputs; p = ceil(outputs / 2) participants,
 * p <= inputs and p <= distinct input addresses; the most frequent output value occurs
 * exactly p times and is not a dust value (546, 2730). Ties for most frequent take the
 * largest non-dust value, where BlockSci's hash map order is arbitrary.
 */
export function genericEqualOutput(tx: ResolvedTx): RuleVerdict {
  const rule = 'generic-equal-output';
  const version = COINJOIN_RULE_VERSIONS[rule];
  const no = (reason: string): RuleVerdict => ({ isCoinJoin: false, rule, version, reason });
  const n = tx.outputs.length;
  if (tx.inputs.length < 2 || n < 3) return no(`needs at least 2 inputs and 3 outputs, has ${tx.inputs.length} and ${n}`);
  const p = (n + 1) >> 1;
  if (p > tx.inputs.length) return no(`${n} outputs imply ${p} participants but there are only ${tx.inputs.length} inputs`);
  const addresses = distinctInputAddressesUpperBound(tx);
  if (p > addresses) return no(`${n} outputs imply ${p} participants but the inputs come from ${addresses} addresses`);
  const { count, values } = mostFrequent(valueCounts(tx.outputs));
  if (count !== p) return no(`the most frequent output value occurs ${count} times, not ${p}`);
  const denomination = values.find((v) => !BLOCKSCI_DUST_VALUES.has(v));
  if (denomination === undefined) return no(`the most frequent output value ${values[0]} sat is a dust value`);
  return { isCoinJoin: true, rule, version, reason: `${p} of ${n} outputs pay ${denomination} sat each, from ${tx.inputs.length} inputs of ${addresses} addresses` };
}

/**
 * Dumplings' "other CoinJoin" rule: exactly one repeated output value, occurring k times
 * with k = outputs - k or outputs - k + 1 (one change per participant, a taker may sweep);
 * at least k distinct output and input scripts; the largest input at most the denomination
 * plus the largest other output minus 10,000 sat (a cheap stand-in for subset sum).
 */
export function genericRefined(tx: ResolvedTx): RuleVerdict {
  const rule = 'generic-refined';
  const version = COINJOIN_RULE_VERSIONS[rule];
  const no = (reason: string): RuleVerdict => ({ isCoinJoin: false, rule, version, reason });
  const counts = valueCounts(tx.outputs);
  const repeated = [...counts].filter(([, c]) => c > 1);
  if (repeated.length !== 1) return no(`needs exactly one repeated output value, has ${repeated.length}`);
  const [denomination, k] = repeated[0]!;
  const n = tx.outputs.length;
  if (k !== n - k && k !== n - k + 1) return no(`${k} equal outputs of ${n} do not pair with one change output each`);
  const outScripts = distinctOutputScripts(tx.outputs);
  if (outScripts < k) return no(`only ${outScripts} distinct output scripts for ${k} participants`);
  const inScripts = distinctInputAddressesUpperBound(tx);
  if (inScripts < k) return no(`only ${inScripts} distinct input scripts for ${k} participants`);
  const inputValues = knownInputValues(tx);
  if (inputValues === null) return no('an input value is unknown');
  let largestOther = 0;
  for (const o of tx.outputs) if (o.value !== denomination && o.value > largestOther) largestOther = o.value;
  const largestInput = Math.max(...inputValues);
  const bound = denomination + largestOther - REFINED_MAX_INPUT_SLACK;
  if (largestInput > bound) return no(`largest input ${largestInput} sat exceeds ${bound} sat, so one input alone could pay a denomination and the largest change`);
  return { isCoinJoin: true, rule, version, reason: `${k} equal outputs of ${denomination} sat with ${n - k} others, ${inScripts} input and ${outScripts} output scripts` };
}

/**
 * Samourai Whirlpool (Dumplings, after Stockinger et al., "Pinpointing and measuring Wasabi
 * and Samourai CoinJoins", 2021): from block 570,000; P2WPKH inputs and outputs only; 5 to
 * 10 inputs and as many outputs, all at one pool size; at least one input exactly at the
 * pool size (a remix), every other input above it by at most 110,000 sat (the premix fee).
 */
export function whirlpool(tx: ResolvedTx): RuleVerdict {
  const rule = 'whirlpool';
  const version = COINJOIN_RULE_VERSIONS[rule];
  const no = (reason: string): RuleVerdict => ({ isCoinJoin: false, rule, version, reason });
  if (!appliesAt(tx, PROTOCOL_START_HEIGHTS.whirlpool)) return no(`block ${tx.blockHeight} is before Whirlpool's first (${PROTOCOL_START_HEIGHTS.whirlpool})`);
  const n = tx.inputs.length;
  if (n < 5 || n > 10 || tx.outputs.length !== n) return no(`needs 5 to 10 inputs and as many outputs, has ${n} and ${tx.outputs.length}`);
  if (!tx.inputs.every((i) => i.scriptType === 'p2wpkh') || !tx.outputs.every((o) => o.scriptType === 'p2wpkh')) return no('not every input and output is P2WPKH');
  const pool = tx.outputs[0]!.value;
  if (!tx.outputs.every((o) => o.value === pool)) return no('outputs are not all equal');
  if (!WHIRLPOOL_POOL_SIZES.includes(pool)) return no(`output value ${pool} sat is not a Whirlpool pool size`);
  const values = knownInputValues(tx);
  if (values === null) return no('an input value is unknown');
  const remixes = values.filter((v) => v === pool).length;
  if (remixes === 0) return no(`no input is exactly the pool size ${pool} sat`);
  const outside = values.find((v) => v !== pool && (v < pool || v > pool + WHIRLPOOL_MAX_INPUT_EXCESS));
  if (outside !== undefined) return no(`input of ${outside} sat is not between the pool size and ${WHIRLPOOL_MAX_INPUT_EXCESS} sat above it`);
  return { isCoinJoin: true, rule, version, reason: `${n} inputs to ${n} outputs of the ${pool} sat pool, ${remixes} remixes` };
}

/**
 * Wasabi 1 (Dumplings, rule for blocks after the coordinator stopped using fixed
 * addresses): from block 610,000; P2WPKH inputs and outputs only; at least 10 equal
 * outputs within 0.1 BTC +- 0.02; at least that many inputs; at least two outputs with
 * unique values (change and the coordinator fee).
 */
export function wasabi1(tx: ResolvedTx): RuleVerdict {
  const rule = 'wasabi1';
  const version = COINJOIN_RULE_VERSIONS[rule];
  const no = (reason: string): RuleVerdict => ({ isCoinJoin: false, rule, version, reason });
  if (!appliesAt(tx, PROTOCOL_START_HEIGHTS.wasabi1)) return no(`block ${tx.blockHeight} is before Wasabi 1's rule applies (${PROTOCOL_START_HEIGHTS.wasabi1})`);
  if (tx.outputs.length < 10 || tx.inputs.length < 10) return no(`needs at least 10 inputs and 10 outputs, has ${tx.inputs.length} and ${tx.outputs.length}`);
  if (!tx.inputs.every((i) => i.scriptType === 'p2wpkh') || !tx.outputs.every((o) => o.scriptType === 'p2wpkh')) return no('not every input and output is P2WPKH');
  const counts = valueCounts(tx.outputs);
  const { count, values } = mostFrequent(counts);
  const denomination = values.find((v) => Math.abs(v - WASABI1_DENOMINATION) <= WASABI1_DENOMINATION_TOLERANCE);
  if (denomination === undefined) return no(`the most frequent output value ${values[0]} sat is not within 0.1 BTC +- 0.02`);
  if (count < 10) return no(`only ${count} equal outputs of ${denomination} sat, needs 10`);
  if (tx.inputs.length < count) return no(`${tx.inputs.length} inputs for ${count} equal outputs`);
  let unique = 0;
  for (const c of counts.values()) if (c === 1) unique++;
  if (unique < 2) return no(`only ${unique} outputs with a unique value, needs 2 (change and coordinator fee)`);
  return { isCoinJoin: true, rule, version, reason: `${count} outputs of ${denomination} sat from ${tx.inputs.length} P2WPKH inputs, ${unique} unique outputs` };
}

/**
 * Wasabi 2 / WabiSabi (Dumplings): from block 741,213; every input P2WPKH or P2TR; at least
 * 15 inputs; inputs and outputs each in descending value order; more than 80% of outputs
 * at a standard denomination ({@link WASABI2_DENOMINATIONS}).
 */
export function wasabi2(tx: ResolvedTx): RuleVerdict {
  const rule = 'wasabi2';
  const version = COINJOIN_RULE_VERSIONS[rule];
  const no = (reason: string): RuleVerdict => ({ isCoinJoin: false, rule, version, reason });
  if (!appliesAt(tx, PROTOCOL_START_HEIGHTS.wasabi2)) return no(`block ${tx.blockHeight} is before Wasabi 2's first (${PROTOCOL_START_HEIGHTS.wasabi2})`);
  if (tx.inputs.length < WASABI2_MIN_INPUTS) return no(`needs at least ${WASABI2_MIN_INPUTS} inputs, has ${tx.inputs.length}`);
  if (!tx.inputs.every((i) => i.scriptType === 'p2wpkh' || i.scriptType === 'p2tr')) return no('not every input is P2WPKH or P2TR');
  const inputValues = knownInputValues(tx);
  if (inputValues === null) return no('an input value is unknown');
  if (!nonIncreasing(inputValues)) return no('inputs are not in descending value order');
  if (!nonIncreasing(tx.outputs.map((o) => o.value))) return no('outputs are not in descending value order');
  let standard = 0;
  for (const o of tx.outputs) if (WASABI2_DENOMINATIONS.has(o.value)) standard++;
  // More than 80%, in integers.
  if (5 * standard <= 4 * tx.outputs.length) return no(`${standard} of ${tx.outputs.length} outputs are standard denominations, needs over 80%`);
  return { isCoinJoin: true, rule, version, reason: `${standard} of ${tx.outputs.length} outputs at standard denominations, ${tx.inputs.length} inputs in descending order` };
}

/**
 * JoinMarket (GraphSense `_joinmarket_heuristic`): the most frequent output value above
 * 2,730 sat is the denomination, its count n the participants; n >= half the outputs;
 * 3 <= n <= distinct input addresses; all output scripts distinct; at least one output off
 * the denomination (a change); rounds of 50+ inputs also need at most 20 inputs and at
 * least 1.7 outputs per participant, which exchange batch payouts fail. Only inputs and
 * outputs with an address count, as in GraphSense.
 */
export function joinMarket(tx: ResolvedTx): RuleVerdict {
  const rule = 'joinmarket';
  const version = COINJOIN_RULE_VERSIONS[rule];
  const no = (reason: string): RuleVerdict => ({ isCoinJoin: false, rule, version, reason });
  const outputs = tx.outputs.filter((o) => o.address !== null);
  const inputCount = tx.inputs.filter((i) => i.address !== null).length;
  if (outputs.length === 0 || inputCount === 0) return no('no inputs or outputs with an address');
  const counts = valueCounts(outputs.filter((o) => o.value > JOINMARKET_DUST));
  if (counts.size === 0) return no('every output is dust');
  const { count: n, values } = mostFrequent(counts);
  const denomination = values[0]!;
  if (2 * n < outputs.length) return no(`${n} outputs of ${denomination} sat are fewer than half of ${outputs.length}`);
  const inScripts = distinctKnownInputAddresses(tx);
  if (n < 3) return no(`${n} equal outputs, needs 3 participants`);
  if (n > inScripts) return no(`${n} equal outputs but only ${inScripts} input addresses`);
  if (distinctOutputScripts(outputs) !== outputs.length) return no('an output script repeats');
  if (outputs.every((o) => o.value === denomination)) return no('no output off the denomination (no change)');
  if (inputCount >= JOINMARKET_LARGE_ROUND_INPUTS) {
    if (inputCount / n > 20) return no(`${inputCount} inputs for ${n} participants is more than 20 each`);
    if (outputs.length / n < 1.7) return no(`${outputs.length} outputs for ${n} participants is fewer than 1.7 each`);
  }
  return { isCoinJoin: true, rule, version, reason: `${n} participants at ${denomination} sat, ${inScripts} input addresses, ${outputs.length} distinct outputs` };
}

/** Every rule, in the order of precedence a verdict names them (most specific first). */
export const COINJOIN_RULES: readonly CoinJoinRule[] = [
  { name: 'wasabi2', version: COINJOIN_RULE_VERSIONS['wasabi2'], source: 'Dumplings Scanner.cs (crocs-muni)', test: wasabi2 },
  { name: 'wasabi1', version: COINJOIN_RULE_VERSIONS['wasabi1'], source: 'Dumplings Scanner.cs (crocs-muni)', test: wasabi1 },
  { name: 'whirlpool', version: COINJOIN_RULE_VERSIONS['whirlpool'], source: 'Dumplings Scanner.cs (crocs-muni)', test: whirlpool },
  { name: 'joinmarket', version: COINJOIN_RULE_VERSIONS['joinmarket'], source: 'graphsense-lib heuristics_service.py', test: joinMarket },
  { name: 'generic-refined', version: COINJOIN_RULE_VERSIONS['generic-refined'], source: 'Dumplings Scanner.cs (crocs-muni)', test: genericRefined },
  { name: 'generic-equal-output', version: COINJOIN_RULE_VERSIONS['generic-equal-output'], source: 'BlockSci src/heuristics/tx_identification.cpp isCoinjoin', test: genericEqualOutput },
];
