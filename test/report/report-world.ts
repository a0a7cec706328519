/**
 * A scenario world made into a case the way an investigator makes one, through the ingest
 * pipeline's own functions: the noisy seized list imported, the world's exchange tags (and
 * any others) imported, the block files ingested with hops back and forward, and the
 * result clustered. Shared by the report tests and bench/report-accuracy.bench.ts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBlockFileSource } from '@chaintrail/chain';
import { importSeeds, importTags, JobJournal, RejectsFile, resolveIngestSettings, runIngest } from '@chaintrail/ingest';
import { openStore, type CaseRecord, type GraphStore } from '@chaintrail/store';

export interface IngestedCase {
  readonly store: GraphStore;
  readonly record: CaseRecord;
  close(): Promise<void>;
}

export interface CaseOptions {
  /** Where the store, journal and caches go. */
  readonly home: string;
  /** Folder of block files (blk*.dat or raw blocks). */
  readonly blocks: string;
  readonly seeds: string;
  readonly tagFiles: readonly string[];
  readonly hopsBack: number;
  readonly hopsForward: number;
}

export async function ingestCase(options: CaseOptions): Promise<IngestedCase> {
  mkdirSync(options.home, { recursive: true });
  const store = await openStore(`sqlite:${join(options.home, 'case.sqlite')}`);
  const journal = JobJournal.open(join(options.home, 'case.journal.sqlite'));
  try {
    const { id } = await store.createCase({ name: 'site' });
    const rejects = await RejectsFile.create(join(options.home, 'rejects.csv'));
    try {
      await importSeeds({ store, caseId: id, path: options.seeds, origins: { record: (seeds) => journal.recordSeedOrigins(id, seeds) }, rejects });
    } finally {
      await rejects.close();
    }
    for (const path of options.tagFiles) await importTags({ store, path, onTagged: (addresses) => journal.addTagged(addresses) });
    const source = await openBlockFileSource(options.blocks, { cacheDir: join(options.home, 'cache') });
    try {
      await runIngest({ store, source, journal, caseId: id, settings: resolveIngestSettings({ hopsBack: options.hopsBack, hopsForward: options.hopsForward }), cluster: true });
    } finally {
      await source.close();
    }
    journal.close();
    return { store, record: await store.getCase(id), close: () => store.close() };
  } catch (error) {
    journal.close();
    await store.close();
    throw error;
  }
}

/** Addresses named in a tag file, read with a plain pattern rather than chaintrail's parsers. */
export function addressesIn(path: string): Set<string> {
  return new Set([...readFileSync(path, 'utf8').matchAll(/\b(bc1[a-z0-9]{11,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b/g)].map((m) => m[1] as string));
}

/**
 * Bitcoin addresses of a GraphSense TagPack, read with plain patterns rather than
 * chaintrail's parser: each `- address:` entry with its own `currency`, or the header's.
 */
export function bitcoinAddressesInTagPack(path: string): Set<string> {
  const text = readFileSync(path, 'utf8');
  const [header = '', ...entries] = text.split(/^- /m);
  const headerCurrency = /^currency:\s*'?(\w+)/m.exec(header)?.[1] ?? 'BTC';
  const found = new Set<string>();
  for (const entry of entries) {
    const address = /address:\s*'?([A-Za-z0-9]+)/.exec(entry)?.[1];
    const currency = /^\s*currency:\s*'?(\w+)/m.exec(entry)?.[1] ?? headerCurrency;
    if (address !== undefined && currency.toUpperCase() === 'BTC' && /^(bc1|[13])/.test(address)) found.add(address);
  }
  return found;
}
