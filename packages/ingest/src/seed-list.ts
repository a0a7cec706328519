/**
 * Seed lists as investigators get them from a seized server: plain text (one address a
 * line), CSV database dumps (the address column chosen by name or guessed from the header)
 * and JSON exports (an array of addresses or of objects, or JSON Lines). Streamed, so a
 * list of a million lines never sits in memory; every line comes out either as a seed or
 * as a reject with its line number and reason, so nothing is dropped without a word.
 * Duplicates need memory of what came before and are marked by `seed-duplicates.ts`.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { parseAddress, type Network } from '@chaintrail/core';
import { SeedListError } from './ingest-errors.js';
import { jsonArrayElements } from './json-elements.js';
import { textLines } from './text-lines.js';

export type SeedListFormat = 'txt' | 'csv' | 'json' | 'jsonl';

/** Why a line is not a seed. */
export type SeedRejectReason = 'empty' | 'malformed' | 'bad-checksum' | 'wrong-network' | 'duplicate';

export const SEED_REJECT_REASONS: readonly SeedRejectReason[] = ['empty', 'malformed', 'bad-checksum', 'wrong-network', 'duplicate'];

export interface SeedAccepted {
  readonly kind: 'seed';
  /** 1-based line of the file the seed starts on. */
  readonly line: number;
  /** Normalised (trimmed; bech32 in lower case). */
  readonly address: string;
}

export interface SeedRejected {
  readonly kind: 'reject';
  readonly line: number;
  readonly reason: SeedRejectReason;
  /** What is wrong and what to do, for the rejects file. */
  readonly detail: string;
  /** The offending text, clipped to 200 characters. */
  readonly input: string;
}

export type SeedEntry = SeedAccepted | SeedRejected;

export interface SeedListOptions {
  /** Default: from the file name, else sniffed from the content. */
  readonly format?: SeedListFormat | 'auto';
  /** CSV: the address column by header name or 1-based number; JSON objects: the key. */
  readonly column?: string;
  /** Addresses of other networks are rejected as `wrong-network`. Default mainnet. */
  readonly network?: Network;
}

/** How the list was read, known once the header (if any) has been seen. */
export interface SeedListLayout {
  readonly format: SeedListFormat;
  /** CSV: the address column's header name (or `#n` without a header); JSON: the key; txt: null. */
  readonly column: string | null;
  readonly header: boolean;
}

const ADDRESS_COLUMN_NAMES = ['address', 'btc_address', 'bitcoin_address', 'deposit_address', 'btc', 'bitcoin', 'wallet', 'wallet_address'];
const SNIFF_BYTES = 64 * 1024;
/** Base58Check addresses have 26 to 35 characters (segwit ones, from 14, are checked by their prefix). */
const MIN_ADDRESS_CHARS = 26;
/** Rows without any address read while guessing the address column, before settling on the first. */
const MAX_GUESS_ROWS = 1000;

/** Whether `text` is a usable seed address on `network`, and why not. */
export function classifySeed(text: string, network: Network): { address: string } | { reason: SeedRejectReason; detail: string } {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { reason: 'empty', detail: 'blank line' };
  // A word or a placeholder ("pending", "N/A") can decode as Base58 and fail only on the
  // checksum; a checksum failure means "one character wrong", which those are not.
  if (trimmed.length < MIN_ADDRESS_CHARS && !/^(bc|tb|bcrt)1/i.test(trimmed)) return { reason: 'malformed', detail: `"${clip(trimmed)}" is too short to be an address (${trimmed.length} characters; the shortest addresses have ${MIN_ADDRESS_CHARS})` };
  try {
    return { address: parseAddress(trimmed, { network }).address };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const detail = error instanceof Error ? error.message : String(error);
    if (code === 'CHAINTRAIL_BAD_CHECKSUM') return { reason: 'bad-checksum', detail };
    if (code === 'CHAINTRAIL_WRONG_NETWORK') return { reason: 'wrong-network', detail };
    if (typeof code === 'string' && code.startsWith('CHAINTRAIL_')) return { reason: 'malformed', detail };
    throw error;
  }
}

