/**
 * Where everything sits in an evidence bundle, and the columns of every table. The writer
 * and the verifier both read these, so they cannot disagree on a name. Column names carry
 * their unit (`_sat`, `_utc`, `_byte`, `_pct`) because the tables are read by people in
 * spreadsheets as much as by programs.
 */

export const MANIFEST_FILE = 'manifest.json';
export const SUMS_FILE = 'SHA256SUMS';
export const README_FILE = 'README.txt';
export const RAW_DIR = 'raw';
export const MERKLE_DIR = 'proofs/merkle';
export const HEADERS_FILE = 'proofs/headers.csv';
export const GRAPHML_FILE = 'graph/graph.graphml';
export const GEXF_FILE = 'graph/graph.gexf';
export const FIGURE_SVG_FILE = 'figure/entities.svg';
export const FIGURE_PNG_FILE = 'figure/entities.png';
export const REPORT_HTML_FILE = 'report/report.html';
export const REPORT_PDF_FILE = 'report/report.pdf';
/** The published error rates the report cites, as `pnpm accuracy` wrote them (or as given with --accuracy). */
export const ACCURACY_FILE = 'method/accuracy.json';

export function rawTxPath(txid: string): string {
  return `${RAW_DIR}/${txid}.hex`;
}

/** The merkle proofs of a block's cited transactions, in one file per block. */
export function merkleProofPath(blockHash: string): string {
  return `${MERKLE_DIR}/${blockHash}.json`;
}

/** The tables and their columns, in file order. */
export const TABLES = {
  transactions: {
    file: 'tables/transactions.csv',
    columns: [
      'txid',
      'roles',
      'block_height',
      'block_hash',
      'block_time_utc',
      'position_in_block',
      'version',
      'locktime',
      'size_byte',
      'vsize_vbyte',
      'weight_wu',
      'input_count',
      'output_count',
      'input_total_sat',
      'output_total_sat',
      'fee_sat',
      'coinbase',
      'coinjoin_rule',
      'merkle_proof',
    ],
  },
  inputs: {
    file: 'tables/inputs.csv',
    columns: ['txid', 'vin', 'prev_txid', 'prev_vout', 'resolved', 'address', 'value_sat', 'script_type', 'sequence'],
  },
  outputs: {
    file: 'tables/outputs.csv',
    columns: ['txid', 'vout', 'value_sat', 'address', 'script_type', 'spent_by_txid', 'spent_by_vin'],
  },
  addresses: {
    file: 'tables/addresses.csv',
    columns: ['address', 'script_type', 'entity_id', 'seed_file', 'seed_line', 'received_in_bundle_sat', 'sent_in_bundle_sat', 'outputs_in_bundle', 'inputs_in_bundle'],
  },
  entities: {
    file: 'tables/entities.csv',
    columns: ['entity_id', 'label', 'category', 'size_addresses', 'addresses_in_bundle', 'links_in_bundle', 'links_complete'],
  },
  clusterLinks: {
    file: 'tables/cluster-links.csv',
    columns: ['entity_id', 'address_a', 'address_b', 'heuristic', 'heuristic_version', 'confidence_pct', 'justifying_txid'],
  },
  tags: {
    file: 'tables/tags.csv',
    columns: ['address', 'entity_id', 'label', 'category', 'source', 'confidence', 'url', 'lastmod', 'abuse', 'actor', 'context'],
  },
  paymentsToSeeds: {
    file: 'tables/payments-to-seeds.csv',
    columns: ['txid', 'vout', 'seed_address', 'seed_file', 'seed_line', 'value_sat', 'block_height', 'block_time_utc', 'payer_addresses', 'payer_entities'],
  },
  headers: {
    file: HEADERS_FILE,
    columns: ['height', 'hash', 'prev_hash', 'merkle_root', 'time_utc', 'bits_hex', 'nonce', 'raw_header_hex'],
  },
} as const;

export type TableName = keyof typeof TABLES;
export type TableColumn<T extends TableName> = (typeof TABLES)[T]['columns'][number];
/** One parsed row of a table, by column name. */
export type TableRow<T extends TableName> = Readonly<Record<TableColumn<T>, string>>;

/**
 * The `resolved` column of inputs.csv: `yes` (address, amount and script type stated, from
 * the parent in raw/), `no` (the store does not know what it spends), or this: an input of
 * a context transaction (a parent only) whose own parent is not in the bundle, left empty
 * because it is not a finding and the bundle could not prove it.
 */
export const INPUT_NOT_CITED = 'not-cited';

/**
 * Roles a transaction plays in a bundle (the `roles` column, `;`-separated). `scope` and
 * `link` transactions are the findings; a transaction that is only a `parent` is context,
 * there so that the inputs of the findings can be recomputed from its outputs.
 */
export type TxRole = 'scope' | 'link' | 'parent';
export const TX_ROLES: readonly TxRole[] = ['scope', 'link', 'parent'];
