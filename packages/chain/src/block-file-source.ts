import { createHash } from 'node:crypto';
import { closeSync, openSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  buildMerkleTree,
  parseAddress,
  parseBlockHeader,
  parseTransaction,
  SCRIPT_ID_PREFIX,
  toError,
  toHex,
  type Hasher,
  type MerkleTree,
  type Network,
  type OutPoint,
  type Transaction,
} from '@chaintrail/core';
import { readFromBlock } from './block-file-reader.js';
import { BlockIndex, type BlockIndexReport, type IndexedBlock, type IndexedTx } from './block-index.js';
import type {
  AddressTxPage,
  AddressTxsOptions,
  ChainSource,
  ChainSourceCapabilities,
  ChainTip,
  OutSpend,
  ResolvedPrevout,
  SourceBlockHeader,
  SourceMerkleProof,
  SourceStats,
  SourceTx,
} from './chain-source.js';
import { hashArgument } from './hash-argument.js';
import { LruMap } from './lru-map.js';
import { touchesAddress } from './touches-address.js';
import { nodeHasher } from './node-hasher.js';
import { nodeHexEncoder } from './node-hex-encoder.js';
import { BadCursorError, SourceBadAnswerError } from './source-errors.js';
import { resolvedPrevout } from './resolved-prevout.js';

export interface BlockFileSourceOptions {
  /** Network the addresses are encoded for; default mainnet. */
  readonly network?: Network;
  /** The index file; default `<cacheDir>/block-index/<hash of the path>.sqlite`. */
  readonly indexPath?: string;
  /** Default `$XDG_CACHE_HOME/chaintrail` or `~/.cache/chaintrail`. */
  readonly cacheDir?: string;
  /** Transactions per address page; default 100 (local reads are cheap). */
  readonly pageSize?: number;
  readonly hasher?: Hasher;
  readonly onProgress?: (progress: { file: string; blocks: number; transactions: number }) => void;
}

const MAX_OPEN_FILES = 64;

