import { ChaintrailError } from '@chaintrail/core';
import { z } from 'zod';

/**
 * Every parameter of a generated world, with its default. One seed and one set of these
 * give one world, byte for byte. README.md explains each; a test pins the defaults.
 */

const share = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();

export const WALLET_KEY_TYPES = ['p2pkh', 'p2sh-p2wpkh', 'p2wpkh', 'p2tr'] as const;
export type WalletKeyType = (typeof WALLET_KEY_TYPES)[number];

const range = (min: number, max: number): z.ZodType<readonly [number, number]> =>
  z
    .tuple([z.number().int().min(min).max(max), z.number().int().min(min).max(max)])
    .refine(([lo, hi]) => lo <= hi, { message: 'the first bound must not exceed the second' })
    .readonly();

export const worldOptionsSchema = z
  .object({
    /** The seed: any non-negative safe integer. */
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
    /** Site accounts; each gets one unique deposit address (the real site had about 1.3 million). */
    users: z.number().int().min(1).max(5_000_000).default(1000),
    /** Share of accounts that pay the site at least once (the rest only hold an address). */
    payingShare: share.default(0.5),
    /** Number of exchanges users buy at. */
    exchanges: z.number().int().min(1).max(26).default(5),
    /** Site sign-ups per block at most. */
    usersPerBlock: z.number().int().min(1).max(2000).default(200),
    /** Sign-ups are spread over at least this many blocks, so small worlds still span time. */
    minArrivalBlocks: positiveInt.default(12),
    /** Height of the first block (BIP34 heights in coinbases follow from it). */
    startHeight: z.number().int().min(0).max(10_000_000).default(800_000),
    /** Unix time of the first block: mainnet block 800,000. */
    startTime: z.number().int().min(1_231_006_505).max(4_000_000_000).default(1_690_168_629),
    /** Blocks that only pay miners before anyone trades, so that coinbases mature (100 blocks). */
    bootstrapBlocks: z.number().int().min(101).max(10_000).default(110),
    /** Exchange rate used to turn the site's USD prices into satoshis. */
    btcPriceUsd: z.number().positive().default(29_000),
    /** What one payment to the site costs, in USD; each payment picks one. */
    priceTiersUsd: z.array(z.number().positive()).min(1).readonly().default([25, 50, 100, 150, 250, 352]),
    /** Chance that a paying user pays once more (repeated up to `maxPaymentsPerUser`). */
    repeatPaymentChance: share.default(0.35),
    maxPaymentsPerUser: z.number().int().min(1).max(20).default(6),
    /** Blocks between a user's successive steps (withdrawal, mix, payments). */
    stepGapBlocks: range(1, 1000).default([1, 24]),
    /** Share of paying users who pay straight from an exchange withdrawal to the site. */
    directPayShare: share.default(0.2),
    /** Share of paying users who mix before paying. */
    coinjoinShare: share.default(0.1),
    /** Of the mixing users, the share who use Whirlpool (the rest use Wasabi). */
    whirlpoolShare: share.default(0.6),
    /** Share of wallet users who reuse their receiving address (change comes back to it). */
    addressReuseShare: share.default(0.15),
    /** Share of wallet users whose first payment spends coins on two of their addresses. */
    multiInputShare: share.default(0.15),
    /** Relative frequency of users' wallet address types. */
    addressTypeWeights: z
      .object({ p2pkh: z.number().min(0), 'p2sh-p2wpkh': z.number().min(0), p2wpkh: z.number().min(0), p2tr: z.number().min(0) })
      .readonly()
      .default({ p2pkh: 0.15, 'p2sh-p2wpkh': 0.2, p2wpkh: 0.45, p2tr: 0.2 }),
    /** Share of change outputs that break the usual patterns (another script type, a round value). */
    changeBreakShare: share.default(0.1),
    /** Address type of the site's deposit addresses (the real site's were legacy P2PKH). */
    siteAddressType: z.enum(WALLET_KEY_TYPES).default('p2pkh'),
    /** The site sweeps its deposits every this many blocks. */
    siteSweepEveryBlocks: positiveInt.default(6),
    /** Inputs per sweep transaction at most; a larger sweep is split into a chain. */
    siteMaxSweepInputs: z.number().int().min(2).max(600).default(400),
    /** Deposits below this many satoshis are not worth sweeping and stay where they are. */
    siteDustSats: z.number().int().min(0).default(15_000),
    /** The site moves money to the operator every this many blocks. */
    operatorEveryBlocks: positiveInt.default(36),
    /** Of each move to the operator, the share of the operator's coins left untouched. */
    operatorHoldShare: share.default(0.15),
    /** Of each move to the operator, the share cashed out through a peel chain (the rest goes to an exchange at once). */
    peelChainShare: share.default(0.45),
    peelChainHops: range(1, 100).default([3, 8]),
    /** Unrelated transactions per paying user (exchange customers, payments, sales). */
    backgroundTxPerUser: z.number().min(0).max(100).default(1),
    /** Share of the exchanges' hot and cold wallet addresses listed in tags.yaml. */
    taggedWalletShare: share.default(0.6),
    /** Share of wallet payments built to look like change to the change heuristics. */
    misleadingPaymentShare: share.default(0.02),
    /** An exchange batch that looks like a CoinJoin every this many blocks (0: never). */
    coinjoinLookalikeEveryBlocks: z.number().int().min(0).default(40),
    /** Median fee rate in sat/vB; each block draws its own around it (log-normal). */
    feeRateMedian: z.number().min(1).max(1000).default(12),
    feeRateSigma: z.number().min(0).max(3).default(0.6),
    /** Obfuscate the block files with a key in blocks/xor.dat, as Bitcoin Core 28 does. */
    obfuscate: z.boolean().default(false),
    /** Start a new blk*.dat file past this size (Bitcoin Core: 128 MiB). */
    maxBlockFileBytes: z.number().int().min(1 << 16).max(0x7fffffff).default(128 * 1024 * 1024),
    /** Noise in seized-addresses.txt. */
    seizedBlankLineShare: share.default(0.003),
    seizedDuplicateShare: share.default(0.01),
  })
  .strict();

/** What callers pass: any subset of the parameters. */
export type WorldOptions = z.input<typeof worldOptionsSchema>;
/** Every parameter, defaults filled in. */
export type ResolvedWorldOptions = z.output<typeof worldOptionsSchema>;

/** The defaults, for documentation and for the test that pins them. */
export const WORLD_DEFAULTS: ResolvedWorldOptions = worldOptionsSchema.parse({});

export class BadWorldOptionsError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_BAD_WORLD_OPTIONS', `Invalid scenario parameters: ${detail}. See packages/scenario/README.md for each parameter and its range.`);
  }
}

/** Validates and fills in defaults; throws {@link BadWorldOptionsError} naming each bad field. */
export function resolveWorldOptions(options: WorldOptions = {}): ResolvedWorldOptions {
  const result = worldOptionsSchema.safeParse(options);
  if (!result.success) {
    throw new BadWorldOptionsError(result.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; '));
  }
  const weights = Object.values(result.data.addressTypeWeights);
  if (weights.every((w) => w === 0)) throw new BadWorldOptionsError('addressTypeWeights: at least one weight must be positive');
  return result.data;
}

/** Draws a wallet address type by `addressTypeWeights`. */
export function drawWalletType(rng: { weighted(weights: readonly number[]): number }, options: ResolvedWorldOptions): WalletKeyType {
  const weights = WALLET_KEY_TYPES.map((t) => options.addressTypeWeights[t]);
  return WALLET_KEY_TYPES[rng.weighted(weights)] as WalletKeyType;
}
