/**
 * The bundle's tables as CSV (RFC 4180, a header row, `\n` line ends, fields quoted only
 * when they must be), written and read back with line numbers so that a verifier can say
 * "tables/outputs.csv line 17".
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { TABLES, type TableName, type TableRow } from './bundle-layout.js';

/** A cell: text, a number, a bigint, or empty (null). */
export type Cell = string | number | bigint | boolean | null;

function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  return String(cell);
}

/** The table's CSV text: its header row, then the rows (each in column order). */
export function csvText(table: TableName, rows: Iterable<readonly Cell[]>): string {
  const columns = TABLES[table].columns;
  const records: string[][] = [[...columns]];
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`a ${table} row has ${row.length} cells, the table ${columns.length} columns`);
    records.push(row.map(cellText));
  }
  return stringify(records, { eof: true, record_delimiter: 'unix' });
}

export interface ParsedRow<T extends TableName> {
  readonly row: TableRow<T>;
  /** 1-based line of the file where the row starts (the header is line 1). */
  readonly line: number;
}

export interface ParsedTable<T extends TableName> {
  readonly rows: ParsedRow<T>[];
  /** Problems reading the file: a header that differs from the layout, a row of the wrong width. */
  readonly problems: { line: number; message: string }[];
}

/** Reads a table; the header must be exactly the layout's columns. */
export function parseCsvTable<T extends TableName>(table: T, text: string): ParsedTable<T> {
  const columns: readonly string[] = TABLES[table].columns;
  const problems: { line: number; message: string }[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { rows: [], problems: [{ line, message: `not valid CSV: ${(error as Error).message}` }] };
  }
  const [header, ...body] = records;
  if (header === undefined) return { rows: [], problems: [{ line: 1, message: 'the file is empty; it should start with a header row' }] };
  if (header.record.join(',') !== columns.join(',')) {
    return { rows: [], problems: [{ line: 1, message: `the header row is "${header.record.join(',')}", expected "${columns.join(',')}"` }] };
  }
  const rows: ParsedRow<T>[] = [];
  for (const { record, info } of body) {
    // csv-parse reports the line a record ends on; bundle rows never span lines except in quoted text.
    const line = info.lines;
    if (record.length !== columns.length) {
      problems.push({ line, message: `${record.length} fields, expected ${columns.length}` });
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((c, i) => (row[c] = record[i] as string));
    rows.push({ row: row as TableRow<T>, line });
  }
  return { rows, problems };
}
