/**
 * Transactions waiting to be processed, in chain order (height, position in block, txid),
 * unconfirmed ones last in the order they were queued. Processing in chain order means a
 * transaction's inputs were all settled before it: a spend always comes after what it
 * spends.
 */
export interface QueuedTx {
  readonly txid: string;
  readonly height: number | null;
  readonly position: number | null;
}

interface Entry {
  readonly tx: QueuedTx;
  readonly key: readonly [number, number, string];
}

function less(a: Entry, b: Entry): boolean {
  if (a.key[0] !== b.key[0]) return a.key[0] < b.key[0];
  if (a.key[1] !== b.key[1]) return a.key[1] < b.key[1];
  return a.key[2] < b.key[2];
}

export class ChainOrderQueue {
  readonly #heap: Entry[] = [];
  readonly #queued = new Set<string>();
  #unconfirmed = 0;

  get size(): number {
    return this.#heap.length;
  }

  has(txid: string): boolean {
    return this.#queued.has(txid);
  }

  /** Queues a transaction once; later pushes of the same txid are ignored until it is taken. */
  push(tx: QueuedTx): void {
    if (this.#queued.has(tx.txid)) return;
    this.#queued.add(tx.txid);
    this.#insert(tx);
  }

  /** Puts a taken unconfirmed transaction back behind every other (its parent is still queued). */
  defer(tx: QueuedTx): void {
    this.#queued.add(tx.txid);
    this.#insert({ txid: tx.txid, height: null, position: null });
  }

  take(): QueuedTx | undefined {
    const top = this.#heap[0];
    if (top === undefined) return undefined;
    const last = this.#heap.pop() as Entry;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      this.#down(0);
    }
    this.#queued.delete(top.tx.txid);
    return top.tx;
  }

  #insert(tx: QueuedTx): void {
    const key: Entry['key'] = tx.height === null ? [Number.MAX_SAFE_INTEGER, this.#unconfirmed++, tx.txid] : [tx.height, tx.position ?? 0, tx.txid];
    this.#heap.push({ tx, key });
    let i = this.#heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(this.#heap[i] as Entry, this.#heap[parent] as Entry)) break;
      [this.#heap[i], this.#heap[parent]] = [this.#heap[parent] as Entry, this.#heap[i] as Entry];
      i = parent;
    }
  }

  #down(start: number): void {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.#heap.length && less(this.#heap[l] as Entry, this.#heap[m] as Entry)) m = l;
      if (r < this.#heap.length && less(this.#heap[r] as Entry, this.#heap[m] as Entry)) m = r;
      if (m === i) return;
      [this.#heap[i], this.#heap[m]] = [this.#heap[m] as Entry, this.#heap[i] as Entry];
      i = m;
    }
  }
}
