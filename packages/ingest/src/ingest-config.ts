import { z } from 'zod';
import { BadIngestOptionsError } from './ingest-errors.js';

/**
 * The knobs of an ingestion run, with their defaults. The CLI layers environment variables
 * and flags over these (packages/cli/src/config.ts); a test pins the defaults.
 *
 * Why these defaults: two hops back reach, from a deposit address, the payer's wallet and
 * the withdrawal that funded it, which is where an exchange shows up in the Welcome to
 * Video pattern (DESIGN.md, "The workflow it serves"); two hops forward reach the site's
 * sweep and where the swept money went next. 1,000 transactions per address keeps an
 * exchange hot wallet (millions of transactions) from swallowing a run while leaving any
 * ordinary wallet whole.
 */
export const ingestSettingsSchema = z
  .object({
    /** Hops backward from the seeds' transactions: parents of their inputs, and so on. */
    hopsBack: z.number().int().min(0).max(12).default(2),
    /** Hops forward: transactions spending their outputs, and so on. */
    hopsForward: z.number().int().min(0).max(12).default(2),
    /** Inputs and outputs worth less than this (satoshis) are not followed. */
    minValue: z.number().int().min(0).max(2_100_000_000_000_000).default(0),
    /** Transactions read per address (seed history, spender search); more is cut and reported. */
    maxTxsPerAddress: z.number().int().min(1).max(10_000_000).default(1000),
    /**
     * Seeds fetched per checkpointed batch. Each batch ends in a commit of the store and the
     * journal, whose cost is mostly per commit (pages of random-keyed B-trees rewritten):
     * 1,000 seeds took about 11% less CPU than 250 on a 20,000-user world, and a crash
     * loses at most one batch.
     */
    seedBatch: z.number().int().min(1).max(10_000).default(1000),
    /** Frontier transactions fetched per checkpointed batch (see seedBatch). */
    txBatch: z.number().int().min(1).max(10_000).default(2000),
    /** Requests in flight against the chain source. */
    concurrency: z.number().int().min(1).max(256).default(16),
    /** Bitcoin network of the seeds and the source. */
    network: z.enum(['mainnet', 'testnet', 'signet', 'regtest']).default('mainnet'),
  })
  .strict();

export type IngestSettings = z.output<typeof ingestSettingsSchema>;
export type IngestSettingsInput = z.input<typeof ingestSettingsSchema>;

export const INGEST_DEFAULTS: IngestSettings = ingestSettingsSchema.parse({});

/** Validates and fills in defaults; throws {@link BadIngestOptionsError} naming each bad field. */
export function resolveIngestSettings(input: IngestSettingsInput = {}): IngestSettings {
  const result = ingestSettingsSchema.safeParse(input);
  if (!result.success) throw new BadIngestOptionsError(result.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; '));
  return result.data;
}

/** The settings that decide what a run fetches; a resumed run must have the same ones. */
export function scopeOf(settings: IngestSettings): { hopsBack: number; hopsForward: number; minValue: number; maxTxsPerAddress: number; network: string } {
  const { hopsBack, hopsForward, minValue, maxTxsPerAddress, network } = settings;
  return { hopsBack, hopsForward, minValue, maxTxsPerAddress, network };
}
