/**
 * Schema versioning: a store records its schema version; opening one written by a newer
 * chaintrail is refused, an older one is upgraded step by step inside one transaction (or
 * refused when migration is not allowed). A store is never read under the wrong schema.
 */
import type Database from 'better-sqlite3';
import { NotAStoreError, StoreSchemaError } from '../errors.js';

export interface Migration {
  /** The version the store has after this step; consecutive from 1. */
  readonly version: number;
  readonly description: string;
  up(db: Database.Database): void;
}

/** `PRAGMA application_id` of chaintrail stores ("CTRL"), so foreign SQLite files are told apart. */
export const chaintrailApplicationId = 0x4354524c;

export interface SchemaOptions {
  readonly migrate: boolean;
  readonly readonly: boolean;
}

/** Brings the open database to the latest schema of `migrations`, or throws a typed refusal. */
export function prepareSchema(db: Database.Database, migrations: readonly Migration[], location: string, options: SchemaOptions): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const tableCount = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  if (applicationId === 0 && tableCount === 0) {
    if (options.readonly) throw new NotAStoreError(location, 'the file is empty');
    db.transaction(() => {
      db.pragma(`application_id = ${chaintrailApplicationId}`);
      db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL, migrated_at TEXT NOT NULL)');
      db.prepare('INSERT INTO schema_version (version, migrated_at) VALUES (0, ?)').run(new Date().toISOString());
      runMigrations(db, migrations, 0);
    }).immediate();
    return latest;
  }
  if (applicationId !== chaintrailApplicationId) {
    throw new NotAStoreError(location, `an SQLite database of another application (application_id ${applicationId})`);
  }
  const found = (db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
  if (found > latest) throw new StoreSchemaError(location, found, latest);
  if (found < latest) {
    if (options.readonly || !options.migrate) {
      throw new StoreSchemaError(location, found, latest, `migration was not allowed (${options.readonly ? 'opened read-only' : 'migrate: false'}); open it once with migration on`);
    }
    db.transaction(() => runMigrations(db, migrations, found)).immediate();
  }
  return latest;
}

function runMigrations(db: Database.Database, migrations: readonly Migration[], from: number): void {
  const record = db.prepare('INSERT INTO schema_version (version, migrated_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    migration.up(db);
    record.run(migration.version, new Date().toISOString());
  }
}
