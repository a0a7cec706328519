import { basename } from 'node:path';
import type { GraphStore, SeedRecord } from '@chaintrail/store';
import { eventLoopTurn } from './event-loop-turn.js';
import type { RejectsFile } from './rejects-file.js';
import { markDuplicates, type SeedOriginIndex } from './seed-duplicates.js';
import { parseSeedList, SEED_REJECT_REASONS, type SeedListLayout, type SeedListOptions, type SeedRejectReason } from './seed-list.js';

export interface SeedImportOptions {
  readonly store: GraphStore;
  readonly caseId: string;
  readonly path: string;
  readonly list?: SeedListOptions;
  /** Where each address was first seen (the job journal, or memory). */
  readonly origins: SeedOriginIndex;
  /** Every rejected line goes here. */
  readonly rejects: RejectsFile;
  /** Seeds written to the store per call. */
  readonly batchSize?: number;
  readonly onProgress?: (linesRead: number) => void;
  readonly signal?: AbortSignal;
}

export interface SeedImportSummary {
  /** The file's name, as recorded with each seed. */
  readonly file: string;
  readonly layout: SeedListLayout;
  /** Lines (or JSON elements) read. */
  readonly entries: number;
  /** Lines that became seeds of the case (a line imported again counts again). */
  readonly accepted: number;
  readonly rejected: Readonly<Record<SeedRejectReason, number>>;
  readonly rejectedTotal: number;
  readonly rejectsFile: string;
  /** The first rejects, for the summary on screen. */
  readonly examples: ReadonlyArray<{ line: number; reason: SeedRejectReason; detail: string }>;
}

const EXAMPLES = 10;

/**
 * Streams a seed list into a case: each good line becomes a seed with its line number,
 * each bad line a row of the rejects file and a count in the summary. Seeds are written in
 * batches (idempotent by address), so a run cut short and run again ends in the same case.
 */
export async function importSeeds(options: SeedImportOptions): Promise<SeedImportSummary> {
  const file = basename(options.path);
  const batchSize = options.batchSize ?? 5000;
  const rejected = Object.fromEntries(SEED_REJECT_REASONS.map((r) => [r, 0])) as Record<SeedRejectReason, number>;
  const examples: { line: number; reason: SeedRejectReason; detail: string }[] = [];
  let layout: SeedListLayout = { format: 'txt', column: null, header: false };
  let entries = 0;
  let accepted = 0;
  let batch: SeedRecord[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await options.store.addSeeds(options.caseId, batch);
    batch = [];
  };
  const parsed = parseSeedList(options.path, options.list, (l) => (layout = l));
  for await (const entry of markDuplicates(parsed, file, options.origins)) {
    entries++;
    if (entry.kind === 'seed') {
      accepted++;
      batch.push({ address: entry.address, line: entry.line, file });
      if (batch.length >= batchSize) {
        await flush();
        await eventLoopTurn();
        options.signal?.throwIfAborted();
      }
    } else {
      rejected[entry.reason]++;
      if (examples.length < EXAMPLES) examples.push({ line: entry.line, reason: entry.reason, detail: entry.detail });
      await options.rejects.add(entry);
    }
    if (entries % 10_000 === 0) options.onProgress?.(entries);
  }
  await flush();
  options.onProgress?.(entries);
  const rejectedTotal = Object.values(rejected).reduce((a, b) => a + b, 0);
  return { file, layout, entries, accepted, rejected, rejectedTotal, rejectsFile: options.rejects.path, examples };
}
