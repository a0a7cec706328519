/**
 * The job journal: the sets a long ingestion needs and that must not live in RAM (seed
 * duplicates, the per-hop frontier, every transaction a case holds, tagged addresses),
 * in an SQLite file on local disk beside the store. A 1,000,000-line seed list and the
 * millions of transactions behind it then cost disk, not memory.
 *
 * Division of labour with the store: the store's job checkpoint is the authority on where
 * a job stands (phase, hop, cursor, counters); the journal only holds sets whose writes are
 * idempotent (INSERT OR IGNORE), so replaying the batch a crash interrupted changes
 * nothing. Each run has an id written to both; a journal that does not know the store's
 * run (deleted, or from another store) is reset and the run starts over, which idempotent
 * store writes make safe.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { JournalUnavailableError } from './ingest-errors.js';

/** Which way a hop goes: back to the payers (parents of inputs), forward to the spenders. */
export type HopDirection = 'back' | 'forward';

/** A transaction reached at a hop: found and written, or not found in the source. */
export type VisitState = 'pending' | 'written' | 'missing';

export interface SeedStatus {
  readonly address: string;
  /** Transactions of the seed written to the store. */
  readonly txs: number;
  /** Whether the address had more transactions than `maxTxsPerAddress` allowed. */
  readonly truncated: boolean;
}

/** Where a seed line was first seen, for duplicate reports. */
export interface SeedOrigin {
  readonly file: string;
  readonly line: number;
}

/** A seed entry of a file: its line, and its ordinal among the file's entries (one line of minified JSON holds many). */
export interface SeedSighting extends SeedOrigin {
  readonly address: string;
  readonly position: number;
}

/** One batch's worth of journal writes, committed atomically. */
export interface JournalBatch {
  readonly seeds?: readonly SeedStatus[];
  /** Transactions written to the store (for the case's transaction list). */
  readonly written?: readonly string[];
  /** Visits whose state is now known. */
  readonly visited?: ReadonlyArray<{ readonly direction: HopDirection; readonly hop: number; readonly txid: string; readonly state: Exclude<VisitState, 'pending'> }>;
  /** Transactions to visit at a later hop; a transaction already reached in that direction keeps its hop. */
  readonly frontier?: ReadonlyArray<{ readonly direction: HopDirection; readonly hop: number; readonly txid: string }>;
}

const directionCode: Record<HopDirection, number> = { back: 0, forward: 1 };
const stateCode: Record<VisitState, number> = { pending: 0, written: 1, missing: 2 };

/**
 * Bumped when the tables change. A journal of another version is rebuilt empty: everything
 * in it can be rebuilt (the next ingest starts its run over; seed origins only serve
 * duplicate reports of later imports).
 */
const JOURNAL_VERSION = 1;

const schema = `
CREATE TABLE IF NOT EXISTS runs (case_id TEXT PRIMARY KEY, run_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seed_status (
  case_id TEXT NOT NULL, address TEXT NOT NULL, txs INTEGER NOT NULL, truncated INTEGER NOT NULL,
  PRIMARY KEY (case_id, address)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS visits (
  case_id TEXT NOT NULL, direction INTEGER NOT NULL, txid BLOB NOT NULL, hop INTEGER NOT NULL, state INTEGER NOT NULL,
  PRIMARY KEY (case_id, direction, txid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS visits_by_hop ON visits (case_id, direction, hop, txid);
CREATE TABLE IF NOT EXISTS case_txs (case_id TEXT NOT NULL, txid BLOB NOT NULL, PRIMARY KEY (case_id, txid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_txs_by_txid ON case_txs (txid);
CREATE TABLE IF NOT EXISTS seed_origins (
  case_id TEXT NOT NULL, address TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (case_id, address)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tagged (address TEXT PRIMARY KEY) WITHOUT ROWID;
`;

