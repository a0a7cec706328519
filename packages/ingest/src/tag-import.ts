import { extname } from 'node:path';
import { liftTags, type Network, type Tag } from '@chaintrail/core';
import type { GraphStore, TagRecord } from '@chaintrail/store';
import { tagOfRecord } from './cluster-run.js';
import { mapConcurrent } from './map-concurrent.js';
import { readOfacList, streamCsvTags, streamTagPack, type TagChunk, type TagProblem } from './tags/index.js';

/** The tag file formats chaintrail reads (METHODS.md, "Tags"). */
export type TagFileKind = 'tagpack' | 'ofac' | 'csv';

export const TAG_FILE_KINDS: readonly TagFileKind[] = ['tagpack', 'ofac', 'csv'];

/** From the extension: `.yaml`/`.yml` TagPack, `.csv` CSV, `.txt`/`.json` an OFAC address list. */
export function tagFileKind(path: string): TagFileKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'tagpack';
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  return 'ofac';
}

export interface TagImportOptions {
  readonly store: GraphStore;
  readonly path: string;
  /** Default: from the file name ({@link tagFileKind}). */
  readonly kind?: TagFileKind;
  readonly network?: Network;
  /** Told every tagged address (the job journal keeps them for lifting labels after clustering). */
  readonly onTagged?: (addresses: readonly string[]) => void;
  readonly onProgress?: (tags: number) => void;
}

export interface TagImportSummary {
  readonly file: string;
  readonly kind: TagFileKind;
  readonly tags: number;
  readonly addresses: number;
  /** Tags for other chains, skipped. */
  readonly otherChains: number;
  readonly errors: number;
  readonly warnings: number;
  /** The first problems, each naming file and line. */
  readonly problems: readonly TagProblem[];
}

const SHOWN_PROBLEMS = 20;

export function tagRecordOf(tag: Tag): TagRecord {
  return {
    address: tag.address,
    label: tag.label,
    category: tag.category,
    source: tag.source,
    confidence: tag.confidence,
    url: tag.url ?? null,
    lastmod: tag.lastmod ?? null,
    abuse: tag.abuse ?? null,
    actor: tag.actor ?? null,
    context: tag.context ?? null,
  };
}

async function* chunksOf(path: string, kind: TagFileKind, network: Network): AsyncGenerator<TagChunk> {
  if (kind === 'tagpack') yield* streamTagPack(path, { network });
  else if (kind === 'csv') yield* streamCsvTags(path, { network });
  else yield await readOfacList(path, { network });
}

/**
 * Reads one tag file into the store (idempotent by address, label and source), keeping
 * every tag's source, and counts what was skipped and why.
 */
export async function importTags(options: TagImportOptions): Promise<TagImportSummary> {
  const kind = options.kind ?? tagFileKind(options.path);
  const network = options.network ?? 'mainnet';
  let tags = 0;
  let otherChains = 0;
  let errors = 0;
  let warnings = 0;
  const problems: TagProblem[] = [];
  const addresses = new Set<string>();
  for await (const chunk of chunksOf(options.path, kind, network)) {
    if (chunk.tags.length > 0) {
      await options.store.writeTags(chunk.tags.map(tagRecordOf));
      const batch = [...new Set(chunk.tags.map((t) => t.address))];
      for (const address of batch) addresses.add(address);
      options.onTagged?.(batch);
    }
    tags += chunk.tags.length;
    otherChains += chunk.otherChains;
    for (const problem of chunk.problems) {
      if (problem.severity === 'error') errors++;
      else warnings++;
      if (problems.length < SHOWN_PROBLEMS) problems.push(problem);
    }
    options.onProgress?.(tags);
  }
  return { file: options.path, kind, tags, addresses: addresses.size, otherChains, errors, warnings, problems };
}

/**
 * Lifts the tags of `addresses` to the entities already holding them in the store, for
 * tags imported after a clustering run (a later clustering run lifts every tag anyway).
 * Returns the entities given a label or category.
 */
export async function relabelEntitiesOf(store: GraphStore, addresses: readonly string[], concurrency = 16): Promise<number> {
  const entityIds = new Set<string>();
  for (let i = 0; i < addresses.length; i += 5000) {
    const summaries = await mapConcurrent(addresses.slice(i, i + 5000), concurrency, async (address) => {
      try {
        return (await store.addressSummary(address)).entityId;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'CHAINTRAIL_NOT_FOUND') return null;
        throw error;
      }
    });
    for (const id of summaries) if (id !== null) entityIds.add(id);
  }
  const labels = await mapConcurrent([...entityIds], concurrency, async (entityId) => {
    const lifted = liftTags((await store.tagsByEntity(entityId)).map(tagOfRecord), () => entityId).entities[0];
    return { entityId, label: lifted?.label ?? null, category: lifted?.category ?? null };
  });
  for (let i = 0; i < labels.length; i += 5000) await store.writeEntityLabels(labels.slice(i, i + 5000));
  return labels.filter((l) => l.label !== null || l.category !== null).length;
}
