/**
 * Row ids of addresses and transactions remembered between batches, so a bulk load looks
 * up in SQLite only what it has not seen. Safe because neither table ever deletes or
 * renumbers a row: a remembered id stays right for as long as the file exists. Ids taken
 * in a batch whose transaction then rolls back are not real, so they are forgotten unless
 * the store confirms the commit.
 *
 * `complete` says the cache holds every row of its table (started on an empty table, no
 * other connection has written since, nothing evicted): then a miss means "not stored" and
 * needs no query at all.
 */
export class IdCache {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];
  private isComplete = false;

  constructor(private readonly maxEntries: number) {}

  get complete(): boolean {
    return this.isComplete;
  }

  /** Only for a table known to be empty (or fully remembered). */
  markComplete(): void {
    this.isComplete = true;
  }

  /** Another connection may have written: the remembered ids stay right, but a miss proves nothing now. */
  markIncomplete(): void {
    this.isComplete = false;
  }

  get(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** A row that exists already (read from the table). */
  remember(key: string, id: number): void {
    this.ids.set(key, id);
  }

  /** A row written by the open transaction. */
  add(key: string, id: number): void {
    this.ids.set(key, id);
    this.fresh.push(key);
  }

  committed(): void {
    this.fresh = [];
    if (this.ids.size > this.maxEntries) {
      // Bounded memory: start over (lookups fall back to SQLite).
      this.ids.clear();
      this.isComplete = false;
    }
  }

  rolledBack(): void {
    for (const key of this.fresh) this.ids.delete(key);
    this.fresh = [];
  }
}
