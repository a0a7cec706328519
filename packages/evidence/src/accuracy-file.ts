/**
 * Published error rates to cite in a bundle's method section (issue 10): the JSON that
 * `pnpm accuracy` writes, per clustering or CoinJoin rule (`cioh`, `change:one-time`,
 * `whirlpool`, ...) and per report model (`payer-attribution`, `poison`, `haircut`, `fifo`),
 * with the chaintrail version, the date and the generated worlds they were measured on.
 *
 * The measured file ships with this package (published-accuracy.json), so every bundle
 * cites the rates of the chaintrail that wrote it without any step from the user; a bundle
 * embeds the file it cites and the manifest records its name, basis and SHA-256.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BadExportOptionError } from './evidence-errors.js';

const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const figures = z.record(z.string(), z.record(z.string(), scalar));

export const accuracyFileSchema = z.looseObject({
  format: z.literal('chaintrail-accuracy').optional(),
  formatVersion: z.number().int().optional(),
  chaintrailVersion: z.string().optional(),
  /** ISO date of the measurement. */
  measuredAt: z.string().optional(),
  command: z.string().optional(),
  /** What each section was measured on (generator, seed, users, transactions). */
  worlds: figures.optional(),
  heuristics: figures,
  models: figures.optional(),
});

export type AccuracyFile = z.infer<typeof accuracyFileSchema>;
export type AccuracyFigures = Readonly<Record<string, string | number | boolean | null>>;

/** An accuracy file as a bundle cites it. */
export interface CitedAccuracy {
  readonly figures: AccuracyFile;
  /** The exact bytes, embedded in the bundle. */
  readonly bytes: Buffer;
  /** File name (never a local path, so the same case gives the same bytes anywhere). */
  readonly name: string;
  readonly basis: string;
  readonly sha256: string;
}

/** The file `pnpm accuracy` writes and this package ships. */
export const PUBLISHED_ACCURACY_FILE = fileURLToPath(new URL('../published-accuracy.json', import.meta.url));

function parseAccuracy(bytes: Buffer, path: string, flag: string): AccuracyFile {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new BadExportOptionError(flag, `cannot read ${path} as JSON (${(error as Error).message})`);
  }
  const parsed = accuracyFileSchema.safeParse(json);
  if (!parsed.success) throw new BadExportOptionError(flag, `${path} is not an accuracy file: expected {"heuristics": {"cioh": {"precision": 0.99, ...}, ...}} (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}

function cite(bytes: Buffer, path: string, basis: string, flag: string): CitedAccuracy {
  return { figures: parseAccuracy(bytes, path, flag), bytes, name: basename(path), basis, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** An accuracy file given by the user (`--accuracy FILE`), in place of the published one. */
export function readAccuracyFile(path: string): CitedAccuracy {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new BadExportOptionError('--accuracy', `cannot read ${path} (${(error as { code?: string }).code ?? (error as Error).message})`);
  }
  return cite(bytes, path, `given at export with --accuracy (${basename(path)})`, '--accuracy');
}

/** The published rates shipped with this package; null when this build has none (a bundle then says so). */
export function publishedAccuracy(path: string = PUBLISHED_ACCURACY_FILE): CitedAccuracy | null {
  if (!existsSync(path)) return null;
  const cited = cite(readFileSync(path), path, '', 'published accuracy');
  const f = cited.figures;
  return { ...cited, basis: `published with chaintrail ${f.chaintrailVersion ?? '(version not stated)'}, measured ${f.measuredAt ?? '(date not stated)'} by \`${f.command ?? 'pnpm accuracy'}\`; the default when no --accuracy file is given` };
}

export interface AccuracySection {
  readonly section: 'heuristics' | 'models';
  /** Figures per rule or model name. */
  readonly figures: Readonly<Record<string, AccuracyFigures>>;
  /** What they were measured on. */
  readonly world: AccuracyFigures;
  readonly chaintrailVersion: string;
  /** ISO date (YYYY-MM-DD). */
  readonly measuredAt: string;
}

/**
 * Writes one section of the published accuracy file (the two `pnpm accuracy` benchmarks
 * each own one), keeping the other. A measurement that gives the same figures as the file
 * holds leaves it untouched, so rerunning the benchmarks does not churn a committed file.
 * Returns whether the file changed.
 */
export function recordAccuracySection(entry: AccuracySection, path: string = PUBLISHED_ACCURACY_FILE): boolean {
  const current = existsSync(path) ? parseAccuracy(readFileSync(path), path, 'published accuracy') : null;
  const undated = (world: AccuracyFigures | undefined): string => JSON.stringify(Object.entries(world ?? {}).filter(([key]) => key !== 'measuredAt'));
  const sameFigures =
    current !== null &&
    JSON.stringify(current[entry.section] ?? null) === JSON.stringify(entry.figures) &&
    undated(current.worlds?.[entry.section]) === undated(entry.world) &&
    current.chaintrailVersion === entry.chaintrailVersion;
  if (sameFigures) return false;
  const next = {
    format: 'chaintrail-accuracy',
    formatVersion: 1,
    chaintrailVersion: entry.chaintrailVersion,
    measuredAt: entry.measuredAt,
    command: 'pnpm accuracy',
    worlds: { ...(current?.worlds ?? {}), [entry.section]: { ...entry.world, measuredAt: entry.measuredAt } },
    heuristics: current?.heuristics ?? {},
    models: current?.models ?? {},
    [entry.section]: entry.figures,
  };
  const partial = `${path}.partial`;
  writeFileSync(partial, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(partial, path);
  return true;
}
