import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { CsvError, parse } from 'csv-parse';
import { isTagConfidence, toError, type Network, type Tag } from '@chaintrail/core';
import { tagAddress } from './tag-address.js';
import { TagFileError, tagProblem, type TagChunk, type TagProblem } from './tag-problems.js';

/**
 * A plain CSV of tags: `address,label,category,source`, with a header row naming them (any
 * order; optional further columns `confidence`, `url`, `lastmod`, `abuse`, `actor`) or
 * without one in that order. `address` and `label` are required; an empty `source` falls
 * back to `csv:<file name>`. Streamed, in chunks.
 */
export interface CsvTagOptions {
  readonly network?: Network;
  /** Source for rows without one; default `csv:<file name>`. */
  readonly defaultSource?: string;
  readonly batchSize?: number;
}

const POSITIONAL = ['address', 'label', 'category', 'source'];
const KNOWN = new Set([...POSITIONAL, 'confidence', 'url', 'lastmod', 'abuse', 'actor']);

function cell(row: readonly string[], columns: ReadonlyMap<string, number>, name: string): string | null {
  const index = columns.get(name);
  const value = index === undefined ? undefined : row[index]?.trim();
  return value === undefined || value === '' ? null : value;
}

/** Reads a tag CSV as chunks; throws {@link TagFileError} when the file is unreadable or not CSV. */
export async function* streamCsvTags(path: string, options: CsvTagOptions = {}): AsyncGenerator<TagChunk> {
  const network = options.network ?? 'mainnet';
  const fallbackSource = options.defaultSource ?? `csv:${basename(path)}`;
  const batchSize = options.batchSize ?? 5_000;
  const input = createReadStream(path);
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, raw: true }));
  let columns: Map<string, number> | null = null;
  let tags: Tag[] = [];
  let problems: TagProblem[] = [];
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      const { record: row, info } = record;
      // csv-parse counts to a record's last line; a quoted field may span several.
      const line = info.lines - (record.raw.replace(/^(?:\r?\n)+/, '').replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
      if (columns === null) {
        const names = row.map((c) => c.trim().toLowerCase());
        if (names.includes('address')) {
          columns = new Map(names.map((n, i) => [n, i]));
          if (!columns.has('label')) throw new TagFileError(path, line, 'the header names no `label` column. Expected address,label,category,source.');
          for (const name of names) if (!KNOWN.has(name)) problems.push(tagProblem('warning', 'CHAINTRAIL_TAG_UNKNOWN_FIELD', path, line, `unknown column "${name}" is ignored.`));
          continue;
        }
        columns = new Map(POSITIONAL.map((n, i) => [n, i]));
      }
      const label = cell(row, columns, 'label');
      if (label === null) {
        problems.push(tagProblem('error', 'CHAINTRAIL_TAG_MISSING_FIELD', path, line, 'the row has no label. Give every row an address and a label.'));
        continue;
      }
      const confidence = cell(row, columns, 'confidence');
      if (confidence !== null && !isTagConfidence(confidence)) {
        problems.push(tagProblem('error', 'CHAINTRAIL_TAG_BAD_CONFIDENCE', path, line, `confidence "${confidence}" is not in GraphSense's vocabulary (ownership, authority_data, service_data, forensic, web_crawl, ...).`));
        continue;
      }
      const address = tagAddress(cell(row, columns, 'address'), network, path, line);
      if ('problem' in address) {
        problems.push(address.problem);
        continue;
      }
      tags.push({
        address: address.address,
        label,
        category: cell(row, columns, 'category'),
        source: cell(row, columns, 'source') ?? fallbackSource,
        confidence,
        url: cell(row, columns, 'url'),
        lastmod: cell(row, columns, 'lastmod'),
        abuse: cell(row, columns, 'abuse'),
        actor: cell(row, columns, 'actor'),
        origin: { file: path, line },
      });
      if (tags.length >= batchSize) {
        yield { tags, problems, otherChains: 0 };
        tags = [];
        problems = [];
      }
    }
  } catch (error) {
    if (error instanceof TagFileError) throw error;
    if (error instanceof CsvError) throw new TagFileError(path, Number((error as CsvError & { lines?: number }).lines ?? 0), `not valid CSV: ${error.message}`, { cause: error });
    throw new TagFileError(path, 0, `cannot read the file: ${toError(error).message}`, { cause: error });
  } finally {
    input.destroy();
  }
  if (tags.length > 0 || problems.length > 0) yield { tags, problems, otherChains: 0 };
}

/** All of a tag CSV at once (see {@link streamCsvTags}). */
export async function readCsvTags(path: string, options: CsvTagOptions = {}): Promise<TagChunk & { tags: Tag[]; problems: TagProblem[] }> {
  const tags: Tag[] = [];
  const problems: TagProblem[] = [];
  for await (const chunk of streamCsvTags(path, options)) {
    tags.push(...chunk.tags);
    problems.push(...chunk.problems);
  }
  return { tags, problems, otherChains: 0 };
}
