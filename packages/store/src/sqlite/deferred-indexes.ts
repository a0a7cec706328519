/**
 * Bulk load into an empty SQLite store: the secondary indexes only reads need are dropped
 * for the load and built once when it ends, by one sorted pass, instead of taking every key
 * at a random place in a B-tree as the rows arrive.
 *
 * Crash safety: the indexes are dropped inside the first batch's transaction and built in
 * one transaction, so the file is always either fully indexed or plainly mid-load (indexes
 * absent). A store found mid-load is finished when opened writable, and refused with
 * StoreLoadInterruptedError when opened read-only: it is never read without them.
 */
import type Database from 'better-sqlite3';

/** Names and definitions as in schema.ts. */
const deferrable: ReadonlyArray<{ readonly name: string; readonly create: string }> = [
  { name: 'outputs_by_address', create: 'CREATE INDEX IF NOT EXISTS outputs_by_address ON outputs (address_id)' },
  { name: 'txs_by_key', create: 'CREATE INDEX IF NOT EXISTS txs_by_key ON txs (txkey)' },
  // Unique: the load appends only addresses its id cache has never seen (tx-batch-writer.ts).
  { name: 'addresses_by_address', create: 'CREATE UNIQUE INDEX IF NOT EXISTS addresses_by_address ON addresses (address)' },
];

export class DeferredIndexes {
  private readonly present: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.present = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN (SELECT value FROM json_each(?))").pluck();
  }

  /** Deferred indexes that are absent (non-empty only while a bulk load runs or after one was interrupted). */
  missing(): string[] {
    const found = new Set(this.present.all(JSON.stringify(deferrable.map((d) => d.name))) as string[]);
    return deferrable.filter((d) => !found.has(d.name)).map((d) => d.name);
  }

  /** Inside the caller's transaction (the first batch of the load). */
  drop(): void {
    for (const { name } of deferrable) this.db.exec(`DROP INDEX IF EXISTS ${name}`);
  }

  /** Builds whatever is missing, in one transaction of its own. */
  build(): void {
    this.db.transaction(() => {
      for (const { create } of deferrable) this.db.exec(create);
    }).immediate();
  }
}
