/**
 * The drawn subgraph as two CSV tables (RFC 4180): nodes and edges. Amounts in satoshis and
 * in BTC, times in UTC. Text that a spreadsheet would run as a formula (=, +, -, @ first) is
 * prefixed with an apostrophe (OWASP "CSV injection"): tag labels come from outside.
 */
import { edgeRows, nodeRows, type ExportContext } from './node-columns.js';

function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function nodesCsv(context: ExportContext): string {
  return table(
    ['key', 'kind', 'id', 'label', 'category', 'entity', 'collapsed_addresses', 'note', 'colour', 'x', 'y'],
    nodeRows(context).map((r) => [r.key, r.kind, r.id, r.label, r.category, r.entity, r.collapsedAddresses, r.note, r.colour, r.x, r.y]),
  );
}

export function edgesCsv(context: ExportContext): string {
  return table(
    ['source', 'target', 'kind', 'value_sats', 'value_btc', 'tx_count', 'first_time_utc', 'last_time_utc'],
    edgeRows(context).map((r) => [r.source, r.target, r.kind, r.valueSats, r.valueBtc, r.txCount, r.firstTime, r.lastTime]),
  );
}
