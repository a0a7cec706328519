/**
 * The on-disk index of a directory of block files (SQLite). It holds positions and links,
 * never transactions: where each block and transaction lies in which file, which outputs
 * pay which address, which transactions touch which address, and the chain order. A
 * transaction is read back from its file and hashed on every look-up.
 *
 * Hashes are stored as 32-byte BLOBs in display order. Addresses are stored as their
 * `address_key` (see `address-key.ts`), not as text: half the size of the index. `address_history.seq`
 * is `blocks.ordinal * 2^20 + position`, so an address's history pages by one index range scan.
 * `spends` links each output to the inputs spending it (one per block copy of the spender;
 * readers keep the best chain's), the spend index Esplora serves as `/tx/:txid/outspends`.
 */
export const INDEX_SCHEMA_VERSION = '3';

/** Position within a block takes 20 bits: more transactions than any block can hold (~25,000). */
export const POSITION_BITS = 2 ** 20;

export const INDEX_DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  framing TEXT NOT NULL,
  xor INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  indexed_to INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS blocks (
  id INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  prev BLOB NOT NULL,
  file_id INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  time INTEGER NOT NULL,
  bits INTEGER NOT NULL,
  bip34 INTEGER,
  height INTEGER,
  ordinal INTEGER
);
CREATE INDEX IF NOT EXISTS blocks_height ON blocks (height) WHERE ordinal IS NOT NULL;
CREATE INDEX IF NOT EXISTS blocks_ordinal ON blocks (ordinal);
CREATE TABLE IF NOT EXISTS txs (
  id INTEGER PRIMARY KEY,
  txid BLOB NOT NULL,
  block_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS txs_txid ON txs (txid);
CREATE INDEX IF NOT EXISTS txs_block ON txs (block_id, position);
CREATE TABLE IF NOT EXISTS outputs (
  tx_id INTEGER NOT NULL,
  vout INTEGER NOT NULL,
  address_key INTEGER NOT NULL,
  PRIMARY KEY (tx_id, vout)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS address_txs (
  address_key INTEGER NOT NULL,
  tx_id INTEGER NOT NULL,
  PRIMARY KEY (address_key, tx_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_inputs (
  tx_id INTEGER NOT NULL,
  vin INTEGER NOT NULL,
  prev_txid BLOB NOT NULL,
  prev_vout INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS address_history (
  address_key INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  tx_id INTEGER NOT NULL,
  PRIMARY KEY (address_key, seq, tx_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS spends (
  prev_tx_id INTEGER NOT NULL,
  prev_vout INTEGER NOT NULL,
  tx_id INTEGER NOT NULL,
  vin INTEGER NOT NULL,
  PRIMARY KEY (prev_tx_id, prev_vout, tx_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS skipped (file_id INTEGER NOT NULL, offset INTEGER NOT NULL, reason TEXT NOT NULL);
`;
