import {
  fromHex,
  buildMerkleTree,
  parseBlockHeader,
  parseTransaction,
  scanBlock,
  toError,
  txidOfSpan,
  type Hasher,
  type MerkleTree,
  type Network,
  type OutPoint,
  type Transaction,
} from '@chaintrail/core';
import type {
  AddressTxPage,
  ChainSource,
  ChainSourceCapabilities,
  ChainTip,
  OutSpend,
  ResolvedPrevout,
  SourceBlockHeader,
  SourceMerkleProof,
  SourcePlacement,
  SourceStats,
  SourceTx,
} from './chain-source.js';
import { CoreRpcClient, RPC_INVALID_PARAMETER, RPC_NOT_FOUND, type CoreRpcClientOptions } from './core-rpc-client.js';
import {
  blockchainInfoSchema,
  blockHashSchema,
  headerHexSchema,
  rawBlockSchema,
  rawTxHexSchema,
  verboseBlockSchema,
  verboseHeaderSchema,
  verboseRawTxSchema,
  type VerboseBlock,
} from './core-rpc-schemas.js';
import { hashArgument } from './hash-argument.js';
import { LruMap } from './lru-map.js';
import { nodeHasher } from './node-hasher.js';
import { nodeHexEncoder } from './node-hex-encoder.js';
import { SourceBadAnswerError, SourceUnsupportedError, TxMismatchError } from './source-errors.js';
import { resolvedPrevout } from './resolved-prevout.js';

export interface CoreRpcSourceOptions extends CoreRpcClientOptions {
  readonly network?: Network;
  readonly hasher?: Hasher;
  /** Resolve every input's prevout by fetching its parent transaction (default true). */
  readonly resolvePrevouts?: boolean;
}

interface BlockTxids {
  readonly hash: string;
  readonly height: number;
  readonly time: number;
  readonly txids: readonly string[];
  /** Its merkle tree, checked against the header: proofs of its transactions need no more hashing. */
  readonly tree: MerkleTree;
}

/**
 * A Bitcoin Core node over JSON-RPC, for investigators who run their own. It needs
 * `txindex=1` to find transactions by txid and has no address index at all: address history
 * comes from Esplora (self-hosted electrs) or from the block files of the same node
 * (`blocks:<datadir>/blocks`). Transactions, parents, headers and blocks arrive as raw hex
 * and are hashed here; nothing of Core's decoded JSON is trusted, least of all its BTC floats.
 */
export class CoreRpcSource implements ChainSource {
  readonly kind = 'core' as const;
  readonly description: string;
  readonly capabilities: ChainSourceCapabilities = { addressHistory: false, outspends: false, verifiedPrevouts: true };
  readonly #rpc: CoreRpcClient;
  readonly #network: Network;
  readonly #hasher: Hasher;
  readonly #resolvePrevouts: boolean;
  /** Recently read transactions, so parents shared by siblings are fetched once. */
  readonly #txs = new LruMap<string, Transaction>(4096);
  readonly #blocks = new LruMap<string, Promise<BlockTxids | null>>(32);

  constructor(options: CoreRpcSourceOptions) {
    this.#rpc = new CoreRpcClient(options);
    this.description = this.#rpc.description;
    this.#network = options.network ?? 'mainnet';
    this.#hasher = options.hasher ?? nodeHasher;
    this.#resolvePrevouts = options.resolvePrevouts ?? true;
  }

