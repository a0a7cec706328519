import type { SeedOrigin, SeedSighting } from './job-journal.js';
import type { SeedAccepted, SeedEntry } from './seed-list.js';

/**
 * Remembers where each seed address was first seen. `record` answers, for each seed of a
 * batch, the first origin when the address was seen at another entry (a duplicate), or null
 * when it is new or the very same entry seen again (a re-import of the same file, which
 * must not turn every line into a duplicate).
 */
export interface SeedOriginIndex {
  record(seeds: readonly SeedSighting[]): (SeedOrigin | null)[] | Promise<(SeedOrigin | null)[]>;
}

/** An in-memory index, for lists small enough to hold (tests, library use). */
export function memorySeedOriginIndex(): SeedOriginIndex {
  const seen = new Map<string, SeedSighting>();
  return {
    record: (seeds) =>
      seeds.map((seed) => {
        const first = seen.get(seed.address);
        if (first === undefined) {
          seen.set(seed.address, seed);
          return null;
        }
        return first.file === seed.file && first.position === seed.position ? null : { file: first.file, line: first.line };
      }),
  };
}

/**
 * Turns repeated seeds into `duplicate` rejects naming the line they repeat. Works in
 * batches so a disk-backed index answers a thousand lines per transaction.
 */
export async function* markDuplicates(entries: AsyncIterable<SeedEntry>, file: string, index: SeedOriginIndex, batchSize = 1000): AsyncGenerator<SeedEntry> {
  let batch: { entry: SeedEntry; position: number }[] = [];
  let position = 0;
  const flush = async function* (): AsyncGenerator<SeedEntry> {
    const seeds = batch.filter((b): b is { entry: SeedAccepted; position: number } => b.entry.kind === 'seed');
    const origins = await index.record(seeds.map((s) => ({ address: s.entry.address, file, line: s.entry.line, position: s.position })));
    const firstOf = new Map<SeedEntry, SeedOrigin>();
    seeds.forEach((seed, i) => {
      const origin = origins[i];
      if (origin) firstOf.set(seed.entry, origin);
    });
    for (const { entry } of batch) {
      const first = firstOf.get(entry);
      if (entry.kind === 'seed' && first) {
        const where = first.file === file ? `line ${first.line}` : `line ${first.line} of ${first.file}`;
        yield { kind: 'reject', line: entry.line, reason: 'duplicate', detail: `${entry.address} is already a seed of this case (${where})`, input: entry.address };
      } else {
        yield entry;
      }
    }
    batch = [];
  };
  for await (const entry of entries) {
    batch.push({ entry, position: ++position });
    if (batch.length >= batchSize) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}
