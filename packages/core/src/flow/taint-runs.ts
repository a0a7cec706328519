/**
 * A coin's satoshis in order, as runs of tainted and clean satoshis. FIFO needs the order;
 * poison and haircut only the tainted total, so their coins are at most two runs. The
 * runs of a coin always add up to its value.
 */
export interface TaintRun {
  readonly sats: bigint;
  readonly tainted: boolean;
}

export type Coin = readonly TaintRun[];

/** A coin of `value` sats of which the first `tainted` are tainted. */
export function coinOf(value: bigint | number, tainted: bigint | number): Coin {
  const total = BigInt(value);
  const dirty = BigInt(tainted);
  if (dirty < 0n || dirty > total) throw new RangeError(`a coin of ${total} sats cannot hold ${dirty} tainted sats`);
  return compact([
    { sats: dirty, tainted: true },
    { sats: total - dirty, tainted: false },
  ]);
}

export const cleanCoin = (value: bigint | number): Coin => coinOf(value, 0);
export const taintedCoin = (value: bigint | number): Coin => coinOf(value, value);

export function coinValue(coin: Coin): bigint {
  let sum = 0n;
  for (const run of coin) sum += run.sats;
  return sum;
}

export function taintOf(coin: Coin): bigint {
  let sum = 0n;
  for (const run of coin) if (run.tainted) sum += run.sats;
  return sum;
}

/** Drops empty runs and joins neighbours of the same kind. */
export function compact(runs: Iterable<TaintRun>): TaintRun[] {
  const out: TaintRun[] = [];
  for (const run of runs) {
    if (run.sats === 0n) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.tainted === run.tainted) out[out.length - 1] = { sats: last.sats + run.sats, tainted: run.tainted };
    else out.push(run);
  }
  return out;
}
