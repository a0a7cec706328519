import {
  fromHex,
  parseAddress,
  parseBlockHeader,
  parseTransaction,
  SCRIPT_ID_PREFIX,
  toError,
  verifyMerkleProof,
  type Hasher,
  type Network,
  type OutPoint,
} from '@chaintrail/core';
import type { z } from 'zod';
import type {
  AddressTxPage,
  AddressTxsOptions,
  ChainSource,
  ChainSourceCapabilities,
  ChainTip,
  OutSpend,
  SourceBlockHeader,
  SourceMerkleProof,
  SourceStats,
  SourceTx,
} from './chain-source.js';
import { DiskCache, routeKey } from './disk-cache.js';
import { checkAddressPage, sourceTxFromEsplora, type AnswerContext } from './esplora-answers.js';
import {
  esploraAddressPageSchema,
  esploraHashTextSchema,
  esploraHeaderSchema,
  esploraHeightSchema,
  esploraMerkleProofSchema,
  esploraOutspendsSchema,
  esploraRawTxSchema,
  esploraTxSchema,
  type EsploraOutspendJson,
} from './esplora-schemas.js';
import { hashArgument } from './hash-argument.js';
import { defaultHttpLimits, HttpTransport, type HttpLimits, type Interpreter } from './http-transport.js';
import { nodeHasher } from './node-hasher.js';
import type { RetryPolicy } from './retry-policy.js';
import { SourceBadAnswerError, TxMismatchError } from './source-errors.js';

export interface EsploraSourceOptions {
  /** The API root, e.g. `https://blockstream.info/api` or `http://127.0.0.1:3002`. */
  readonly baseUrl: string;
  /** Network of the addresses; default mainnet. */
  readonly network?: Network;
  /** Where answers are kept between runs. Without it nothing is cached. */
  readonly cacheDir?: string;
  readonly limits?: Partial<Omit<HttpLimits, 'retry'>> & { readonly retry?: Partial<RetryPolicy> };
  /**
   * Fetch the newest page of every address history, and every outspends answer, again
   * instead of reading them from the cache (older pages never change). Off by default, so a
   * second run repeats the first exactly; on to pick up activity since.
   */
  readonly refreshAddressHistory?: boolean;
  /** Confirmed transactions per address page; 25 in electrs and mempool.space. */
  readonly pageSize?: number;
  /** Injected in tests: waits between retries. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Clock for `asOf` (Unix ms). */
  readonly now?: () => number;
  readonly hasher?: Hasher;
}

interface CachedPage {
  readonly asOf: number;
  readonly txids: readonly string[];
}

interface CachedHeader {
  readonly raw: string;
  readonly height: number | null;
}

interface CachedProof {
  readonly blockHash: string;
  readonly blockHeight: number;
  readonly merkle: readonly string[];
  readonly pos: number;
}

/**
 * The Esplora REST API (Blockstream electrs, mempool.space, or self-hosted) as a
 * {@link ChainSource}. Every answer is schema-checked and every transaction rebuilt and
 * hashed to its txid before use; checked answers go to the on-disk cache so a second run of
 * the same work sends no request (README, "What is cached").
 */
export class EsploraSource implements ChainSource {
  readonly kind = 'esplora' as const;
  readonly description: string;
  readonly capabilities: ChainSourceCapabilities = { addressHistory: true, outspends: true, verifiedPrevouts: false };
  readonly #transport: HttpTransport;
  readonly #cache: DiskCache | undefined;
  readonly #network: Network;
  readonly #hasher: Hasher;
  readonly #pageSize: number;
  readonly #refreshFirstPages: boolean;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<unknown>>();
  #cacheHits = 0;
  #cacheRejected = 0;

