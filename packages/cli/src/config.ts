/**
 * The CLI's configuration: one typed defaults object, overridden by environment variables
 * and then by flags, validated with zod (CONVENTIONS.md, habit 10). `config.test.ts` pins
 * the defaults.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ingestSettingsSchema } from '@chaintrail/ingest';
import { z } from 'zod';
import { UsageError } from './cli-errors.js';

export const cliConfigSchema = z
  .object({
    /** The data directory: case stores, journals, caches, demo worlds. */
    home: z.string().min(1),
    /** A store for every case (`sqlite:PATH` or `neo4j:bolt://...`); default: one SQLite file per case under `home`. */
    store: z.string().min(1).nullable().default(null),
    /** Bitcoin network of seeds, tags and sources. */
    network: z.enum(['mainnet', 'testnet', 'signet', 'regtest']).default('mainnet'),
    /** Requests per second against an HTTP chain source; null: the source's own default (polite to public servers). */
    rps: z.number().positive().max(100_000).nullable().default(null),
    /** Retries of a failed request to an HTTP chain source; null: the source's own (6, with backoff). */
    retries: z.number().int().min(0).max(20).nullable().default(null),
    ingest: ingestSettingsSchema.omit({ network: true }).default(ingestSettingsSchema.omit({ network: true }).parse({})),
    demo: z
      .object({
        /** Site users in the demo world. */
        users: z.number().int().min(10).max(1_000_000).default(2000),
        seed: z.number().int().min(0).default(2019),
        hopsBack: z.number().int().min(0).max(12).default(2),
        hopsForward: z.number().int().min(0).max(12).default(6),
      })
      .strict()
      .default({ users: 2000, seed: 2019, hopsBack: 2, hopsForward: 6 }),
  })
  .strict();

export type CliConfig = z.output<typeof cliConfigSchema>;

/**
 * The per-user data folder when `CHAINTRAIL_HOME` is not set: XDG on Linux,
 * Application Support on macOS, LOCALAPPDATA on Windows.
 */
export function defaultHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'chaintrail');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'chaintrail');
  return join(env['XDG_DATA_HOME'] ?? join(home, '.local', 'share'), 'chaintrail');
}

/** Environment variables and the setting each overrides. */
const ENV_INTEGERS: ReadonlyArray<readonly [string, keyof CliConfig['ingest']]> = [
  ['CHAINTRAIL_HOPS_BACK', 'hopsBack'],
  ['CHAINTRAIL_HOPS_FORWARD', 'hopsForward'],
  ['CHAINTRAIL_MIN_VALUE', 'minValue'],
  ['CHAINTRAIL_MAX_TXS_PER_ADDRESS', 'maxTxsPerAddress'],
  ['CHAINTRAIL_SEED_BATCH', 'seedBatch'],
  ['CHAINTRAIL_TX_BATCH', 'txBatch'],
  ['CHAINTRAIL_CONCURRENCY', 'concurrency'],
];

function envInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`${name}=${raw} is not a whole number`);
  return Number(raw.trim());
}

/** Defaults, then the environment; flags are applied by each command with {@link withFlags}. */
export function loadConfig(env: NodeJS.ProcessEnv): CliConfig {
  const ingest: Record<string, number> = {};
  for (const [name, key] of ENV_INTEGERS) {
    const value = envInteger(env, name);
    if (value !== undefined) ingest[key] = value;
  }
  return parseConfig({
    home: env['CHAINTRAIL_HOME'] && env['CHAINTRAIL_HOME'].trim() !== '' ? env['CHAINTRAIL_HOME'] : defaultHome(env),
    store: env['CHAINTRAIL_STORE'] && env['CHAINTRAIL_STORE'].trim() !== '' ? env['CHAINTRAIL_STORE'] : null,
    ...(env['CHAINTRAIL_NETWORK'] ? { network: env['CHAINTRAIL_NETWORK'] } : {}),
    ...(envInteger(env, 'CHAINTRAIL_RPS') !== undefined ? { rps: envInteger(env, 'CHAINTRAIL_RPS') } : {}),
    ...(envInteger(env, 'CHAINTRAIL_RETRIES') !== undefined ? { retries: envInteger(env, 'CHAINTRAIL_RETRIES') } : {}),
    ingest,
  });
}

/** The config with flag values laid over it (undefined flags leave the setting alone). */
export function withFlags(config: CliConfig, flags: { store?: string | undefined; network?: string | undefined; ingest?: Partial<Record<keyof CliConfig['ingest'], number | undefined>> }): CliConfig {
  const ingest = { ...config.ingest };
  for (const [key, value] of Object.entries(flags.ingest ?? {})) if (value !== undefined) (ingest as Record<string, number>)[key] = value;
  return parseConfig({ ...config, ...(flags.store ? { store: flags.store } : {}), ...(flags.network ? { network: flags.network } : {}), ingest });
}

function parseConfig(input: unknown): CliConfig {
  const result = cliConfigSchema.safeParse(input);
  if (!result.success) throw new UsageError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return result.data;
}
