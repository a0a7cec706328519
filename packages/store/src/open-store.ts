/**
 * `openStore(spec)`: picks the store from a spec string, as mempool's backend factory picks
 * Esplora, Electrum or Core from config. SQLite is the zero-setup default; Neo4j is loaded
 * only when asked for, so SQLite users never load its driver.
 */
import { BadStoreSpecError } from './errors.js';
import type { GraphStore } from './graph-store.js';

export interface Neo4jOptions {
  readonly user?: string;
  readonly password?: string;
  /** Neo4j database name (default: the server's default database). */
  readonly database?: string;
}

export interface OpenStoreOptions {
  /**
   * Upgrade a store with an older schema in place (default true). When false, an older
   * store is refused with StoreSchemaError instead; a newer one is always refused.
   */
  readonly migrate?: boolean;
  /** Open for reading only (SQLite: the file is not modified, migrations are refused). */
  readonly readonly?: boolean;
  readonly neo4j?: Neo4jOptions;
  readonly sqlite?: SqliteOptions;
}

export interface SqliteOptions {
  /** Page cache in MiB (default 128): more speeds bulk loads, less suits small machines. */
  readonly cacheMiB?: number;
}

/** What ./neo4j/neo4j-store.ts exports. */
export interface Neo4jStoreModule {
  openNeo4jStore(url: string, options: OpenStoreOptions): Promise<GraphStore>;
}

const neo4jUrl = /^(?:bolt|neo4j)(?:\+s|\+ssc)?:\/\//;

/**
 * Opens a store from `sqlite:PATH` (`sqlite::memory:` for a throwaway one) or
 * `neo4j:bolt://HOST:7687` (a bare `bolt://` / `neo4j://` URL works too).
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<GraphStore> {
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (path === '') throw new BadStoreSpecError(spec);
    const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
    return openSqliteStore(path, options);
  }
  const url = spec.startsWith('neo4j:') && neo4jUrl.test(spec.slice('neo4j:'.length)) ? spec.slice('neo4j:'.length) : spec;
  if (neo4jUrl.test(url)) {
    // A specifier in a variable: the Neo4j adapter is optional at compile time and its
    // driver loads only for Neo4j users.
    const modulePath = './neo4j/neo4j-store.js';
    const mod = (await import(modulePath)) as Neo4jStoreModule;
    return mod.openNeo4jStore(url, options);
  }
  throw new BadStoreSpecError(spec);
}
