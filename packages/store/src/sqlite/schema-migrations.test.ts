import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.js';
import { chaintrailApplicationId, prepareSchema, type Migration } from './schema-migrations.js';
import { sqliteMigrations } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'chaintrail-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `store-${++files}.db`);

const twoSteps: Migration[] = [
  { version: 1, description: 'notes', up: (db) => db.exec('CREATE TABLE notes (text TEXT)') },
  { version: 2, description: 'note authors', up: (db) => db.exec('ALTER TABLE notes ADD COLUMN author TEXT') },
];
const open = { migrate: true, readonly: false };

function versionOf(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT max(version) FROM schema_version').pluck().get() as number);
  } finally {
    db.close();
  }
}

describe('SQLite schema versions', () => {
  it('creates a new store at the latest version, marked as chaintrail', async () => {
    const path = freshPath();
    const store = await openSqliteStore(path);
    expect(store.info()).toEqual({ kind: 'sqlite', location: path, schemaVersion: sqliteMigrations.at(-1)!.version });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(chaintrailApplicationId);
    db.close();
  });

  it('refuses a store written by a newer chaintrail, naming both versions', async () => {
    const path = freshPath();
    await (await openSqliteStore(path)).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_version (version, migrated_at) VALUES (99, 'future')").run();
    db.close();
    const refusal = openSqliteStore(path);
    await expect(refusal).rejects.toMatchObject({ code: 'CHAINTRAIL_STORE_SCHEMA', found: 99 });
    await expect(refusal).rejects.toThrow(/newer chaintrail \(schema 99/);
  });

  it('upgrades an older store step by step, and refuses when migration is off or read-only', () => {
    const path = freshPath();
    const db = new Database(path);
    prepareSchema(db, twoSteps.slice(0, 1), path, open);
    db.prepare("INSERT INTO notes (text) VALUES ('kept')").run();
    expect(() => prepareSchema(db, twoSteps, path, { ...open, migrate: false })).toThrow(expect.objectContaining({ code: 'CHAINTRAIL_STORE_SCHEMA', found: 1, supported: 2 }));
    expect(() => prepareSchema(db, twoSteps, path, { migrate: true, readonly: true })).toThrow(/opened read-only/);
    expect(prepareSchema(db, twoSteps, path, open)).toBe(2);
    expect(db.prepare('SELECT text, author FROM notes').all()).toEqual([{ text: 'kept', author: null }]);
    db.close();
    expect(versionOf(path)).toBe(2);
  });

  it('upgrades a version-1 chaintrail store: address ids kept and still unique, old annotations without colour', async () => {
    const path = freshPath();
    const db = new Database(path);
    prepareSchema(db, sqliteMigrations.slice(0, 1), path, open);
    db.exec(`INSERT INTO addresses (id, address, script_type, entity_id) VALUES (7, 'addr-seven', NULL, NULL), (9, 'addr-nine', NULL, 'e1');
      INSERT INTO cases (id, name, created_at) VALUES ('c1', 'old case', '2024-01-01T00:00:00.000Z');
      INSERT INTO annotations (id, case_id, target_kind, target_id, text, author, created_at, updated_at)
        VALUES ('n1', 'c1', 'address', 'addr-seven', 'written by schema 1', 'ana', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');`);
    db.close();

    const store = await openSqliteStore(path);
    try {
      expect(store.info().schemaVersion).toBe(sqliteMigrations.at(-1)!.version);
      expect(await store.getAnnotation('c1', 'n1')).toMatchObject({ text: 'written by schema 1', colour: null, author: 'ana' });
      expect((await store.updateAnnotation('n1', { colour: 'blue' })).colour).toBe('blue');
      expect(await store.search({ text: 'addr-', limit: 10 })).toEqual([
        { kind: 'address', address: 'addr-nine' },
        { kind: 'address', address: 'addr-seven' },
      ]);
      expect((await store.entityMembers('e1', { limit: 10 })).items).toEqual(['addr-nine']);
    } finally {
      await store.close();
    }
    const after = new Database(path);
    try {
      expect(after.prepare('SELECT id, address FROM addresses ORDER BY id').all()).toEqual([{ id: 7, address: 'addr-seven' }, { id: 9, address: 'addr-nine' }]);
      expect(() => after.prepare("INSERT INTO addresses (address) VALUES ('addr-seven')").run()).toThrow(/UNIQUE/);
    } finally {
      after.close();
    }
  });

  it('leaves the store at its old version when a migration step fails', () => {
    const path = freshPath();
    const db = new Database(path);
    prepareSchema(db, twoSteps.slice(0, 1), path, open);
    const broken: Migration[] = [twoSteps[0]!, { version: 2, description: 'broken', up: (d) => d.exec('ALTER TABLE missing ADD COLUMN x TEXT') }];
    expect(() => prepareSchema(db, broken, path, open)).toThrow(/no such table/);
    db.close();
    expect(versionOf(path)).toBe(1);
  });

  it('refuses SQLite files of other applications and files that are not SQLite', async () => {
    const foreign = freshPath();
    const db = new Database(foreign);
    db.exec('CREATE TABLE accounts (id INTEGER)');
    db.close();
    await expect(openSqliteStore(foreign)).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_A_STORE' });
    const text = freshPath();
    writeFileSync(text, 'this is a text file, not a database, and it is long enough to have a header'.repeat(20));
    await expect(openSqliteStore(text)).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_A_STORE' });
  });

  it('cannot open a store in a folder that does not exist, and says where', async () => {
    const path = join(dir, 'no', 'such', 'folder', 'store.db');
    await expect(openSqliteStore(path)).rejects.toMatchObject({ code: 'CHAINTRAIL_STORE_UNREACHABLE', message: expect.stringContaining(path) as unknown });
  });
});