  stats(): SourceStats {
    return { requests: this.#rpc.requests, retries: this.#rpc.retries, cacheHits: 0, cacheRejected: 0 };
  }

  async close(): Promise<void> {
    await this.#rpc.close();
  }

  addressTxs(address: string): Promise<AddressTxPage> {
    return Promise.reject(
      new SourceUnsupportedError(
        this.description,
        `list the transactions of ${address}: Bitcoin Core keeps no address index`,
        'Use an Esplora source (a self-hosted electrs next to the node) or the node\'s block files: --source blocks:<datadir>/blocks.',
      ),
    );
  }

  /**
   * Core keeps no spend index: `gettxout` says only whether an output is still in the UTXO
   * set (not who spent it, nor when), and `txindex` maps txids to blocks, not outpoints to
   * spenders. Finding a spender would mean scanning every later block.
   */
  outspends(outpoints: readonly OutPoint[]): Promise<readonly (OutSpend | null)[]> {
    const first = outpoints[0];
    return Promise.reject(
      new SourceUnsupportedError(
        this.description,
        `find who spent ${first ? `${first.txid}:${first.vout}` : 'an output'}: Bitcoin Core keeps no spend index`,
        "Use an Esplora source (a self-hosted electrs next to the node) or the node's block files: --source blocks:<datadir>/blocks.",
      ),
    );
  }

  async tx(txid: string): Promise<SourceTx | null> {
    const id = hashArgument('txid', txid);
    const answer = await this.#rpc.call('getrawtransaction', [id, true], verboseRawTxSchema);
    if (answer === null) return null;
    const route = `getrawtransaction ${id}`;
    if (answer.txid !== id) throw new TxMismatchError(this.description, route, id, answer.txid);
    const tx = this.#checkedTx(answer.hex, id, route);
    const placement = answer.blockhash !== undefined && (answer.confirmations ?? 0) > 0 ? await this.#placement(answer.blockhash, id) : null;
    const { prevouts, unresolved } = await this.#prevouts(tx);
    return { tx, raw: answer.hex, placement, prevouts, unresolvedPrevouts: unresolved, prevoutTrust: 'verified' };
  }

  async rawTx(txid: string): Promise<string | null> {
    const id = hashArgument('txid', txid);
    const hex = await this.#rpc.call('getrawtransaction', [id, false], rawTxHexSchema);
    if (hex === null) return null;
    this.#checkedTx(hex, id, `getrawtransaction ${id}`);
    return hex;
  }

  async blockHeader(hashOrHeight: string | number): Promise<SourceBlockHeader | null> {
    let hash: string;
    if (typeof hashOrHeight === 'number') {
      if (!Number.isSafeInteger(hashOrHeight) || hashOrHeight < 0) throw new RangeError(`Block height ${hashOrHeight} is not a non-negative integer.`);
      const found = await this.#rpc.call('getblockhash', [hashOrHeight], blockHashSchema, [RPC_INVALID_PARAMETER]);
      if (found === null) return null;
      hash = found;
    } else {
      hash = hashArgument('block hash', hashOrHeight);
    }
    const [raw, verbose] = await Promise.all([
      this.#rpc.call('getblockheader', [hash, false], headerHexSchema),
      this.#rpc.call('getblockheader', [hash, true], verboseHeaderSchema),
    ]);
    if (raw === null || verbose === null) return null;
    const header = parseBlockHeader(fromHex(raw), 0, { hasher: this.#hasher });
    if (header.hash !== hash) throw new SourceBadAnswerError(this.description, `getblockheader ${hash}`, `the header hashes to ${header.hash}`);
    if (typeof hashOrHeight === 'number' && verbose.height !== hashOrHeight) {
      throw new SourceBadAnswerError(this.description, `getblockhash ${hashOrHeight}`, `block ${hash} is at height ${verbose.height}`);
    }
    return { ...header, raw, height: verbose.height };
  }

  async merkleProof(txid: string): Promise<SourceMerkleProof | null> {
    const id = hashArgument('txid', txid);
    const answer = await this.#rpc.call('getrawtransaction', [id, true], verboseRawTxSchema);
    if (answer?.blockhash === undefined || (answer.confirmations ?? 0) <= 0) return null;
    this.#checkedTx(answer.hex, id, `getrawtransaction ${id}`);
    if (answer.hex.length === 128) {
      throw new SourceBadAnswerError(this.description, `getrawtransaction ${id}`, `${id} is 64 bytes long, which a merkle proof cannot tell from an inner node (CVE-2017-12842)`);
    }
    const block = await this.#blockTxids(answer.blockhash);
    const header = await this.blockHeader(answer.blockhash);
    if (!block || !header) return null;
    const pos = block.txids.indexOf(id);
    if (pos < 0) throw new SourceBadAnswerError(this.description, `getblock ${block.hash} 0`, `the block does not hold ${id}`);
    const { merkle } = block.tree.branch(pos);
    return { txid: id, blockHash: block.hash, blockHeight: block.height, merkle, pos, header };
  }

  async tip(): Promise<ChainTip> {
    const info = await this.#rpc.call('getblockchaininfo', [], blockchainInfoSchema);
    if (info === null) throw new SourceBadAnswerError(this.description, 'getblockchaininfo', 'no answer');
    return { height: info.blocks, hash: info.bestblockhash };
  }

  /**
   * A block with every transaction decoded by Core and its hex (`getblock <hash> 2`), each
   * transaction checked against its txid and the txids against the header's merkle root.
   */
  async blockVerbose(hash: string): Promise<VerboseBlock | null> {
    const id = hashArgument('block hash', hash);
    const route = `getblock ${id} 2`;
    const [block, header] = await Promise.all([this.#rpc.call('getblock', [id, 2], verboseBlockSchema), this.blockHeader(id)]);
    if (block === null || header === null) return null;
    if (block.hash !== id) throw new SourceBadAnswerError(this.description, route, `answered block ${block.hash}`);
    for (const entry of block.tx) this.#checkedTx(entry.hex, entry.txid, route);
    this.#checkRoot(block.tx.map((t) => t.txid), header.merkleRoot, route);
    return block;
  }

  #checkedTx(hex: string, txid: string, route: string): Transaction {
    let tx: Transaction;
    try {
      tx = parseTransaction(fromHex(hex), { network: this.#network, hasher: this.#hasher, hexEncoder: nodeHexEncoder });
    } catch (error) {
      throw new SourceBadAnswerError(this.description, route, toError(error).message, { cause: error });
    }
    if (tx.txid !== txid) throw new TxMismatchError(this.description, route, txid, tx.txid);
    this.#txs.set(txid, tx);
    return tx;
  }

  #checkRoot(txids: readonly string[], root: string, route: string): MerkleTree {
    const computed = buildMerkleTree(txids, { hasher: this.#hasher });
    if (computed.mutated || computed.root !== root) {
      throw new SourceBadAnswerError(this.description, route, `the transactions' merkle root is ${computed.root}${computed.mutated ? ' (duplicated subtree)' : ''}, the header says ${root}`);
    }
    return computed;
  }

  async #placement(blockHash: string, txid: string): Promise<SourcePlacement> {
    const block = await this.#blockTxids(blockHash);
    if (!block) throw new SourceBadAnswerError(this.description, `getblock ${blockHash} 0`, `block ${blockHash}, which the node says holds ${txid}, is not found`);
    const position = block.txids.indexOf(txid);
    if (position < 0) throw new SourceBadAnswerError(this.description, `getblock ${blockHash} 0`, `the block does not hold ${txid}`);
    return { blockHash, blockHeight: block.height, blockTime: block.time, position };
  }

  /**
   * The txids of a block in order, from the raw block (`getblock <hash> 0`: half the bytes of
   * the decoded form and nothing to trust), checked against the header's merkle root.
   */
  #blockTxids(hash: string): Promise<BlockTxids | null> {
    const cached = this.#blocks.get(hash);
    if (cached) return cached;
    const loading = (async (): Promise<BlockTxids | null> => {
      const [raw, header] = await Promise.all([this.#rpc.call('getblock', [hash, 0], rawBlockSchema), this.blockHeader(hash)]);
      if (raw === null || header === null) return null;
      const route = `getblock ${hash} 0`;
      let txids: string[];
      try {
        const bytes = fromHex(raw);
        const spans = scanBlock(bytes, { hasher: this.#hasher });
        if (spans.header.hash !== hash) throw new Error(`the block hashes to ${spans.header.hash}`);
        txids = spans.txs.map((span) => txidOfSpan(bytes, span, this.#hasher));
      } catch (error) {
        throw new SourceBadAnswerError(this.description, route, toError(error).message, { cause: error });
      }
      const tree = this.#checkRoot(txids, header.merkleRoot, route);
      return { hash, height: header.height ?? 0, time: header.time, txids, tree };
    })();
    this.#blocks.set(hash, loading);
    loading.catch(() => this.#blocks.delete(hash));
    return loading;
  }

  /** Parents fetched in one batch and hashed; a parent the node does not have is reported, not guessed. */
  async #prevouts(tx: Transaction): Promise<{ prevouts: (ResolvedPrevout | null)[]; unresolved: { txid: string; vout: number }[] }> {
    const unresolved: { txid: string; vout: number }[] = [];
    if (tx.isCoinbase) return { prevouts: tx.inputs.map(() => null), unresolved };
    if (!this.#resolvePrevouts) return { prevouts: tx.inputs.map(() => null), unresolved: tx.inputs.map((i) => i.prevout) };
    const parents = new Map<string, Transaction>();
    const missing: string[] = [];
    for (const id of new Set(tx.inputs.map((i) => i.prevout.txid))) {
      const known = this.#txs.get(id);
      if (known) parents.set(id, known);
      else missing.push(id);
    }
    const fetched = await Promise.all(missing.map((id) => this.#rpc.call('getrawtransaction', [id, false], rawTxHexSchema, [RPC_NOT_FOUND])));
    missing.forEach((id, i) => {
      const hex = fetched[i];
      if (hex != null) parents.set(id, this.#checkedTx(hex, id, `getrawtransaction ${id}`));
    });
    const prevouts = tx.inputs.map(({ prevout }) => {
      const output = parents.get(prevout.txid)?.outputs[prevout.vout];
      if (!output) {
        unresolved.push(prevout);
        return null;
      }
      return resolvedPrevout(prevout, output);
    });
    return { prevouts, unresolved };
  }
}
