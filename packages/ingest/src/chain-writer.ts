import type { ChainSource, SourceTx } from '@chaintrail/chain';
import type { TxPlacement } from '@chaintrail/core';
import type { BlockHeaderRecord, GraphStore, TxWrite } from '@chaintrail/store';
import { mapConcurrent } from './map-concurrent.js';

/** Block hashes whose headers were written lately; rewriting one is harmless, only wasted. */
const RECENT_HEADERS = 10_000;

export interface ChainWriteResult {
  /** Transactions handed to the store (already stored ones included). */
  readonly written: number;
  /** Confirmed transactions stored without placement: their block's height is unknown to the source. */
  readonly unplaced: number;
}

/**
 * Writes source transactions to the store with everything a proof needs: the raw bytes,
 * the block placement (height, time and position in the block) and the block header.
 * Esplora does not say a transaction's position in its block; its merkle proof does, so
 * that is asked for (and cached by the source), which makes a store filled from Esplora
 * the same as one filled from block files.
 */
export class ChainWriter {
  readonly #store: GraphStore;
  readonly #source: ChainSource;
  readonly #concurrency: number;
  readonly #headersWritten = new Set<string>();

  constructor(store: GraphStore, source: ChainSource, concurrency: number) {
    this.#store = store;
    this.#source = source;
    this.#concurrency = concurrency;
  }

  async write(txs: readonly SourceTx[]): Promise<ChainWriteResult> {
    if (txs.length === 0) return { written: 0, unplaced: 0 };
    const placements = await mapConcurrent(txs, this.#concurrency, (stx) => this.#placement(stx));
    await this.#writeHeaders(placements);
    const writes: TxWrite[] = txs.map((stx, i) => {
      const placement = placements[i];
      return placement ? { tx: stx.tx, raw: stx.raw, placement } : { tx: stx.tx, raw: stx.raw };
    });
    await this.#store.writeTransactions(writes);
    const unplaced = txs.filter((stx, i) => stx.placement !== null && placements[i] === undefined).length;
    return { written: txs.length, unplaced };
  }

  async #placement(stx: SourceTx): Promise<TxPlacement | undefined> {
    const p = stx.placement;
    if (p === null || p.blockHeight === null) return undefined;
    let position = p.position;
    if (position === null) {
      const proof = await this.#source.merkleProof(stx.tx.txid);
      if (proof === null) return undefined;
      position = proof.pos;
    }
    return { blockHash: p.blockHash, blockHeight: p.blockHeight, blockTime: p.blockTime, position };
  }

  async #writeHeaders(placements: readonly (TxPlacement | undefined)[]): Promise<void> {
    const wanted = new Map<string, number>();
    for (const p of placements) if (p && !this.#headersWritten.has(p.blockHash)) wanted.set(p.blockHash, p.blockHeight);
    if (wanted.size === 0) return;
    const headers = await mapConcurrent([...wanted], this.#concurrency, async ([hash, height]): Promise<BlockHeaderRecord | null> => {
      const header = await this.#source.blockHeader(hash);
      if (header === null) return null;
      return {
        hash: header.hash,
        version: header.version,
        prevHash: header.prevHash,
        merkleRoot: header.merkleRoot,
        time: header.time,
        bits: header.bits,
        nonce: header.nonce,
        height: header.height ?? height,
      };
    });
    const found = headers.filter((h): h is BlockHeaderRecord => h !== null);
    if (found.length > 0) await this.#store.writeBlockHeaders(found);
    if (this.#headersWritten.size + found.length > RECENT_HEADERS) this.#headersWritten.clear();
    for (const h of found) this.#headersWritten.add(h.hash);
  }
}