  constructor(options: EsploraSourceOptions) {
    const url = new URL(options.baseUrl);
    url.username = '';
    url.password = '';
    this.description = `esplora:${url.toString().replace(/\/+$/, '')}`;
    this.#network = options.network ?? 'mainnet';
    this.#hasher = options.hasher ?? nodeHasher;
    this.#pageSize = options.pageSize ?? 25;
    this.#refreshFirstPages = options.refreshAddressHistory ?? false;
    this.#now = options.now ?? Date.now;
    this.#cache = options.cacheDir === undefined ? undefined : new DiskCache(options.cacheDir);
    const limits = options.limits ?? {};
    this.#transport = new HttpTransport({
      ...defaultHttpLimits,
      ...limits,
      retry: { ...defaultHttpLimits.retry, ...limits.retry },
      baseUrl: options.baseUrl,
      sourceName: this.description,
      headers: { accept: 'application/json, text/plain' },
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  stats(): SourceStats {
    return { requests: this.#transport.requests, retries: this.#transport.retries, cacheHits: this.#cacheHits, cacheRejected: this.#cacheRejected };
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  async tx(txid: string): Promise<SourceTx | null> {
    const id = hashArgument('txid', txid);
    return this.#once(`tx:${id}`, async () => {
      const cached = await this.#cachedTx(id);
      if (cached) return cached;
      const route = `/tx/${id}`;
      const json = await this.#get(route, jsonAnswer(esploraTxSchema, this.description, route));
      if (json === null) return null;
      const tx = sourceTxFromEsplora(json, this.#context(route), id);
      if (json.status.confirmed) await this.#cache?.write('tx', id, JSON.stringify(json));
      return tx;
    });
  }

  async rawTx(txid: string): Promise<string | null> {
    const id = hashArgument('txid', txid);
    return this.#once(`raw:${id}`, async () => {
      const fromJson = await this.#cachedTx(id);
      if (fromJson) return fromJson.raw;
      const cached = await this.#cache?.read('tx-hex', id);
      if (cached != null) {
        if (this.#rawMatches(cached, id)) {
          this.#cacheHits++;
          return cached;
        }
        await this.#reject('tx-hex', id);
      }
      const route = `/tx/${id}/hex`;
      const hex = await this.#get(route, textAnswer(esploraRawTxSchema, this.description, route));
      if (hex === null) return null;
      let actual: string;
      try {
        actual = parseTransaction(fromHex(hex), { network: this.#network, hasher: this.#hasher }).txid;
      } catch (error) {
        throw new SourceBadAnswerError(this.description, route, toError(error).message, { cause: error });
      }
      if (actual !== id) throw new TxMismatchError(this.description, route, id, actual);
      await this.#cache?.write('tx-hex', id, hex);
      return hex;
    });
  }

  async addressTxs(address: string, options?: AddressTxsOptions): Promise<AddressTxPage> {
    const target = this.#addressRoute(address);
    const after = options?.afterTxid === undefined ? undefined : hashArgument('txid', options.afterTxid);
    const route = `${target.route}/txs/chain${after === undefined ? '' : `/${after}`}`;
    return this.#once(`page:${route}`, async () => {
      const key = routeKey(route);
      const cached = after === undefined && this.#refreshFirstPages ? null : await this.#cachedPage(key);
      if (cached) return this.#page(target.address, cached.txs, cached.asOf);
      const jsons = (await this.#get(route, jsonAnswer(esploraAddressPageSchema, this.description, route))) ?? [];
      const context = this.#context(route);
      const txs = jsons.map((json) => sourceTxFromEsplora(json, context));
      checkAddressPage(target.address, after, txs, this.#pageSize, context);
      const asOf = this.#now();
      if (this.#cache) {
        for (const json of jsons) await this.#cache.write('tx', json.txid, JSON.stringify(json));
        const page: CachedPage = { asOf, txids: jsons.map((j) => j.txid) };
        await this.#cache.write('address-page', key, JSON.stringify(page));
      }
      return this.#page(target.address, txs, asOf);
    });
  }

  /**
   * One `/tx/:txid/outspends` per distinct txid asked. A confirmed spend is believed only
   * once the spending transaction, fetched and hashed to its txid, is confirmed and its
   * input `vin` names the outpoint; a spend the server reports but that input denies is a
   * bad answer, not an unspent output.
   */
  async outspends(outpoints: readonly OutPoint[]): Promise<readonly (OutSpend | null)[]> {
    const asked = outpoints.map((o) => ({ txid: hashArgument('txid', o.txid), vout: o.vout }));
    const distinct = [...new Set(asked.map((o) => o.txid))];
    const entries = new Map(await Promise.all(distinct.map(async (txid) => [txid, await this.#outspendEntries(txid)] as const)));
    return Promise.all(asked.map(({ txid, vout }) => this.#checkedSpend(txid, vout, entries.get(txid)?.[vout])));
  }

  #outspendEntries(txid: string): Promise<readonly EsploraOutspendJson[] | null> {
    return this.#once(`outspends:${txid}`, async () => {
      if (!this.#refreshFirstPages) {
        const cached = await this.#cache?.read('outspends', txid);
        if (cached != null) {
          const parsed = esploraOutspendsSchema.safeParse(safeJson(cached));
          if (parsed.success) {
            this.#cacheHits++;
            return parsed.data;
          }
          await this.#reject('outspends', txid);
        }
      }
      const route = `/tx/${txid}/outspends`;
      const answer = await this.#get(route, jsonAnswer(esploraOutspendsSchema, this.description, route));
      if (answer !== null) await this.#cache?.write('outspends', txid, JSON.stringify(answer));
      return answer;
    });
  }

  async #checkedSpend(txid: string, vout: number, entry: EsploraOutspendJson | undefined): Promise<OutSpend | null> {
    if (!entry?.spent || entry.status?.confirmed !== true || entry.txid === undefined || entry.vin === undefined) return null;
    const route = `/tx/${txid}/outspends`;
    const spender = await this.tx(entry.txid);
    // Confirmed when the server answered, not (yet) when the spender was fetched: a reorg in between.
    if (spender !== null && spender.placement === null) return null;
    const prevout = spender?.tx.inputs[entry.vin]?.prevout;
    if (prevout?.txid !== txid || prevout.vout !== vout) {
      throw new SourceBadAnswerError(this.description, route, `output ${vout} is said to be spent by input ${entry.vin} of ${entry.txid}, which does not spend it`);
    }
    return { txid: entry.txid, vin: entry.vin };
  }

  async blockHeader(hashOrHeight: string | number): Promise<SourceBlockHeader | null> {
    if (typeof hashOrHeight === 'number') {
      if (!Number.isSafeInteger(hashOrHeight) || hashOrHeight < 0) throw new RangeError(`Block height ${hashOrHeight} is not a non-negative integer.`);
      return this.#once(`height:${hashOrHeight}`, async () => {
        // Not cached: which block sits at a height near the tip can still change.
        const route = `/block-height/${hashOrHeight}`;
        const hash = await this.#get(route, textAnswer(esploraHashTextSchema, this.description, route));
        return hash === null ? null : this.#headerByHash(hash, hashOrHeight);
      });
    }
    return this.#headerByHash(hashArgument('block hash', hashOrHeight), null);
  }

  async merkleProof(txid: string): Promise<SourceMerkleProof | null> {
    const id = hashArgument('txid', txid);
    return this.#once(`proof:${id}`, async () => {
      const cached = await this.#cache?.read('merkle-proof', id);
      if (cached != null) {
        const proof = await this.#checkedCachedProof(id, cached);
        if (proof) {
          this.#cacheHits++;
          return proof;
        }
        await this.#reject('merkle-proof', id);
      }
      const sourceTx = await this.tx(id);
      if (sourceTx?.placement == null) return null;
      const { blockHash, blockHeight } = sourceTx.placement;
      const route = `/tx/${id}/merkle-proof`;
      const answer = await this.#get(route, jsonAnswer(esploraMerkleProofSchema, this.description, route));
      if (answer === null) return null;
      if (answer.block_height !== blockHeight) {
        throw new SourceBadAnswerError(this.description, route, `proof is for height ${answer.block_height}, the transaction is at ${blockHeight}`);
      }
      const header = await this.#headerByHash(blockHash, blockHeight);
      if (header === null) throw new SourceBadAnswerError(this.description, `/block/${blockHash}/header`, `no header for block ${blockHash}, which holds ${id}`);
      const proof: SourceMerkleProof = { txid: id, blockHash, blockHeight, merkle: answer.merkle, pos: answer.pos, header };
      this.#checkProof(proof, sourceTx.raw, route);
      const record: CachedProof = { blockHash, blockHeight, merkle: answer.merkle, pos: answer.pos };
      await this.#cache?.write('merkle-proof', id, JSON.stringify(record));
      return proof;
    });
  }

