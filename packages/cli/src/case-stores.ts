/**
 * Where a case lives. Without `--store`, every case has its own SQLite file under the data
 * directory (`<home>/cases/<name>.sqlite`), so cases never share entities or tags by
 * accident and one can be copied, archived or deleted on its own. With `--store`, every
 * case is in that store. Beside each store sits its job journal (see @chaintrail/ingest).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JobJournal } from '@chaintrail/ingest';
import { openStore, StoreUnreachableError, type CaseRecord, type GraphStore } from '@chaintrail/store';
import { BadCaseNameError, CaseNotFoundError } from './cli-errors.js';
import type { CliConfig } from './config.js';

const CASE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SQLITE_SUFFIX = '.sqlite';

export function checkCaseName(name: string): string {
  if (!CASE_NAME.test(name)) throw new BadCaseNameError(name);
  return name;
}

export function casesDir(home: string): string {
  return join(home, 'cases');
}

/** The store spec a case lives in. */
export function caseStoreSpec(config: CliConfig, caseName: string): string {
  return config.store ?? `sqlite:${join(casesDir(config.home), `${checkCaseName(caseName)}${SQLITE_SUFFIX}`)}`;
}

/** The journal beside a store: next to a SQLite file, or under the data directory for a server. */
export function journalPathFor(spec: string, home: string): string {
  if (spec === 'sqlite::memory:') return ':memory:';
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    const name = basename(path).replace(/\.(sqlite|db|sqlite3)$/i, '');
    return join(dirname(path), `${name}.journal.sqlite`);
  }
  return join(home, 'journals', `${createHash('sha256').update(spec).digest('hex').slice(0, 20)}.sqlite`);
}

/** A store and what belongs to it, closed together. */
export interface OpenedStore {
  readonly spec: string;
  readonly store: GraphStore;
  /** Opened on first use. */
  journal(): JobJournal;
  close(): Promise<void>;
}

export async function openStoreAt(spec: string, home: string): Promise<OpenedStore> {
  if (spec.startsWith('sqlite:') && spec !== 'sqlite::memory:') {
    const folder = dirname(spec.slice('sqlite:'.length));
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new StoreUnreachableError(storeLabel(spec), `cannot create its folder ${folder} (${(error as { code?: string }).code ?? String(error)})`, { cause: error });
    }
  }
  const store = await openStore(spec);
  let journal: JobJournal | null = null;
  return {
    spec,
    store,
    journal: () => (journal ??= JobJournal.open(journalPathFor(spec, home))),
    close: async () => {
      journal?.close();
      await store.close();
    },
  };
}

/** A human name for where a store is (a path or URL, never credentials). */
export function storeLabel(spec: string): string {
  return spec.startsWith('sqlite:') ? spec.slice('sqlite:'.length) : spec.replace(/\/\/[^@/]*@/, '//');
}

/**
 * Opens the store of an existing case and finds the case in it. Without `--store`, a case
 * whose file does not exist is not created by the look-up.
 */
export async function openCase(config: CliConfig, caseName: string): Promise<{ opened: OpenedStore; record: CaseRecord }> {
  const spec = caseStoreSpec(config, caseName);
  if (config.store === null && !existsSync(spec.slice('sqlite:'.length))) throw new CaseNotFoundError(caseName, casesDir(config.home));
  const opened = await openStoreAt(spec, config.home);
  try {
    return { opened, record: await findCase(opened.store, caseName, storeLabel(spec)) };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

export async function findCase(store: GraphStore, name: string, where: string): Promise<CaseRecord> {
  const record = (await store.listCases()).find((c) => c.name === name);
  if (!record) throw new CaseNotFoundError(name, where);
  return record;
}

/** Every store the data directory holds (default layout), or the one `--store`. */
export function knownStoreSpecs(config: CliConfig): string[] {
  if (config.store !== null) return [config.store];
  const dir = casesDir(config.home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(SQLITE_SUFFIX) && !f.endsWith(`.journal${SQLITE_SUFFIX}`))
    .sort()
    .map((f) => `sqlite:${join(dir, f)}`);
}

/** Runs `fn` with the store open and closes it whatever happens. */
export async function withStore<T>(opened: OpenedStore, fn: (opened: OpenedStore) => Promise<T>): Promise<T> {
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}