function entryOf(line: number, text: string, network: Network): SeedEntry {
  const verdict = classifySeed(text, network);
  if ('address' in verdict) return { kind: 'seed', line, address: verdict.address };
  return { kind: 'reject', line, reason: verdict.reason, detail: verdict.detail, input: clip(text) };
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * Streams the seed list at `path`. `onLayout` is called once, before the first entry,
 * with the format and column used (so the summary can say how the file was read).
 */
export async function* parseSeedList(path: string, options: SeedListOptions = {}, onLayout?: (layout: SeedListLayout) => void): AsyncGenerator<SeedEntry> {
  const network = options.network ?? 'mainnet';
  const head = sniff(path);
  const format = options.format === undefined || options.format === 'auto' ? detectFormat(path, head) : options.format;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  try {
    if (format === 'txt') {
      onLayout?.({ format, column: null, header: false });
      for await (const { line, text } of textLines(stream as AsyncIterable<string>)) yield entryOf(line, text, network);
    } else if (format === 'jsonl') {
      onLayout?.({ format, column: options.column ?? null, header: false });
      for await (const { line, text } of textLines(stream as AsyncIterable<string>)) {
        if (text.trim().length === 0) {
          yield entryOf(line, text, network);
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(text) as unknown;
        } catch (error) {
          yield { kind: 'reject', line, reason: 'malformed', detail: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`, input: clip(text) };
          continue;
        }
        yield jsonValueEntry(line, value, text, options.column, network);
      }
    } else if (format === 'json') {
      onLayout?.({ format, column: options.column ?? null, header: false });
      for await (const element of jsonArrayElements(stream as AsyncIterable<string>, basename(path))) {
        if (element.error !== null) yield { kind: 'reject', line: element.line, reason: 'malformed', detail: `not valid JSON: ${element.error}`, input: clip(element.text) };
        else yield jsonValueEntry(element.line, element.value, element.text, options.column, network);
      }
    } else {
      yield* csvEntries(stream, path, head, options.column, network, onLayout);
    }
  } catch (error) {
    if (error instanceof SeedListError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new SeedListError(basename(path), `${String(code)}; check the path`, { cause: error });
    throw error;
  } finally {
    stream.destroy();
  }
}

function jsonValueEntry(line: number, value: unknown, text: string, column: string | undefined, network: Network): SeedEntry {
  if (typeof value === 'string') return entryOf(line, value, network);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const key = column ?? Object.keys(record).find((k) => ADDRESS_COLUMN_NAMES.includes(k.toLowerCase())) ?? Object.keys(record).find((k) => /addr/i.test(k));
    const field = key === undefined ? undefined : record[key];
    if (typeof field === 'string') return entryOf(line, field, network);
    return { kind: 'reject', line, reason: 'malformed', detail: key === undefined ? 'object without an address field (pass --column KEY)' : `field "${key}" is not a string`, input: clip(text) };
  }
  return { kind: 'reject', line, reason: 'malformed', detail: `expected an address string or an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, input: clip(text) };
}

async function* csvEntries(
  stream: AsyncIterable<string | Buffer> & NodeJS.ReadableStream,
  path: string,
  head: string,
  column: string | undefined,
  network: Network,
  onLayout?: (layout: SeedListLayout) => void,
): AsyncGenerator<SeedEntry> {
  const delimiter = extname(path).toLowerCase() === '.tsv' ? '\t' : sniffDelimiter(head);
  const parser = stream.pipe(
    parseCsv({ info: true, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n'], delimiter }),
  ) as AsyncIterable<{ record: string[]; info: { lines: number } }>;
  let index: number | null = null;
  let header: string[] | null = null;
  let first = true;
  // Rows read before the column is known (a header that names none: the first row holding an address decides).
  const waiting: { line: number; record: string[] }[] = [];
  let lastLine = 0;
  const decide = (at: number): void => {
    index = at;
    onLayout?.({ format: 'csv', column: header?.[at]?.trim() || `#${at + 1}`, header: header !== null });
  };
  try {
    for await (const { record, info } of parser) {
      const line = lastLine + 1;
      lastLine = info.lines;
      if (index === null) {
        const withAddress = record.findIndex((cell) => 'address' in classifySeed(cell, network));
        if (first && record.some((cell) => cell.trim().length > 0)) {
          first = false;
          if (withAddress === -1) {
            header = record;
            const byName = pickColumnByName(record, column, path);
            if (byName !== null) decide(byName);
            continue;
          }
          if (column !== undefined && !/^\d+$/.test(column)) throw new SeedListError(basename(path), `--column "${column}" names a column, but the file has no header row; pass the column's number instead`);
        }
        if (withAddress !== -1 || waiting.length >= MAX_GUESS_ROWS) decide(column !== undefined && /^\d+$/.test(column) ? Number(column) - 1 : Math.max(0, withAddress));
        else {
          waiting.push({ line, record });
          continue;
        }
        for (const row of waiting.splice(0)) yield entryOf(row.line, row.record[index ?? 0] ?? '', network);
      }
      yield entryOf(line, record[index ?? 0] ?? '', network);
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) throw new SeedListError(basename(path), `CSV error near line ${lastLine + 1}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    throw error;
  }
  if (index === null) decide(0);
  for (const row of waiting) yield entryOf(row.line, row.record[index ?? 0] ?? '', network);
}

/** The column named by `--column`, or guessed from the header names; null to guess from the data. */
function pickColumnByName(header: readonly string[], column: string | undefined, path: string): number | null {
  const names = header.map((h) => h.trim().toLowerCase());
  if (column !== undefined) {
    if (/^\d+$/.test(column)) return Number(column) - 1;
    const at = names.indexOf(column.trim().toLowerCase());
    if (at === -1) throw new SeedListError(basename(path), `no column "${column}" in the header (columns: ${header.map((h) => h.trim()).join(', ')}); pass --column with one of them or its number`);
    return at;
  }
  for (const name of ADDRESS_COLUMN_NAMES) {
    const at = names.indexOf(name);
    if (at !== -1) return at;
  }
  const fuzzy = names.findIndex((n) => /addr/.test(n));
  return fuzzy === -1 ? null : fuzzy;
}

function sniff(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new SeedListError(basename(path), `${(error as { code?: string }).code ?? 'cannot open'}; check the path`, { cause: error });
  }
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** From the extension, else from the first characters: JSON, CSV (a delimiter on the first line) or text. */
export function detectFormat(path: string, head: string): SeedListFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  const text = head.replace(/^\ufeff/, '').trimStart();
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0] ?? '';
    try {
      JSON.parse(firstLine);
      return 'jsonl';
    } catch {
      return 'json';
    }
  }
  if (ext === '.txt' || ext === '.lst') return 'txt';
  const firstLine = text.split('\n', 1)[0] ?? '';
  return /[,;\t]/.test(firstLine) ? 'csv' : 'txt';
}

function sniffDelimiter(head: string): string {
  const firstLine = head.replace(/^\ufeff/, '').split('\n', 1)[0] ?? '';
  const counts = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}
