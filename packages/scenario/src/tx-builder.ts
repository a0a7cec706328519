import { ChaintrailError, serializeTransactionWithIds, type TxDraftInput, type TxDraftOutput } from '@chaintrail/core';
import type { Key } from './keys.js';
import { nodeHasher } from './node-hasher.js';
import type { Prng } from './prng.js';
import { spendData } from './spend-data.js';

/** An unspent output some actor of the world holds. */
export interface Coin {
  /** Display hex. */
  readonly txid: string;
  readonly vout: number;
  readonly value: number;
  readonly key: Key;
  /** Height of the block that holds the transaction that made it. */
  readonly height: number;
}

/** How a wallet signs and shapes transactions; what the locktime and change heuristics read. */
export interface WalletStyle {
  readonly version: 1 | 2;
  readonly sequence: number;
  /** Bitcoin Core and Electrum set nLockTime to the current height against fee sniping. */
  readonly antiFeeSniping: boolean;
  /** Grinds signatures to a low R (71-byte DER), as Bitcoin Core does. */
  readonly lowR: boolean;
  /** Puts change last instead of at a random position. */
  readonly changeLast: boolean;
}

export const WALLET_STYLES = {
  core: { version: 2, sequence: 0xfffffffd, antiFeeSniping: true, lowR: true, changeLast: false },
  electrum: { version: 2, sequence: 0xfffffffd, antiFeeSniping: true, lowR: false, changeLast: false },
  mobile: { version: 2, sequence: 0xffffffff, antiFeeSniping: false, lowR: false, changeLast: true },
  legacy: { version: 1, sequence: 0xffffffff, antiFeeSniping: false, lowR: false, changeLast: true },
  service: { version: 1, sequence: 0xffffffff, antiFeeSniping: false, lowR: true, changeLast: true },
} as const satisfies Record<string, WalletStyle>;

export interface OutputSpec {
  readonly value: number;
  readonly scriptPubKey: Uint8Array;
  /** The receiving key, or null for OP_RETURN. */
  readonly key: Key | null;
}

export interface TxRequest {
  readonly inputs: readonly Coin[];
  readonly outputs: readonly OutputSpec[];
  readonly style: WalletStyle;
  /** Height of the block being built (locktime of anti-fee-sniping wallets). */
  readonly height: number;
  /** sat/vB; with `change`, lowered as far as 1 sat/vB when the inputs cannot pay it. */
  readonly feeRate: number;
  /**
   * Where whatever is left after the outputs and the fee goes. Left out below the dust
   * limit (the remainder then adds to the fee). Without it the remainder is the fee.
   */
  readonly change?: Key;
  /** Where the change goes: the style's habit by default, or a fixed output index. */
  readonly changeIndex?: number;
}

export interface BuiltTx {
  readonly txid: string;
  readonly wtxid: string;
  readonly bytes: Uint8Array;
  readonly weight: number;
  readonly fee: number;
  readonly inputs: readonly Coin[];
  /** The outputs as coins, in output order; null for OP_RETURN. */
  readonly outputs: readonly (Coin | null)[];
  /** Index of the change output, or -1. */
  readonly changeIndex: number;
}

/** The inputs cannot pay the outputs and the fee. A bug in the world's planning, not a user error. */
export class InsufficientFundsError extends ChaintrailError {
  constructor(have: number, need: number) {
    super('CHAINTRAIL_SCENARIO_INSUFFICIENT_FUNDS', `Scenario transaction spends ${have} sats but needs ${need}; the world's planning left too little margin. Report the seed and parameters.`);
  }
}

/** Bitcoin Core's dust threshold at 3 sat/vB for the common output types (policy.cpp `GetDustThreshold`). */
const DUST_LIMIT = 546;
const MAX_STANDARD_WEIGHT = 400_000;

export function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

/** Fee for a weight at a rate, rounded up as wallets do. */
export function feeFor(weight: number, feeRate: number): number {
  return Math.ceil((Math.ceil(weight / 4) * feeRate) - 1e-9);
}