export class JobJournal {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepare>;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
    this.#statements = prepare(db);
  }

  /** Opens (creating) the journal at `path`; `:memory:` for tests. */
  static open(path: string): JobJournal {
    let db: Database.Database;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      // The seen-sets are B-trees keyed by random txids and addresses: a page cache of
      // 32 MB (fixed, whatever the case size) keeps their upper levels in memory.
      db.pragma('cache_size = -32768');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== JOURNAL_VERSION) {
        db.exec('DROP TABLE IF EXISTS runs; DROP TABLE IF EXISTS seed_status; DROP TABLE IF EXISTS visits; DROP TABLE IF EXISTS case_txs; DROP TABLE IF EXISTS seed_origins; DROP TABLE IF EXISTS tagged;');
        db.pragma(`user_version = ${JOURNAL_VERSION}`);
      }
      db.exec(schema);
    } catch (error) {
      throw new JournalUnavailableError(path, error instanceof Error ? error.message : String(error), { cause: error });
    }
    return new JobJournal(path, db);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  runId(caseId: string): string | null {
    return (this.#statements.runId.get(caseId) as string | undefined) ?? null;
  }

  /** Forgets everything of the case's ingestion (not its seed origins) and records a new run. */
  startRun(caseId: string, runId: string): void {
    const s = this.#statements;
    this.#db.transaction(() => {
      s.clearSeedStatus.run(caseId);
      s.clearVisits.run(caseId);
      s.setRun.run(caseId, runId);
    })();
  }

  commit(caseId: string, batch: JournalBatch): void {
    const s = this.#statements;
    this.#db.transaction(() => {
      for (const seed of batch.seeds ?? []) s.seedStatus.run(caseId, seed.address, seed.txs, seed.truncated ? 1 : 0);
      for (const txid of batch.written ?? []) s.caseTx.run(caseId, txidBytes(txid));
      for (const v of batch.visited ?? []) s.visit.run(caseId, directionCode[v.direction], txidBytes(v.txid), v.hop, stateCode[v.state]);
      for (const f of batch.frontier ?? []) s.frontier.run(caseId, directionCode[f.direction], txidBytes(f.txid), f.hop);
    })();
  }

  /** Up to `limit` transactions reached at `hop`, in txid order after `afterTxid`. */
  frontier(caseId: string, direction: HopDirection, hop: number, afterTxid: string | null, limit: number): string[] {
    const rows = this.#statements.frontierPage.all({
      caseId,
      direction: directionCode[direction],
      hop,
      after: afterTxid === null ? FIRST_BLOB : txidBytes(afterTxid),
      limit,
    }) as Buffer[];
    return rows.map((b) => b.toString('hex'));
  }

  /** Transactions reached at `hop`, by state. */
  hopCounts(caseId: string, direction: HopDirection, hop: number): Record<VisitState, number> {
    const counts: Record<VisitState, number> = { pending: 0, written: 0, missing: 0 };
    const rows = this.#statements.hopCounts.all(caseId, directionCode[direction], hop) as { state: number; n: number }[];
    for (const row of rows) counts[row.state === 1 ? 'written' : row.state === 2 ? 'missing' : 'pending'] += row.n;
    return counts;
  }

  seedStatus(caseId: string, address: string): SeedStatus | null {
    const row = this.#statements.seedStatusOf.get(caseId, address) as { txs: number; truncated: number } | undefined;
    return row ? { address, txs: row.txs, truncated: row.truncated === 1 } : null;
  }

  seedsDone(caseId: string): number {
    return this.#statements.seedsDone.get(caseId) as number;
  }

  caseTxCount(caseId: string): number {
    return this.#statements.caseTxCount.get(caseId) as number;
  }

  /** Distinct transactions written for any case of this store. */
  storeTxCount(): number {
    return this.#statements.storeTxCount.get() as number;
  }

  /**
   * Every transaction written for any case of this store, in txid order, `limit` at a
   * time after `afterTxid`.
   */
  storeTxids(afterTxid: string | null, limit: number): string[] {
    const rows = this.#statements.storeTxids.all({ after: afterTxid === null ? FIRST_BLOB : txidBytes(afterTxid), limit }) as Buffer[];
    return rows.map((b) => b.toString('hex'));
  }

  /**
   * Records where each seed was first seen and answers, per seed, the first origin when it
   * is another entry (a duplicate) or null (new, or the same entry imported again).
   */
  recordSeedOrigins(caseId: string, seeds: readonly SeedSighting[]): (SeedOrigin | null)[] {
    const s = this.#statements;
    return this.#db.transaction(() =>
      seeds.map((seed) => {
        if (s.insertOrigin.run(caseId, seed.address, seed.file, seed.line, seed.position).changes === 1) return null;
        const first = s.originOf.get(caseId, seed.address) as SeedOrigin & { position: number };
        return first.file === seed.file && first.position === seed.position ? null : { file: first.file, line: first.line };
      }),
    )();
  }

  addTagged(addresses: Iterable<string>): void {
    const s = this.#statements;
    this.#db.transaction(() => {
      for (const address of addresses) s.tagged.run(address);
    })();
  }

  /** Tagged addresses in order, `limit` at a time after `after`. */
  taggedAddresses(after: string | null, limit: number): string[] {
    return this.#statements.taggedPage.all({ after: after ?? '', limit }) as string[];
  }
}