  async tip(): Promise<ChainTip> {
    // Height first, then the hash at that height: a block found between two requests for
    // tip/height and tip/hash would pair a height with the wrong hash.
    const heightRoute = '/blocks/tip/height';
    const height = await this.#get(heightRoute, textAnswer(esploraHeightSchema, this.description, heightRoute));
    if (height === null) throw new SourceBadAnswerError(this.description, heightRoute, 'not found');
    const hashRoute = `/block-height/${height}`;
    const hash = await this.#get(hashRoute, textAnswer(esploraHashTextSchema, this.description, hashRoute));
    if (hash === null) throw new SourceBadAnswerError(this.description, hashRoute, `the tip height ${height} has no block`);
    return { height, hash };
  }

  #headerByHash(hash: string, knownHeight: number | null): Promise<SourceBlockHeader | null> {
    return this.#once(`header:${hash}`, async () => {
      const cached = await this.#cache?.read('header', hash);
      if (cached != null) {
        const header = this.#checkedCachedHeader(hash, cached, knownHeight);
        if (header) {
          this.#cacheHits++;
          if (knownHeight !== null && header.height === undefined) await this.#writeHeader(header.raw, hash, knownHeight);
          return knownHeight !== null ? { ...header, height: knownHeight } : header;
        }
        await this.#reject('header', hash);
      }
      const route = `/block/${hash}/header`;
      const raw = await this.#get(route, textAnswer(esploraHeaderSchema, this.description, route));
      if (raw === null) return null;
      const header = parseBlockHeader(fromHex(raw), 0, { hasher: this.#hasher });
      if (header.hash !== hash) throw new SourceBadAnswerError(this.description, route, `the header hashes to ${header.hash}`);
      await this.#writeHeader(raw, hash, knownHeight);
      return { ...header, raw, ...(knownHeight === null ? {} : { height: knownHeight }) };
    });
  }

  async #writeHeader(raw: string, hash: string, height: number | null): Promise<void> {
    const record: CachedHeader = { raw, height };
    await this.#cache?.write('header', hash, JSON.stringify(record));
  }

  #checkedCachedHeader(hash: string, text: string, knownHeight: number | null): SourceBlockHeader | null {
    try {
      const record = JSON.parse(text) as CachedHeader;
      const raw = esploraHeaderSchema.parse(record.raw);
      const header = parseBlockHeader(fromHex(raw), 0, { hasher: this.#hasher });
      if (header.hash !== hash) return null;
      const height = record.height ?? knownHeight;
      return { ...header, raw, ...(height === null || height === undefined ? {} : { height }) };
    } catch {
      return null;
    }
  }

  async #checkedCachedProof(txid: string, text: string): Promise<SourceMerkleProof | null> {
    let record: CachedProof;
    try {
      record = JSON.parse(text) as CachedProof;
    } catch {
      return null;
    }
    const sourceTx = await this.#cachedTx(txid);
    const header = sourceTx ? await this.#cachedHeaderOnly(record.blockHash, record.blockHeight) : null;
    if (!sourceTx || !header) return null;
    const proof: SourceMerkleProof = { txid, blockHash: record.blockHash, blockHeight: record.blockHeight, merkle: record.merkle, pos: record.pos, header };
    try {
      this.#checkProof(proof, sourceTx.raw, 'cache');
      return proof;
    } catch {
      return null;
    }
  }

  async #cachedHeaderOnly(hash: string, height: number): Promise<SourceBlockHeader | null> {
    const text = await this.#cache?.read('header', hash);
    return text == null ? null : this.#checkedCachedHeader(hash, text, height);
  }

  /**
   * The proof must lead from the txid to the header's merkle root. A 64-byte transaction
   * could pose as an inner node of the tree (CVE-2017-12842), so its size is checked too.
   */
  #checkProof(proof: SourceMerkleProof, rawHex: string, route: string): void {
    if (rawHex.length === 128) throw new SourceBadAnswerError(this.description, route, `${proof.txid} is 64 bytes long, which a merkle proof cannot tell from an inner node (CVE-2017-12842)`);
    if (!verifyMerkleProof(proof.txid, proof, proof.header.merkleRoot, { hasher: this.#hasher })) {
      throw new SourceBadAnswerError(this.description, route, `the merkle branch does not lead from ${proof.txid} to the merkle root ${proof.header.merkleRoot} of block ${proof.blockHash}`);
    }
  }

  async #cachedTx(txid: string): Promise<SourceTx | null> {
    const text = await this.#cache?.read('tx', txid);
    if (text == null) return null;
    try {
      const json = esploraTxSchema.parse(JSON.parse(text));
      const tx = sourceTxFromEsplora(json, this.#context('cache'), txid);
      this.#cacheHits++;
      return tx;
    } catch {
      await this.#reject('tx', txid);
      return null;
    }
  }

  async #cachedPage(key: string): Promise<{ asOf: number; txs: SourceTx[] } | null> {
    const text = await this.#cache?.read('address-page', key);
    if (text == null) return null;
    try {
      const page = JSON.parse(text) as CachedPage;
      const txs: SourceTx[] = [];
      for (const txid of page.txids) {
        const tx = await this.#cachedTx(txid);
        if (!tx) throw new Error(`transaction ${txid} of the page is missing`);
        txs.push(tx);
      }
      this.#cacheHits++;
      return { asOf: page.asOf, txs };
    } catch {
      await this.#reject('address-page', key);
      return null;
    }
  }

  #page(address: string, txs: readonly SourceTx[], asOf: number): AddressTxPage {
    const last = txs.at(-1);
    return { address, txs, asOf, ...(txs.length >= this.#pageSize && last ? { nextCursor: last.tx.txid } : {}) };
  }

  /**
   * The route prefix for an address. Outputs without an address carry core's
   * `script:<sha256 of the script>` identifier, which is exactly the key of Esplora's
   * `/scripthash/:hash` routes.
   */
  #addressRoute(address: string): { address: string; route: string } {
    if (address.startsWith(SCRIPT_ID_PREFIX)) {
      const hash = hashArgument('txid', address.slice(SCRIPT_ID_PREFIX.length));
      return { address: `${SCRIPT_ID_PREFIX}${hash}`, route: `/scripthash/${hash}` };
    }
    const parsed = parseAddress(address, { network: this.#network });
    return { address: parsed.address, route: `/address/${parsed.address}` };
  }

  async #reject(kind: string, key: string): Promise<void> {
    this.#cacheRejected++;
    await this.#cache?.remove(kind, key);
  }

  #rawMatches(hex: string, txid: string): boolean {
    try {
      return parseTransaction(fromHex(hex), { network: this.#network, hasher: this.#hasher }).txid === txid;
    } catch {
      return false;
    }
  }

  #context(route: string): AnswerContext {
    return { source: this.description, route, network: this.#network, hasher: this.#hasher };
  }

  #get<T>(route: string, interpret: Interpreter<T>): Promise<T | null> {
    return this.#transport.send({ method: 'GET', path: route }, interpret);
  }

  /** Joins concurrent asks for the same thing into one request. */
  #once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running) return running as Promise<T>;
    const promise = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }
}

