import type { BlockHeader, OutPoint, ScriptType, Transaction } from '@chaintrail/core';

/**
 * One interface for every place chaintrail reads the chain from (../../shared/DESIGN.md,
 * "Chain sources"). Every adapter returns the same shapes, checked before they are returned:
 * a transaction's bytes hash to its txid, a header's bytes to its hash, a merkle proof leads
 * to its header's root. What a source cannot check (which transactions an address has, the
 * prevouts an Esplora server reports) is labelled as such.
 *
 * Not found is an answer: look-ups return `null`; only failures throw.
 */
export interface ChainSource {
  readonly kind: ChainSourceKind;
  /** Where the data comes from, safe to print and to write into a manifest (no credentials). */
  readonly description: string;
  /** What this source can answer; callers check before asking (see `addressTxs`). */
  readonly capabilities: ChainSourceCapabilities;

  /**
   * One page of the confirmed transactions touching `address`, newest first as Esplora
   * orders them. Pass the page's `nextCursor` as `afterTxid` to get the next page; no
   * `nextCursor` means the history ends. Throws `CHAINTRAIL_SOURCE_UNSUPPORTED` on a source
   * without an address index (Bitcoin Core RPC).
   */
  addressTxs(address: string, options?: AddressTxsOptions): Promise<AddressTxPage>;
  /**
   * Who spent each of `outpoints` in a confirmed block of the best chain, answers in the
   * order asked: the spending transaction and the index of its input, or null when the
   * source knows no confirmed spender (the output is unspent, spent only in the mempool, or,
   * for block files, spent in no indexed block, or the outpoint names no transaction the
   * source holds). The spender's own inputs prove the answer: fetch it with `tx()`. Throws
   * `CHAINTRAIL_SOURCE_UNSUPPORTED` on a source without a spend index (Bitcoin Core RPC).
   */
  outspends(outpoints: readonly OutPoint[]): Promise<readonly (OutSpend | null)[]>;
  /** A transaction, decoded and raw, with its placement and the outputs its inputs spend. */
  tx(txid: string): Promise<SourceTx | null>;
  /** The raw transaction (hex), checked against its txid. */
  rawTx(txid: string): Promise<string | null>;
  /** A block header by hash (display hex) or height, checked against its hash. */
  blockHeader(hashOrHeight: string | number): Promise<SourceBlockHeader | null>;
  /** A merkle inclusion proof, already verified against the header it returns with. */
  merkleProof(txid: string): Promise<SourceMerkleProof | null>;
  /** The best block the source knows. Never cached. */
  tip(): Promise<ChainTip>;
  /** Counters for progress output and for tests that prove nothing was fetched twice. */
  stats(): SourceStats;
  /** Releases sockets, files and database handles. Idempotent. */
  close(): Promise<void>;
}

export type ChainSourceKind = 'blocks' | 'esplora' | 'core';

export interface ChainSourceCapabilities {
  /** Address history (Esplora, block files); Bitcoin Core has no address index. */
  readonly addressHistory: boolean;
  /** Spender look-up by outpoint (Esplora's `/tx/:txid/outspends`, the block-file index); Bitcoin Core has none. */
  readonly outspends: boolean;
  /** Whether `SourceTx.prevouts` come from parent transactions checked against their txids. */
  readonly verifiedPrevouts: boolean;
}

export interface AddressTxsOptions {
  /** The `nextCursor` of the previous page (Esplora's `last_seen_txid`). */
  readonly afterTxid?: string;
}

export interface AddressTxPage {
  readonly address: string;
  readonly txs: readonly SourceTx[];
  /** Pass as `afterTxid` for the next page; absent on the last page. */
  readonly nextCursor?: string;
  /**
   * When the source answered (Unix ms). An address's history grows; a page served from the
   * cache is the history as it was then (see README, "What is cached").
   */
  readonly asOf: number;
}

/** The confirmed input spending an output. */
export interface OutSpend {
  readonly txid: string;
  readonly vin: number;
}

/**
 * Where a confirmed transaction sits. Height is null when the source cannot know it (a
 * block file fragment with no path to genesis and no BIP34 height); position is null when
 * the source does not say it (Esplora's `/tx/:txid`; ask `merkleProof` for it).
 */
export interface SourcePlacement {
  readonly blockHash: string;
  readonly blockHeight: number | null;
  /** Unix seconds, from the block header. */
  readonly blockTime: number;
  readonly position: number | null;
}

/** The output an input spends, as the source resolved it. */
export interface ResolvedPrevout {
  readonly txid: string;
  readonly vout: number;
  /** Satoshis. */
  readonly value: number;
  readonly scriptPubKey: string;
  readonly scriptType: ScriptType;
  readonly address: string | null;
}

/**
 * - `verified`: read from the parent transaction, whose bytes were hashed to its txid;
 * - `source-claimed`: reported by the server beside the transaction (Esplora's
 *   `vin[].prevout`); nothing in the transaction itself commits to it. Fetch the parent
 *   (`tx(prevout.txid)`) where a claim must be proven.
 */
export type PrevoutTrust = 'verified' | 'source-claimed';

export interface SourceTx {
  readonly tx: Transaction;
  /** Raw serialization (hex, with witnesses); its double SHA-256 without witnesses is the txid. */
  readonly raw: string;
  /** Null when the transaction is unconfirmed or only in a block off the best chain. */
  readonly placement: SourcePlacement | null;
  /**
   * One entry per input, in input order: the output it spends; null for a coinbase input
   * and for every input listed in `unresolvedPrevouts`.
   */
  readonly prevouts: readonly (ResolvedPrevout | null)[];
  /** Inputs whose prevout the source could not resolve; never guessed. */
  readonly unresolvedPrevouts: readonly OutPoint[];
  readonly prevoutTrust: PrevoutTrust;
}

export interface SourceBlockHeader extends BlockHeader {
  /** The 80 raw header bytes (hex); their double SHA-256 is `hash`. */
  readonly raw: string;
}

/** A merkle branch (Esplora's shape) with the header it was verified against. */
export interface SourceMerkleProof {
  readonly txid: string;
  readonly blockHash: string;
  readonly blockHeight: number | null;
  /** Sibling hashes from the leaf level up, display hex. */
  readonly merkle: readonly string[];
  readonly pos: number;
  readonly header: SourceBlockHeader;
}

export interface ChainTip {
  /** Null for a block-file source whose best block's height is unknown. */
  readonly height: number | null;
  readonly hash: string;
}

export interface SourceStats {
  /** HTTP requests sent, retries included (0 for block files). */
  readonly requests: number;
  /** Requests that were retries of a failed attempt. */
  readonly retries: number;
  /** Answers served from the on-disk cache. */
  readonly cacheHits: number;
  /** Cached entries that failed their check on reading and were fetched again. */
  readonly cacheRejected: number;
}