/** Opens (indexing first what is new) the blocks at `path`: a directory of block files or one file. */
export async function openBlockFileSource(path: string, options: BlockFileSourceOptions = {}): Promise<BlockFileSource> {
  const network = options.network ?? 'mainnet';
  const hasher = options.hasher ?? nodeHasher;
  const real = realpathSync(path);
  const indexPath = options.indexPath ?? join(options.cacheDir ?? defaultCacheDir(), 'block-index', `${createHash('sha256').update(`${network}\n${real}`).digest('hex').slice(0, 32)}.sqlite`);
  const index = await BlockIndex.open(real, { indexPath, network, hasher, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return new BlockFileSource(real, index, network, hasher, options.pageSize ?? 100);
}

function defaultCacheDir(): string {
  return join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'chaintrail');
}

/**
 * Block files (Bitcoin Core's `blk*.dat`, raw blocks, hex) as a {@link ChainSource}, offline,
 * through the index in `block-index.ts`. Every transaction is read back from its file and
 * hashed to its txid; prevouts come from the parent transactions read the same way, and
 * inputs whose parent is in no indexed block are reported, never guessed.
 */
export class BlockFileSource implements ChainSource {
  readonly kind = 'blocks' as const;
  readonly description: string;
  readonly capabilities: ChainSourceCapabilities = { addressHistory: true, outspends: true, verifiedPrevouts: true };
  readonly #index: BlockIndex;
  readonly #network: Network;
  readonly #hasher: Hasher;
  readonly #pageSize: number;
  readonly #fds = new Map<number, number>();
  readonly #files: ReadonlyMap<number, BlockIndex['files'][number]>;
  readonly #parents = new LruMap<string, Transaction>(4096);
  /** Built answers: a site's sweep, with hundreds of inputs, is in the history of every deposit it sweeps. */
  readonly #answers = new LruMap<string, SourceTx>(1024);
  /** Checked merkle trees of recently proven blocks: an export proves many txs per block. */
  readonly #trees = new LruMap<number, MerkleTree>(16);

  constructor(path: string, index: BlockIndex, network: Network, hasher: Hasher, pageSize: number) {
    this.description = `blocks:${path}`;
    this.#index = index;
    this.#files = new Map(index.files.map((f) => [f.id, f]));
    this.#network = network;
    this.#hasher = hasher;
    this.#pageSize = pageSize;
  }

  /** What indexing found: counts, stale blocks, blocks of unknown height, skipped bytes, unresolved prevouts. */
  report(): BlockIndexReport {
    return this.#index.report;
  }

  stats(): SourceStats {
    return { requests: 0, retries: 0, cacheHits: 0, cacheRejected: 0 };
  }

  close(): Promise<void> {
    for (const fd of this.#fds.values()) closeSync(fd);
    this.#fds.clear();
    this.#index.close();
    return Promise.resolve();
  }

  tx(txid: string): Promise<SourceTx | null> {
    return answer(() => {
      const id = hashArgument('txid', txid);
      const cached = this.#answers.get(id);
      if (cached) return cached;
      const found = this.#index.findTx(id);
      return found ? this.#sourceTx(found) : null;
    });
  }

  rawTx(txid: string): Promise<string | null> {
    return answer(() => {
      const found = this.#index.findTx(hashArgument('txid', txid));
      return found ? toHex(this.#read(found).bytes) : null;
    });
  }

  addressTxs(address: string, options?: AddressTxsOptions): Promise<AddressTxPage> {
    return answer(() => {
      const key = address.startsWith(SCRIPT_ID_PREFIX) ? address : parseAddress(address, { network: this.#network }).address;
      const after = options?.afterTxid === undefined ? undefined : hashArgument('txid', options.afterTxid);
      const found = this.#index.history(key, after, this.#pageSize + 1);
      if (found === undefined) throw new BadCursorError(this.description, key, after as string);
      const page = found.slice(0, this.#pageSize);
      // The index keys addresses by a 64-bit hash; a transaction of another address with the same key is dropped here.
      const txs = page.map((entry) => this.#answers.get(entry.txid) ?? this.#sourceTx(entry)).filter((tx) => touchesAddress(tx, key));
      const last = page.at(-1);
      return { address: key, txs, asOf: Date.now(), ...(found.length > this.#pageSize && last ? { nextCursor: last.txid } : {}) };
    });
  }

  /** From the index's spend links, written while the spending transactions were hashed; one query per call. */
  outspends(outpoints: readonly OutPoint[]): Promise<readonly (OutSpend | null)[]> {
    return answer(() => this.#index.spenders(outpoints.map((o) => ({ txid: hashArgument('txid', o.txid), vout: o.vout }))));
  }

  blockHeader(hashOrHeight: string | number): Promise<SourceBlockHeader | null> {
    return answer(() => {
      const block = typeof hashOrHeight === 'number' ? this.#index.blockByHeight(hashOrHeight) : this.#index.blockByHash(hashArgument('block hash', hashOrHeight));
      return block ? this.#header(block) : null;
    });
  }

  merkleProof(txid: string): Promise<SourceMerkleProof | null> {
    return answer(() => {
      const found = this.#index.findTx(hashArgument('txid', txid));
      if (!found || found.block.ordinal === null) return null;
      const header = this.#header(found.block);
      let tree = this.#trees.get(found.block.id);
      if (tree === undefined) {
        tree = buildMerkleTree(this.#index.blockTxids(found.block.id), { hasher: this.#hasher });
        if (tree.mutated || tree.root !== header.merkleRoot) this.#indexFault(`block ${header.hash}`, `its indexed transactions give merkle root ${tree.root}, the header says ${header.merkleRoot}`);
        this.#trees.set(found.block.id, tree);
      }
      if (found.length === 64) this.#indexFault(txid, 'a 64-byte transaction cannot be proven by a merkle branch (CVE-2017-12842)');
      const { merkle, pos } = tree.branch(found.position);
      return { txid: found.txid, blockHash: header.hash, blockHeight: found.block.height, merkle, pos, header };
    });
  }

  tip(): Promise<ChainTip> {
    return answer(() => {
      const tip = this.#index.tip();
      if (!tip) throw new SourceBadAnswerError(this.description, 'tip', 'no readable block in these files');
      return { height: tip.height, hash: tip.hash };
    });
  }

  #sourceTx(found: IndexedTx): SourceTx {
    const { tx, bytes } = this.#read(found);
    const unresolved: { txid: string; vout: number }[] = [];
    const prevouts = tx.inputs.map(({ prevout }): ResolvedPrevout | null => {
      if (tx.isCoinbase) return null;
      const output = this.#parent(prevout.txid)?.outputs[prevout.vout];
      if (!output) {
        unresolved.push(prevout);
        return null;
      }
      return resolvedPrevout(prevout, output);
    });
    const { block } = found;
    const answer: SourceTx = {
      tx,
      raw: toHex(bytes),
      placement: block.ordinal === null ? null : { blockHash: block.hash, blockHeight: block.height, blockTime: block.time, position: found.position },
      prevouts,
      unresolvedPrevouts: unresolved,
      prevoutTrust: 'verified',
    };
    this.#answers.set(found.txid, answer);
    return answer;
  }

  #parent(txid: string): Transaction | undefined {
    const cached = this.#parents.get(txid);
    if (cached) return cached;
    const found = this.#index.findTx(txid);
    if (!found) return undefined;
    const { tx } = this.#read(found);
    this.#parents.set(txid, tx);
    return tx;
  }

  #read(found: IndexedTx): { tx: Transaction; bytes: Uint8Array } {
    const bytes = this.#bytes(found.block, found.offset, found.length);
    let tx: Transaction;
    try {
      tx = parseTransaction(bytes, { network: this.#network, hasher: this.#hasher, hexEncoder: nodeHexEncoder });
    } catch (error) {
      this.#indexFault(found.txid, toError(error).message);
    }
    if (tx.txid !== found.txid) this.#indexFault(found.txid, `the bytes at its indexed position hash to ${tx.txid}`);
    return { tx, bytes };
  }

  #header(block: IndexedBlock): SourceBlockHeader {
    const raw = this.#bytes(block, 0, 80);
    const header = parseBlockHeader(raw, 0, { hasher: this.#hasher });
    if (header.hash !== block.hash) this.#indexFault(`block ${block.hash}`, `the header at its indexed position hashes to ${header.hash}`);
    return { ...header, raw: toHex(raw), ...(block.height === null ? {} : { height: block.height }) };
  }

  #bytes(block: IndexedBlock, start: number, length: number): Uint8Array {
    const file = this.#files.get(block.fileId);
    if (!file) this.#indexFault(`block ${block.hash}`, `file #${block.fileId} is not in the index`);
    let fd = this.#fds.get(file.id);
    if (fd === undefined) {
      if (this.#fds.size >= MAX_OPEN_FILES) {
        const [oldest, oldestFd] = this.#fds.entries().next().value as [number, number];
        closeSync(oldestFd);
        this.#fds.delete(oldest);
      }
      fd = openSync(file.path, 'r');
      this.#fds.set(file.id, fd);
    }
    try {
      return readFromBlock(fd, file, this.#index.xorKey, block.offset, start, length);
    } catch (error) {
      this.#indexFault(`block ${block.hash}`, toError(error).message);
    }
  }

  #indexFault(what: string, detail: string): never {
    throw new SourceBadAnswerError(this.description, `index entry for ${what}`, `${detail}; the block files changed since they were indexed. Open the source again to re-index`);
  }
}

/** Runs synchronous index work for an async API: a throw becomes a rejected promise. */
function answer<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(toError(error));
  }
}
