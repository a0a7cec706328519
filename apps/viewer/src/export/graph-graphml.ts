/**
 * The drawn subgraph as GraphML (http://graphml.graphdrawing.org/specification.html), read
 * by Gephi, yEd, Cytoscape and graphology: directed, money from source to target, with the
 * same attributes as the CSV export. Satoshis are `long` (64 bits hold 21 million BTC).
 */
import { edgeRows, nodeRows, type ExportContext } from './node-columns.js';

interface Key {
  readonly id: string;
  readonly for: 'node' | 'edge';
  readonly type: 'string' | 'long' | 'int' | 'double';
}

const NODE_KEYS: readonly Key[] = [
  { id: 'kind', for: 'node', type: 'string' },
  { id: 'label', for: 'node', type: 'string' },
  { id: 'category', for: 'node', type: 'string' },
  { id: 'entity', for: 'node', type: 'string' },
  { id: 'collapsed_addresses', for: 'node', type: 'int' },
  { id: 'note', for: 'node', type: 'string' },
  { id: 'colour', for: 'node', type: 'string' },
  { id: 'x', for: 'node', type: 'double' },
  { id: 'y', for: 'node', type: 'double' },
];

const EDGE_KEYS: readonly Key[] = [
  { id: 'kind', for: 'edge', type: 'string' },
  { id: 'value_sats', for: 'edge', type: 'long' },
  { id: 'value_btc', for: 'edge', type: 'string' },
  { id: 'tx_count', for: 'edge', type: 'int' },
  { id: 'first_time_utc', for: 'edge', type: 'string' },
  { id: 'last_time_utc', for: 'edge', type: 'string' },
];

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot hold at all are dropped; the rest escaped.
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function data(key: string, value: string | number, prefix: string): string {
  return value === '' ? '' : `<data key="${prefix}_${key}">${escapeXml(String(value))}</data>`;
}

export function graphml(context: ExportContext, description: string): string {
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...[...NODE_KEYS, ...EDGE_KEYS].map((key) => `  <key id="${key.for[0]}_${key.id}" for="${key.for}" attr.name="${key.id}" attr.type="${key.type}"/>`),
    `  <graph id="chaintrail" edgedefault="directed">`,
    `    <desc>${escapeXml(description)}</desc>`,
  ];
  for (const row of nodeRows(context)) {
    const fields = [
      data('kind', row.kind, 'n'),
      data('label', row.label, 'n'),
      data('category', row.category, 'n'),
      data('entity', row.entity, 'n'),
      data('collapsed_addresses', row.collapsedAddresses === 0 ? '' : row.collapsedAddresses, 'n'),
      data('note', row.note, 'n'),
      data('colour', row.colour, 'n'),
      data('x', row.x, 'n'),
      data('y', row.y, 'n'),
    ].join('');
    lines.push(`    <node id="${escapeXml(row.key)}">${fields}</node>`);
  }
  edgeRows(context).forEach((row, i) => {
    const fields = [
      data('kind', row.kind, 'e'),
      data('value_sats', row.valueSats, 'e'),
      data('value_btc', row.valueBtc, 'e'),
      data('tx_count', row.txCount, 'e'),
      data('first_time_utc', row.firstTime, 'e'),
      data('last_time_utc', row.lastTime, 'e'),
    ].join('');
    lines.push(`    <edge id="e${i}" source="${escapeXml(row.source)}" target="${escapeXml(row.target)}">${fields}</edge>`);
  });
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}