/** 200 with a JSON body matching `schema`; 404 is not found; anything malformed is retried, then rejected. */
function jsonAnswer<S extends z.ZodType>(schema: S, source: string, route: string): Interpreter<z.output<S>> {
  return (status, body) => {
    if (status === 404) return { kind: 'not-found' };
    if (status !== 200) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      return { kind: 'retry', error: new SourceBadAnswerError(source, route, `body is not JSON (${body.length} bytes; cut short?)`, { cause: error }) };
    }
    return schemaVerdict(schema, value, source, route);
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** 200 with a text body (a hash, a height, hex) matching `schema`. */
function textAnswer<S extends z.ZodType>(schema: S, source: string, route: string): Interpreter<z.output<S>> {
  return (status, body) => {
    if (status === 404) return { kind: 'not-found' };
    if (status !== 200) return undefined;
    return schemaVerdict(schema, body.trim(), source, route);
  };
}

function schemaVerdict<S extends z.ZodType>(schema: S, value: unknown, source: string, route: string): { kind: 'ok'; value: z.output<S> } | { kind: 'retry'; error: Error } {
  const result = schema.safeParse(value);
  if (result.success) return { kind: 'ok', value: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { kind: 'retry', error: new SourceBadAnswerError(source, route, `unexpected answer${where}: ${issue?.message ?? 'invalid'}`) };
}

