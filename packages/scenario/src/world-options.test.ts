import { describe, expect, it } from 'vitest';
import { BadWorldOptionsError, resolveWorldOptions, WORLD_DEFAULTS } from './world-options.js';

describe('world options', () => {
  it('pins the defaults', () => {
    expect(WORLD_DEFAULTS).toEqual({
      seed: 1,
      users: 1000,
      payingShare: 0.5,
      exchanges: 5,
      usersPerBlock: 200,
      minArrivalBlocks: 12,
      startHeight: 800_000,
      startTime: 1_690_168_629,
      bootstrapBlocks: 110,
      btcPriceUsd: 29_000,
      priceTiersUsd: [25, 50, 100, 150, 250, 352],
      repeatPaymentChance: 0.35,
      maxPaymentsPerUser: 6,
      stepGapBlocks: [1, 24],
      directPayShare: 0.2,
      coinjoinShare: 0.1,
      whirlpoolShare: 0.6,
      addressReuseShare: 0.15,
      multiInputShare: 0.15,
      addressTypeWeights: { p2pkh: 0.15, 'p2sh-p2wpkh': 0.2, p2wpkh: 0.45, p2tr: 0.2 },
      changeBreakShare: 0.1,
      siteAddressType: 'p2pkh',
      siteSweepEveryBlocks: 6,
      siteMaxSweepInputs: 400,
      siteDustSats: 15_000,
      operatorEveryBlocks: 36,
      operatorHoldShare: 0.15,
      peelChainShare: 0.45,
      peelChainHops: [3, 8],
      backgroundTxPerUser: 1,
      taggedWalletShare: 0.6,
      misleadingPaymentShare: 0.02,
      coinjoinLookalikeEveryBlocks: 40,
      feeRateMedian: 12,
      feeRateSigma: 0.6,
      obfuscate: false,
      maxBlockFileBytes: 128 * 1024 * 1024,
      seizedBlankLineShare: 0.003,
      seizedDuplicateShare: 0.01,
    });
  });

  it('fills in what is not given and keeps what is', () => {
    const options = resolveWorldOptions({ users: 100, seed: 9, addressTypeWeights: { p2pkh: 0, 'p2sh-p2wpkh': 0, p2wpkh: 1, p2tr: 0 } });
    expect(options.users).toBe(100);
    expect(options.seed).toBe(9);
    expect(options.exchanges).toBe(WORLD_DEFAULTS.exchanges);
    expect(options.addressTypeWeights.p2wpkh).toBe(1);
  });

  it.each([
    ['users', { users: 0 }],
    ['payingShare', { payingShare: 1.5 }],
    ['siteAddressType', { siteAddressType: 'p2wsh' }],
    ['stepGapBlocks', { stepGapBlocks: [9, 3] }],
    ['bootstrapBlocks', { bootstrapBlocks: 50 }],
    ['colour', { colour: 'blue' }],
    ['addressTypeWeights', { addressTypeWeights: { p2pkh: 0, 'p2sh-p2wpkh': 0, p2wpkh: 0, p2tr: 0 } }],
  ])('rejects a bad %s with a code and the field named', (field, options) => {
    let error: unknown;
    try {
      resolveWorldOptions(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadWorldOptionsError);
    expect((error as BadWorldOptionsError).code).toBe('CHAINTRAIL_BAD_WORLD_OPTIONS');
    expect((error as Error).message).toContain(field);
  });
});
