import { describe, expect, it } from 'vitest';
import { BtcAmountError, formatBtc, formatBtcCompact, parseBtc } from './btc-amount.js';

describe('BTC amounts', () => {
  it.each([
    [0n, '0.00000000', '0'],
    [1n, '0.00000001', '0.00000001'],
    [862_069n, '0.00862069', '0.00862069'],
    [1_250_000_000n, '12.50000000', '12.5'],
    [2_100_000_000_000_000n, '21000000.00000000', '21000000'],
    [-50_000n, '-0.00050000', '-0.0005'],
  ])('%s sats reads %s BTC', (sats, full, compact) => {
    expect(formatBtc(sats)).toBe(full);
    expect(formatBtcCompact(sats)).toBe(compact);
  });

  it.each([
    ['0.5', 50_000_000n],
    ['1', 100_000_000n],
    ['.001', 100_000n],
    [' 0.00000001 ', 1n],
    ['21000000', 2_100_000_000_000_000n],
  ])('reads %s BTC exactly', (text, sats) => {
    expect(parseBtc(text)).toBe(sats);
  });

  it.each([
    ['', 'use digits'],
    ['abc', 'use digits'],
    ['1e-3', 'use digits'],
    ['-1', 'use digits'],
    ['0.000000001', 'more than 8 decimals'],
    ['21000000.00000001', 'more than the 21 million'],
  ])('refuses %j, saying why', (text, why) => {
    expect(() => parseBtc(text)).toThrow(BtcAmountError);
    expect(() => parseBtc(text)).toThrow(why);
  });

  it('round-trips every formatted amount', () => {
    for (const sats of [0n, 7n, 123_456_789n, 99_999_999n, 100_000_001n]) expect(parseBtc(formatBtc(sats))).toBe(sats);
  });
});
