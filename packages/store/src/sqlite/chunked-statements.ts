/**
 * Multi-row INSERTs and `IN (...)` lookups over prepared statements. One statement per
 * chunk of rows instead of one per row is most of the bulk-load speed: each call into
 * SQLite costs about as much as writing a row. The SQL is built from placeholders only,
 * never from values.
 */
import type Database from 'better-sqlite3';

const maxParameters = 30_000;
const maxRowsPerChunk = 400;

/**
 * Rows to take next: the full chunk, else the largest power of two that fits, so a table
 * needs at most ten prepared statements whatever the batch sizes.
 */
function chunkSize(remaining: number, max: number): number {
  if (remaining >= max) return max;
  return 2 ** Math.floor(Math.log2(remaining));
}

/**
 * A statement over `VALUES (?,?),(?,?)...` for any number of rows, in chunks: a multi-row
 * INSERT, or an `UPDATE ... FROM (VALUES ...)`. Rows are buffered and each full chunk is
 * sent at once, so a batch never builds one giant parameter array.
 */
export class ChunkedValues {
  private readonly statements = new Map<number, Database.Statement>();
  private readonly rowsPerChunk: number;
  private readonly row: string;
  private readonly buffer: unknown[];
  private filled = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly tail = '',
  ) {
    this.rowsPerChunk = Math.min(maxRowsPerChunk, Math.floor(maxParameters / columns));
    this.row = `(${new Array<string>(columns).fill('?').join(',')})`;
    this.buffer = new Array<unknown>(this.rowsPerChunk * columns);
  }

  /** Adds one row (exactly `columns` values); a full chunk is written right away. */
  add(...values: unknown[]): void {
    for (let i = 0; i < this.columns; i++) this.buffer[this.filled++] = values[i];
    if (this.filled === this.buffer.length) {
      this.statement(this.rowsPerChunk).run(this.buffer);
      this.filled = 0;
    }
  }

  /** Writes the buffered rows. Call before anything that reads what was added. */
  flush(): void {
    let start = 0;
    const rows = this.filled / this.columns;
    for (let done = 0; done < rows; ) {
      const count = chunkSize(rows - done, this.rowsPerChunk);
      this.statement(count).run(this.buffer.slice(start, start + count * this.columns));
      start += count * this.columns;
      done += count;
    }
    this.filled = 0;
  }

  /** Forgets buffered rows (after a failed batch). */
  discard(): void {
    this.filled = 0;
  }

  /** Runs the statement over rows laid out one after another in `values`, collecting what it returns (RETURNING). */
  all<Row>(values: readonly unknown[]): Row[] {
    const rows = values.length / this.columns;
    const out: Row[] = [];
    for (let done = 0; done < rows; ) {
      const count = chunkSize(rows - done, this.rowsPerChunk);
      for (const row of this.statement(count).all(values.slice(done * this.columns, (done + count) * this.columns)) as Row[]) out.push(row);
      done += count;
    }
    return out;
  }

  /** Writes rows laid out one after another in `values`. */
  run(values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i += this.columns) this.add(...values.slice(i, i + this.columns));
    this.flush();
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      statement = this.db.prepare(`${this.head} VALUES ${new Array<string>(rows).fill(this.row).join(',')} ${this.tail}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

/** `SELECT ... WHERE column IN (?, ...)` for any number of keys, in chunks. */
export class ChunkedLookup<Row> {
  private readonly statements = new Map<number, Database.Statement>();

  /** `sql` contains one `(?)` marker where the IN list goes. */
  constructor(
    private readonly db: Database.Database,
    private readonly sql: string,
  ) {}

  all(keys: readonly unknown[]): Row[] {
    const rows: Row[] = [];
    for (let start = 0; start < keys.length; ) {
      const count = chunkSize(keys.length - start, maxRowsPerChunk);
      for (const row of this.statement(count).all(keys.slice(start, start + count)) as Row[]) rows.push(row);
      start += count;
    }
    return rows;
  }

  private statement(count: number): Database.Statement {
    let statement = this.statements.get(count);
    if (!statement) {
      statement = this.db.prepare(this.sql.replace('(?)', `(${new Array<string>(count).fill('?').join(',')})`));
      this.statements.set(count, statement);
    }
    return statement;
  }
}
