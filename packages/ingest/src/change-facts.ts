import type { ChangeContext, TxShape } from '@chaintrail/core';
import type { GraphStore, StoredTx } from '@chaintrail/store';
import { mapConcurrent } from './map-concurrent.js';

function shapeOf(tx: StoredTx): TxShape {
  return { inputCount: tx.inputs.length, outputCount: tx.outputs.length, locktime: tx.locktime };
}

/**
 * The chain facts the change heuristics read (core's `ChangeContext`, synchronous), looked
 * up in the store ahead of each clustering batch. Only what the store holds is known, and
 * unknown stays unknown so a heuristic that needs it does not link:
 * - an output whose spender is not stored reads as "not known", never as "unspent";
 * - "first seen" is the first transaction in the store touching the address, which is the
 *   first ever only when the address's whole history was ingested (its seeds, or hops that
 *   reached all of it). That is why `change:fresh-address` and `change:one-time` need care
 *   on partial ingests; METHODS.md lists them as opt-in for that reason.
 */
export class ChangeFacts {
  readonly #store: GraphStore;
  readonly #concurrency: number;
  #firstSeen = new Map<string, string | null>();
  #shapes = new Map<string, TxShape>();
  #spenders = new Map<string, string>();

  constructor(store: GraphStore, concurrency: number) {
    this.#store = store;
    this.#concurrency = concurrency;
  }

  readonly context: ChangeContext = {
    isFirstSeen: (address, txid) => {
      const first = this.#firstSeen.get(address);
      return first === undefined || first === null ? undefined : first === txid;
    },
    spender: (txid, vout) => {
      const spender = this.#spenders.get(`${txid}:${vout}`);
      return spender === undefined ? undefined : this.#shapes.get(spender);
    },
    shapeOf: (txid) => this.#shapes.get(txid),
  };

  /** Looks up what the heuristics may ask about `txs`; forgets the previous batch. */
  async prefetch(txs: readonly StoredTx[]): Promise<void> {
    this.#firstSeen = new Map();
    this.#shapes = new Map();
    this.#spenders = new Map();
    const related = new Set<string>();
    const addresses = new Set<string>();
    for (const tx of txs) {
      this.#shapes.set(tx.txid, shapeOf(tx));
      for (const input of tx.inputs) if (!input.coinbase) related.add(input.prevout.txid);
      for (const output of tx.outputs) {
        if (output.address !== null) addresses.add(output.address);
        if (output.spentBy !== null) {
          this.#spenders.set(`${output.txid}:${output.vout}`, output.spentBy.txid);
          related.add(output.spentBy.txid);
        }
      }
    }
    const wanted = [...related].filter((txid) => !this.#shapes.has(txid));
    const stored = wanted.length === 0 ? [] : await this.#store.hasTransactions(wanted);
    const relatedTxs = await mapConcurrent(stored, this.#concurrency, (txid) => this.#store.getTransaction(txid));
    for (const tx of relatedTxs) this.#shapes.set(tx.txid, shapeOf(tx));
    const summaries = await mapConcurrent([...addresses], this.#concurrency, (address) => this.#store.addressSummary(address));
    for (const summary of summaries) this.#firstSeen.set(summary.address, summary.firstSeen?.txid ?? null);
  }
}