/**
 * The lower bound of the first page: every non-empty blob sorts after the empty one. Pages
 * use a plain `key > @after` (never `@after IS NULL OR ...`), which SQLite answers with an
 * index range seek; the OR form makes it scan from the start on every page, so paging a
 * million-row frontier would cost time quadratic in its size.
 */
const FIRST_BLOB = Buffer.alloc(0);

function txidBytes(txid: string): Buffer {
  return Buffer.from(txid, 'hex');
}

function prepare(db: Database.Database) {
  return {
    runId: db.prepare('SELECT run_id FROM runs WHERE case_id = ?').pluck(),
    setRun: db.prepare('INSERT INTO runs (case_id, run_id) VALUES (?, ?) ON CONFLICT (case_id) DO UPDATE SET run_id = excluded.run_id'),
    clearSeedStatus: db.prepare('DELETE FROM seed_status WHERE case_id = ?'),
    clearVisits: db.prepare('DELETE FROM visits WHERE case_id = ?'),
    seedStatus: db.prepare(
      'INSERT INTO seed_status (case_id, address, txs, truncated) VALUES (?, ?, ?, ?) ON CONFLICT (case_id, address) DO UPDATE SET txs = excluded.txs, truncated = excluded.truncated',
    ),
    seedStatusOf: db.prepare('SELECT txs, truncated FROM seed_status WHERE case_id = ? AND address = ?'),
    seedsDone: db.prepare('SELECT count(*) FROM seed_status WHERE case_id = ?').pluck(),
    caseTx: db.prepare('INSERT OR IGNORE INTO case_txs (case_id, txid) VALUES (?, ?)'),
    caseTxCount: db.prepare('SELECT count(*) FROM case_txs WHERE case_id = ?').pluck(),
    storeTxCount: db.prepare('SELECT count(DISTINCT txid) FROM case_txs').pluck(),
    storeTxids: db.prepare('SELECT DISTINCT txid FROM case_txs WHERE txid > @after ORDER BY txid LIMIT @limit').pluck(),
    visit: db.prepare(
      'INSERT INTO visits (case_id, direction, txid, hop, state) VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id, direction, txid) DO UPDATE SET state = excluded.state, hop = min(hop, excluded.hop)',
    ),
    frontier: db.prepare('INSERT OR IGNORE INTO visits (case_id, direction, txid, hop, state) VALUES (?, ?, ?, ?, 0)'),
    frontierPage: db
      .prepare(
        'SELECT txid FROM visits WHERE case_id = @caseId AND direction = @direction AND hop = @hop AND txid > @after ORDER BY txid LIMIT @limit',
      )
      .pluck(),
    hopCounts: db.prepare('SELECT state, count(*) AS n FROM visits WHERE case_id = ? AND direction = ? AND hop = ? GROUP BY state'),
    insertOrigin: db.prepare('INSERT OR IGNORE INTO seed_origins (case_id, address, file, line, position) VALUES (?, ?, ?, ?, ?)'),
    originOf: db.prepare('SELECT file, line, position FROM seed_origins WHERE case_id = ? AND address = ?'),
    tagged: db.prepare('INSERT OR IGNORE INTO tagged (address) VALUES (?)'),
    taggedPage: db.prepare('SELECT address FROM tagged WHERE address > @after ORDER BY address LIMIT @limit').pluck(),
  };
}
