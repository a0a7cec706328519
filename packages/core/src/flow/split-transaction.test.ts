import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/flow-cases.json' with { type: 'json' };
import { FLOW_MODEL_NAMES, type FlowModelName } from './flow-model.js';
import { proportionalShares } from './proportional-shares.js';
import { fifoInputOrder, splitTransaction } from './split-transaction.js';
import { coinOf, coinValue, compact, taintOf, type Coin } from './taint-runs.js';

type FixtureCoin = { value: number; tainted: number } | { runs: [number, 'tainted' | 'clean'][] };
interface Expected {
  outputs: number[];
  feeTaint: number;
  fifoRuns?: [number, 'tainted' | 'clean'][][];
}
interface ValidCase {
  name: string;
  inputs: FixtureCoin[];
  outputs: number[];
  expected: Record<FlowModelName, Expected>;
}
interface InvalidCase {
  name: string;
  inputs: FixtureCoin[];
  outputs: number[];
  error: string;
}

function coin(c: FixtureCoin): Coin {
  return 'runs' in c ? compact(c.runs.map(([sats, kind]) => ({ sats: BigInt(sats), tainted: kind === 'tainted' }))) : coinOf(c.value, c.tainted);
}

describe('flow models (fixtures/flow-cases.json)', () => {
  for (const c of fixtures.valid as ValidCase[]) {
    for (const model of FLOW_MODEL_NAMES) {
      it(`${model}: ${c.name}`, () => {
        const split = splitTransaction(model, c.inputs.map(coin), c.outputs);
        const expected = c.expected[model];
        expect(split.outputs.map(taintOf)).toEqual(expected.outputs.map(BigInt));
        expect(split.feeTaint).toBe(BigInt(expected.feeTaint));
        // Every output coin adds up to its output's value.
        expect(split.outputs.map(coinValue)).toEqual(c.outputs.map(BigInt));
        if (model === 'fifo' && expected.fifoRuns) {
          expect(split.outputs.map((o) => o.map((r) => [Number(r.sats), r.tainted ? 'tainted' : 'clean']))).toEqual(expected.fifoRuns);
        }
        if (model !== 'poison') {
          // Haircut and FIFO are lossless: tainted inputs = tainted outputs + tainted fee.
          const tainted = c.inputs.map(coin).reduce((a, x) => a + taintOf(x), 0n);
          expect(split.outputs.reduce((a, x) => a + taintOf(x), 0n) + split.feeTaint).toBe(tainted);
        }
      });
    }
  }
  for (const c of fixtures.invalid as InvalidCase[]) {
    it(`rejects ${c.name}`, () => {
      for (const model of FLOW_MODEL_NAMES) expect(() => splitTransaction(model, c.inputs.map(coin), c.outputs, 'ab'.repeat(32))).toThrow(expect.objectContaining({ code: c.error }));
    });
  }
});

describe('FIFO input order', () => {
  it('puts the 3 BTC received first ahead of the 7 BTC received later at the same address, whatever the input order', () => {
    // The METHODS.md example with the transaction listing the later, clean coin first.
    const order = fifoInputOrder([
      { address: 'A', received: [101, 0, 0] },
      { address: 'A', received: [100, 5, 1] },
    ]);
    expect(order).toEqual([1, 0]);
    const coins = [coinOf(700_000_000, 0), coinOf(300_000_000, 300_000_000)];
    const split = splitTransaction('fifo', order.map((i) => coins[i] as Coin), [400_000_000, 600_000_000]);
    expect(split.outputs.map(taintOf)).toEqual([300_000_000n, 0n]);
  });

  it("keeps other addresses' inputs in input order, one address's inputs together at its first place", () => {
    const order = fifoInputOrder([
      { address: 'B', received: [200, 0, 0] },
      { address: 'A', received: [300, 0, 0] },
      { address: 'B', received: [100, 0, 0] },
      { address: null, received: [50, 0, 0] },
    ]);
    expect(order).toEqual([2, 0, 1, 3]);
  });
});

describe('proportional shares', () => {
  it('splits a payment over inputs exactly, the leftover satoshis to the largest rounding losses', () => {
    expect(proportionalShares(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(proportionalShares(1_000n, [300n, 700n])).toEqual([300n, 700n]);
    expect(proportionalShares(7n, [2n, 5n, 3n])).toEqual([1n, 4n, 2n]);
  });

  it('never loses a satoshi', () => {
    const weights = [123_456n, 7n, 99_999_999n, 1n, 5_000n];
    for (const total of [0n, 1n, 17n, 123_456_789n]) expect(proportionalShares(total, weights).reduce((a, b) => a + b, 0n)).toBe(total);
  });

  it('splits evenly when every weight is zero, and returns nothing for no weights', () => {
    expect(proportionalShares(5n, [0n, 0n])).toEqual([3n, 2n]);
    expect(proportionalShares(5n, [])).toEqual([]);
  });
});