/** Builds, sizes, prices and serializes a transaction; txids hashed with OpenSSL. */
export function buildTransaction(rng: Prng, request: TxRequest): BuiltTx {
  const { inputs, style } = request;
  if (inputs.length === 0) throw new RangeError('A scenario transaction needs at least one input.');
  const draftInputs: TxDraftInput[] = inputs.map((coin) => {
    const spend = spendData(coin.key, rng, style.lowR);
    return { prevout: { txid: coin.txid, vout: coin.vout }, scriptSig: spend.scriptSig, witness: spend.witness, sequence: style.sequence };
  });
  let have = 0;
  for (const coin of inputs) have += coin.value;
  let pay = 0;
  for (const out of request.outputs) pay += out.value;

  const outputs: OutputSpec[] = [...request.outputs];
  let changeIndex = -1;
  let fee: number;
  const inputWeight = weightOfInputs(draftInputs);
  if (request.change !== undefined) {
    const change = request.change;
    const withChange = inputWeight + weightOfOutputs(outputs, change.scriptPubKey);
    // A wallet short of funds for the fee rate it wanted pays the rate it can, down to 1 sat/vB.
    const feeRate = Math.max(1, Math.min(request.feeRate, Math.floor((have - pay) / Math.ceil(withChange / 4))));
    const feeWithChange = feeFor(withChange, feeRate);
    const changeValue = have - pay - feeWithChange;
    if (changeValue >= DUST_LIMIT) {
      changeIndex = request.changeIndex ?? (style.changeLast ? outputs.length : rng.below(outputs.length + 1));
      outputs.splice(changeIndex, 0, { value: changeValue, scriptPubKey: change.scriptPubKey, key: change });
      fee = feeWithChange;
    } else {
      fee = have - pay;
    }
  } else {
    fee = have - pay;
  }
  const weight = inputWeight + weightOfOutputs(outputs, null);
  const minFee = feeFor(weight, 1);
  if (fee < minFee) throw new InsufficientFundsError(have, pay + minFee);
  if (weight > MAX_STANDARD_WEIGHT && inputs.length > 1) {
    throw new RangeError(`Scenario transaction of weight ${weight} exceeds the standard limit of ${MAX_STANDARD_WEIGHT}; lower the inputs per transaction.`);
  }

  const draftOutputs: TxDraftOutput[] = outputs.map((o) => ({ value: o.value, scriptPubKey: o.scriptPubKey }));
  const locktime = style.antiFeeSniping ? request.height : 0;
  const serialized = serializeTransactionWithIds({ version: style.version, locktime, inputs: draftInputs, outputs: draftOutputs }, { hasher: nodeHasher });
  const coins = outputs.map((o, vout): Coin | null => (o.key === null ? null : { txid: serialized.txid, vout, value: o.value, key: o.key, height: request.height }));
  return { txid: serialized.txid, wtxid: serialized.wtxid, bytes: serialized.bytes, weight, fee, inputs, outputs: coins, changeIndex };
}

/**
 * Weight (BIP141) of the inputs' part of a transaction plus the fixed fields: base bytes count
 * four times, witness bytes once. Counts for the marker and flag only when a witness exists.
 */
function weightOfInputs(inputs: readonly TxDraftInput[]): number {
  let base = 4 + 4 + compactSizeLength(inputs.length);
  let witness = 0;
  let anyWitness = false;
  for (const input of inputs) {
    base += 40 + compactSizeLength(input.scriptSig.length) + input.scriptSig.length;
    witness += compactSizeLength(input.witness.length);
    for (const item of input.witness) witness += compactSizeLength(item.length) + item.length;
    if (input.witness.length > 0) anyWitness = true;
  }
  return anyWitness ? base * 4 + 2 + witness : base * 4;
}

function weightOfOutputs(outputs: readonly OutputSpec[], extra: Uint8Array | null): number {
  const n = outputs.length + (extra === null ? 0 : 1);
  let base = compactSizeLength(n);
  for (const o of outputs) base += 8 + compactSizeLength(o.scriptPubKey.length) + o.scriptPubKey.length;
  if (extra !== null) base += 8 + compactSizeLength(extra.length) + extra.length;
  return base * 4;
}

/** Weight of spending one coin of `key`'s type, for planning how much to withdraw. */
export function typicalInputWeight(type: Key['type']): number {
  switch (type) {
    case 'p2pkh':
      return (40 + 1 + 107) * 4;
    case 'p2sh-p2wpkh':
      return (40 + 1 + 23) * 4 + 1 + 73 + 34;
    case 'p2wpkh':
      return (40 + 1) * 4 + 1 + 73 + 34;
    case 'p2tr':
      return (40 + 1) * 4 + 1 + 65;
    case 'p2wsh-multisig':
      return (40 + 1) * 4 + 1 + 1 + 146 + 106;
  }
}
