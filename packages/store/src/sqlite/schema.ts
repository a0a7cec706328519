/**
 * The SQLite schema, as the list of its migrations (append only: released stores hold
 * every earlier version).
 *
 * Layout choices, for bulk-load speed and small files:
 * - Transactions get an integer id; an output's id is `tx id << 20 | vout` and an input's
 *   `tx id << 20 | vin` (a block holds fewer than 2^20 outputs), so a tx's outputs are one
 *   rowid range and no (txid, vout) index is needed.
 * - Txids are found through `txkey`, their first 48 bits as an integer: an index a third
 *   the size of one on the 32-byte txid, which is what bulk loads spend their time in.
 *   Every lookup also compares the full txid, so a key collision costs nothing but a row.
 * - Both ends of a spend are linked at write time (`outputs.spent_by`,
 *   `inputs.prev_output_id`). A child written before its parent waits in `pending_spends`
 *   and is linked when the parent arrives: any write order gives the same store. Only
 *   inputs whose parent was unknown when written keep the parent's txid (`prev_txid`);
 *   the others reach it through `prev_output_id >> 20`.
 * - Addresses are interned; raw transactions sit in their own table so graph queries stay
 *   in dense pages. The wtxid is not stored: it is the double SHA-256 of the raw bytes.
 */
import type { Migration } from './schema-migrations.js';

const initialSchema = `
CREATE TABLE txs (
  id INTEGER PRIMARY KEY,
  txkey INTEGER NOT NULL,
  txid BLOB NOT NULL,
  version INTEGER NOT NULL,
  locktime INTEGER NOT NULL,
  is_coinbase INTEGER NOT NULL,
  has_witness INTEGER NOT NULL,
  size INTEGER NOT NULL,
  weight INTEGER NOT NULL,
  vsize INTEGER NOT NULL,
  block_hash BLOB,
  height INTEGER,
  time INTEGER,
  position INTEGER
);
CREATE INDEX txs_by_key ON txs (txkey);
CREATE TABLE tx_raw (id INTEGER PRIMARY KEY, raw BLOB NOT NULL);
CREATE TABLE outputs (
  id INTEGER PRIMARY KEY,
  value INTEGER NOT NULL,
  address_id INTEGER,
  script_type INTEGER NOT NULL,
  spent_by INTEGER,
  script BLOB NOT NULL
);
CREATE INDEX outputs_by_address ON outputs (address_id);
CREATE TABLE inputs (
  id INTEGER PRIMARY KEY,
  prev_txid BLOB,
  prev_vout INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  prev_output_id INTEGER
);
CREATE TABLE pending_spends (
  input_id INTEGER PRIMARY KEY,
  prev_txid BLOB NOT NULL,
  prev_vout INTEGER NOT NULL
);
CREATE INDEX pending_spends_by_prev ON pending_spends (prev_txid);
CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,
  address TEXT NOT NULL UNIQUE,
  script_type INTEGER,
  entity_id TEXT
);
CREATE INDEX addresses_by_entity ON addresses (entity_id, address) WHERE entity_id IS NOT NULL;
CREATE TABLE entities (id TEXT PRIMARY KEY, label TEXT, category TEXT);
CREATE TABLE cluster_links (
  a INTEGER NOT NULL,
  b INTEGER NOT NULL,
  heuristic TEXT NOT NULL,
  txid BLOB NOT NULL,
  confidence INTEGER NOT NULL,
  PRIMARY KEY (a, b, heuristic, txid)
) WITHOUT ROWID;
CREATE INDEX cluster_links_by_b ON cluster_links (b);
CREATE TABLE coinjoin_verdicts (txid BLOB PRIMARY KEY, rule TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  address TEXT NOT NULL,
  label TEXT NOT NULL,
  source TEXT NOT NULL,
  category TEXT,
  confidence TEXT,
  url TEXT,
  lastmod TEXT,
  abuse TEXT,
  actor TEXT,
  context TEXT,
  UNIQUE (address, label, source)
);
CREATE TABLE block_headers (
  hash BLOB PRIMARY KEY,
  height INTEGER NOT NULL,
  version INTEGER NOT NULL,
  prev_hash BLOB NOT NULL,
  merkle_root BLOB NOT NULL,
  time INTEGER NOT NULL,
  bits INTEGER NOT NULL,
  nonce INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX block_headers_by_height ON block_headers (height);
CREATE TABLE cases (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE seeds (
  case_id TEXT NOT NULL,
  address TEXT NOT NULL,
  line INTEGER NOT NULL,
  file TEXT,
  PRIMARY KEY (case_id, address)
) WITHOUT ROWID;
CREATE INDEX seeds_by_line ON seeds (case_id, line, address);
CREATE TABLE annotations (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  case_id TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  text TEXT NOT NULL,
  author TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX annotations_by_case ON annotations (case_id, target_kind, target_id);
CREATE TABLE saved_views (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  case_id TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX saved_views_by_case ON saved_views (case_id);
CREATE TABLE job_checkpoints (
  job_id TEXT PRIMARY KEY,
  case_id TEXT,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

/**
 * Version 3: the address column's UNIQUE constraint becomes the index `addresses_by_address`
 * (an inline constraint cannot be dropped, a named index can: ./deferred-indexes.ts). Row
 * ids are kept, so outputs and links still point at the same addresses.
 */
const addressIndexByName = `
CREATE TABLE addresses_v3 (
  id INTEGER PRIMARY KEY,
  address TEXT NOT NULL,
  script_type INTEGER,
  entity_id TEXT
);
INSERT INTO addresses_v3 (id, address, script_type, entity_id) SELECT id, address, script_type, entity_id FROM addresses ORDER BY id;
DROP TABLE addresses;
ALTER TABLE addresses_v3 RENAME TO addresses;
CREATE UNIQUE INDEX addresses_by_address ON addresses (address);
CREATE INDEX addresses_by_entity ON addresses (entity_id, address) WHERE entity_id IS NOT NULL;
`;

export const sqliteMigrations: readonly Migration[] = [
  { version: 1, description: 'initial schema', up: (db) => db.exec(initialSchema) },
  // Annotations written before colour labels existed have none (NULL).
  { version: 2, description: 'annotation colour labels', up: (db) => db.exec('ALTER TABLE annotations ADD COLUMN colour TEXT') },
  { version: 3, description: 'address uniqueness as a named index a bulk load can defer', up: (db) => db.exec(addressIndexByName) },
];
