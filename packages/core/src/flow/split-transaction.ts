import { UnbalancedFlowTxError } from './flow-errors.js';
import type { FlowModelName } from './flow-model.js';
import { coinOf, coinValue, compact, taintOf, type Coin, type TaintRun } from './taint-runs.js';

/** What a flow model makes of one transaction: the taint of each output and of the fee. */
export interface TxSplit {
  /** One coin per output, in output order; each adds up to the output's value. */
  readonly outputs: Coin[];
  /** Satoshis of fee (inputs minus outputs). */
  readonly fee: bigint;
  /** Tainted satoshis that went to the miner. */
  readonly feeTaint: bigint;
}

/**
 * Splits a transaction's input coins over its outputs under `model` (METHODS.md, "Flow
 * models"). For FIFO the inputs must already be in FIFO order ({@link fifoInputOrder}).
 * `txid` only names the transaction in the error thrown when outputs exceed inputs.
 */
export function splitTransaction(model: FlowModelName, inputs: readonly Coin[], outputValues: readonly number[], txid = '(unnamed)'): TxSplit {
  let totalIn = 0n;
  let tainted = 0n;
  for (const coin of inputs) {
    totalIn += coinValue(coin);
    tainted += taintOf(coin);
  }
  let totalOut = 0n;
  for (const value of outputValues) totalOut += BigInt(value);
  if (totalOut > totalIn) throw new UnbalancedFlowTxError(txid, totalIn, totalOut);
  const fee = totalIn - totalOut;
  switch (model) {
    case 'poison':
      return poison(tainted, outputValues, fee);
    case 'haircut':
      return haircut(tainted, totalIn, outputValues, fee);
    case 'fifo':
      return fifo(inputs, outputValues, fee);
  }
}

/** Any tainted input taints everything the transaction pays, the fee included. */
function poison(tainted: bigint, outputValues: readonly number[], fee: bigint): TxSplit {
  const dirty = tainted > 0n;
  return { outputs: outputValues.map((v) => coinOf(v, dirty ? v : 0)), fee, feeTaint: dirty ? fee : 0n };
}

/**
 * BlockSci's proportional rule. METHODS.md sends the rounding remainder to the fee; when the
 * fee holds fewer satoshis than that remainder (a fee smaller than the number of outputs),
 * the excess goes one satoshi each to the outputs that lost most to rounding, so no taint
 * is created or lost.
 */
function haircut(tainted: bigint, totalIn: bigint, outputValues: readonly number[], fee: bigint): TxSplit {
  if (tainted === 0n || totalIn === 0n) return { outputs: outputValues.map((v) => coinOf(v, 0)), fee, feeTaint: 0n };
  let unassigned = tainted;
  const taints = outputValues.map((value) => {
    const v = BigInt(value);
    let t = (v * tainted) / totalIn;
    if (t > v) t = v;
    if (t > unassigned) t = unassigned;
    unassigned -= t;
    return t;
  });
  const feeTaint = unassigned < fee ? unassigned : fee;
  let excess = unassigned - feeTaint;
  if (excess > 0n) {
    const byLoss = outputValues
      .map((value, i) => ({ i, loss: (BigInt(value) * tainted) % totalIn }))
      .sort((a, b) => (a.loss === b.loss ? a.i - b.i : a.loss > b.loss ? -1 : 1));
    while (excess > 0n) {
      let placed = false;
      for (const { i } of byLoss) {
        if (excess === 0n) break;
        if ((taints[i] as bigint) < BigInt(outputValues[i] as number)) {
          taints[i] = (taints[i] as bigint) + 1n;
          excess--;
          placed = true;
        }
      }
      // Cannot happen: outputs plus fee hold every input satoshi, so there is room for all taint.
      if (!placed) throw new RangeError(`haircut: ${excess} tainted sats found no room`);
    }
  }
  return { outputs: outputValues.map((v, i) => coinOf(v, taints[i] as bigint)), fee, feeTaint };
}

/** Clayton's Case: outputs take the input satoshis in order; the rest is the fee. */
function fifo(inputs: readonly Coin[], outputValues: readonly number[], fee: bigint): TxSplit {
  const queue: TaintRun[] = inputs.flat();
  let at = 0;
  let leftInRun = queue[0]?.sats ?? 0n;
  const take = (sats: bigint): TaintRun[] => {
    const runs: TaintRun[] = [];
    let need = sats;
    while (need > 0n) {
      const run = queue[at] as TaintRun;
      const n = leftInRun < need ? leftInRun : need;
      runs.push({ sats: n, tainted: run.tainted });
      need -= n;
      leftInRun -= n;
      if (leftInRun === 0n) {
        at++;
        leftInRun = queue[at]?.sats ?? 0n;
      }
    }
    return compact(runs);
  };
  const outputs = outputValues.map((v) => take(BigInt(v)));
  const feeRuns = take(fee);
  return { outputs, fee, feeTaint: taintOf(feeRuns) };
}

/** An input as FIFO orders it: the address it spends from and when that address received it. */
export interface FifoInput {
  readonly address: string | null;
  /** Chain order of the spent output: block height (unconfirmed: Infinity), position in block, vout. */
  readonly received: readonly [height: number, position: number, vout: number];
}

/**
 * The order FIFO lines inputs up in: input order, except that one address's inputs stand
 * together at the place of its first input, in the order the address received them
 * (METHODS.md: "in input order (and, per address, in the order received)"). Returns input
 * indexes.
 */
export function fifoInputOrder(inputs: readonly FifoInput[]): number[] {
  const firstSlot = new Map<string, number>();
  inputs.forEach((input, i) => {
    const key = input.address ?? `#${i}`;
    if (!firstSlot.has(key)) firstSlot.set(key, i);
  });
  const slotOf = (i: number): number => firstSlot.get(inputs[i]?.address ?? `#${i}`) as number;
  return inputs
    .map((_, i) => i)
    .sort((a, b) => {
      const slot = slotOf(a) - slotOf(b);
      if (slot !== 0) return slot;
      const ra = (inputs[a] as FifoInput).received;
      const rb = (inputs[b] as FifoInput).received;
      for (let k = 0; k < 3; k++) if (ra[k] !== rb[k]) return (ra[k] as number) < (rb[k] as number) ? -1 : 1;
      return a - b;
    });
}
