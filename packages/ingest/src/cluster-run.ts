/**
 * A clustering run over the transactions of a store (DESIGN.md, "Cluster"): reads them in
 * batches, resolves their inputs through the store, feeds core's incremental clusterer,
 * then writes the whole clustering (assignments, links with their justifying transaction,
 * CoinJoin verdicts) and lifts tags to entity labels.
 *
 * A run replaces the previous clustering in one `replace` write followed by `merge` writes;
 * a run cut short leaves a partial clustering that the next run replaces, so running it
 * again always ends in the same store. Entity ids depend only on members (core's
 * `entityIdFor`), never on the order transactions were read.
 *
 * Clustering is per store, not per case: entities and links are properties of addresses,
 * and a `replace` of one case's addresses would erase another case's entities. The run
 * reads every transaction the store's journal lists (every case ingested into it).
 */
import {
  CHANGE_HEURISTICS,
  Clusterer,
  detectCoinJoin,
  fromHex,
  liftTags,
  parseTransaction,
  type ChangeHeuristicName,
  type LinkVeto,
  type MergeRecord,
  type Network,
  type ResolvedTx,
  type Tag,
} from '@chaintrail/core';
import { nodeHasher } from '@chaintrail/chain';
import type { ClusterLinkRecord, GraphStore, StoredTx, TagRecord } from '@chaintrail/store';
import { ChangeFacts } from './change-facts.js';
import { eventLoopTurn } from './event-loop-turn.js';
import { BadIngestOptionsError } from './ingest-errors.js';
import { linkVetoOf, storedVetoes } from './link-vetoes.js';
import { mapConcurrent } from './map-concurrent.js';
import { nestedSegwitAddress } from './nested-segwit.js';

/** Pages of ids in ascending order: up to `limit` after `after` (null: from the start). */
export type IdPager = (after: string | null, limit: number) => readonly string[] | Promise<readonly string[]>;

export interface ClusterRunOptions {
  readonly store: GraphStore;
  /** The transactions to cluster. */
  readonly txids: IdPager;
  /** How many there are, for progress; null when unknown. */
  readonly total?: number | null;
  /** Addresses that carry tags, for lifting labels to entities. */
  readonly taggedAddresses?: IdPager;
  /** Change heuristics to switch on (none by default; METHODS.md). */
  readonly changeHeuristics?: readonly ChangeHeuristicName[];
  /** Vetoes to apply besides those recorded in the store (link-vetoes.ts), which every run applies. */
  readonly vetoes?: readonly LinkVeto[];
  readonly network?: Network;
  readonly batchSize?: number;
  readonly writeBatch?: number;
  readonly concurrency?: number;
  /** Entities at least this large are listed in the report with the merges that built them. */
  readonly largeEntity?: number;
  readonly onProgress?: (progress: ClusterProgress) => void;
  readonly signal?: AbortSignal;
}

export interface ClusterProgress {
  readonly stage: 'read' | 'write' | 'labels';
  readonly done: number;
  readonly total: number | null;
}

export interface LargeEntity {
  readonly entityId: string;
  readonly size: number;
  /**
   * The transactions whose merges joined the largest parts, likeliest false links first (at
   * most 5), each with its largest merge and how many unions it made in the entity.
   */
  readonly topMerges: ReadonlyArray<{ readonly txid: string; readonly a: string; readonly b: string; readonly heuristic: string; readonly sizes: readonly [number, number]; readonly unions: number }>;
}

/** One row per transaction, with its largest join: a many-input transaction makes many unions, and a veto is of a transaction. */
function mergesByTransaction(merges: readonly MergeRecord[]): LargeEntity['topMerges'][number][] {
  const byTx = new Map<string, { txid: string; a: string; b: string; heuristic: string; sizes: readonly [number, number]; unions: number }>();
  for (const m of merges) {
    const seen = byTx.get(m.link.txid);
    if (seen === undefined) byTx.set(m.link.txid, { txid: m.link.txid, a: m.link.a, b: m.link.b, heuristic: m.link.heuristic, sizes: m.sizes, unions: 1 });
    else {
      seen.unions++;
      if (m.sizes[1] > seen.sizes[1] || (m.sizes[1] === seen.sizes[1] && m.sizes[0] > seen.sizes[0])) Object.assign(seen, { a: m.link.a, b: m.link.b, heuristic: m.link.heuristic, sizes: m.sizes });
    }
  }
  return [...byTx.values()];
}

export interface ClusterRunReport {
  readonly transactions: number;
  readonly addresses: number;
  readonly entities: number;
  readonly links: number;
  readonly linksByHeuristic: Readonly<Record<string, number>>;
  readonly coinjoins: number;
  readonly coinjoinsByRule: Readonly<Record<string, number>>;
  /** CoinJoin rule hits overturned by a veto (Stonewall, exchange batch). */
  readonly coinjoinVetoes: number;
  readonly postMix: number;
  readonly heuristics: readonly string[];
  readonly largest: readonly LargeEntity[];
  /** Entities given a label or category from their tags. */
  readonly labelled: number;
  /** Entities whose tags disagree (no label chosen for them). */
  readonly tagConflicts: number;
}

const DEFAULT_LARGE_ENTITY = 100;

/** Runs a whole clustering and writes it; see the module comment. */
export async function runClustering(options: ClusterRunOptions): Promise<ClusterRunReport> {
  const { store } = options;
  const network = options.network ?? 'mainnet';
  const batchSize = options.batchSize ?? 2000;
  const concurrency = options.concurrency ?? 16;
  const heuristics = [...(options.changeHeuristics ?? [])];
  for (const name of heuristics) if (!(name in CHANGE_HEURISTICS)) throw new BadIngestOptionsError(`unknown change heuristic "${name}" (known: ${Object.keys(CHANGE_HEURISTICS).join(', ')})`);
  const facts = heuristics.length > 0 ? new ChangeFacts(store, concurrency) : null;
  const exchangeAddresses = new Set<string>();
  const clusterer = new Clusterer({
    change: heuristics,
    ...(facts ? { changeContext: facts.context } : {}),
    coinjoinContext: { isExchangeAddress: (address) => exchangeAddresses.has(address) },
    vetoes: [...(options.vetoes ?? []), ...(await storedVetoes(store)).map(linkVetoOf)],
  });
  clusterer.beginRun();

  const coinjoins = new Map<string, string>();
  let coinjoinVetoes = 0;
  let postMix = 0;
  let transactions = 0;
  const total = options.total ?? null;
  for await (const txids of pages(options.txids, batchSize)) {
    await eventLoopTurn();
    options.signal?.throwIfAborted();
    const stored = await mapConcurrent(txids, concurrency, (txid) => store.getTransaction(txid));
    const resolved = stored.map((tx) => resolvedTx(tx, network));
    await rememberExchangeInputs(store, resolved, exchangeAddresses, concurrency);
    await facts?.prefetch(stored);
    const batch = clusterer.add(resolved);
    for (const verdict of batch.verdicts) {
      if (verdict.isCoinJoin && verdict.rule !== null) coinjoins.set(verdict.txid, verdict.rule);
      else if (verdict.veto !== null) coinjoinVetoes++;
    }
    postMix += batch.postMix.length;
    transactions += txids.length;
    options.onProgress?.({ stage: 'read', done: transactions, total });
  }

  const writeBatch = options.writeBatch ?? 20_000;
  let assignments: { address: string; entityId: string }[] = [];
  let first = true;
  let written = 0;
  const flushAssignments = async (): Promise<void> => {
    await eventLoopTurn();
    await store.writeClustering({ assignments, links: [], ...(first ? { mode: 'replace' as const } : {}) });
    written += assignments.length;
    first = false;
    assignments = [];
    options.onProgress?.({ stage: 'write', done: written, total: clusterer.addressCount });
  };
  for (const assignment of clusterer.assignments()) {
    assignments.push(assignment);
    if (assignments.length >= writeBatch) await flushAssignments();
  }
  if (assignments.length > 0 || first) await flushAssignments();

  const linksByHeuristic: Record<string, number> = {};
  let links: ClusterLinkRecord[] = [];
  let linkCount = 0;
  for (const link of clusterer.links()) {
    links.push({ a: link.a, b: link.b, heuristic: link.heuristic, confidence: link.confidence, txid: link.txid });
    linksByHeuristic[link.heuristic] = (linksByHeuristic[link.heuristic] ?? 0) + 1;
    linkCount++;
    if (links.length >= writeBatch) {
      await store.writeClustering({ assignments: [], links });
      links = [];
    }
  }
  const verdicts = [...coinjoins].map(([txid, rule]) => ({ txid, rule }));
  for (let i = 0; i < Math.max(links.length, verdicts.length); i += writeBatch) {
    await store.writeClustering({ assignments: [], links: links.slice(i, i + writeBatch), coinjoins: verdicts.slice(i, i + writeBatch) });
  }

  const { labelled, conflicts } = options.taggedAddresses ? await liftEntityLabels(store, options.taggedAddresses, (a) => clusterer.entityOf(a), options.onProgress) : { labelled: 0, conflicts: 0 };

  const coinjoinsByRule: Record<string, number> = {};
  for (const rule of coinjoins.values()) coinjoinsByRule[rule] = (coinjoinsByRule[rule] ?? 0) + 1;
  const largest = clusterer
    .growthReport(options.largeEntity ?? DEFAULT_LARGE_ENTITY)
    .slice(0, 10)
    .map(
      (entry): LargeEntity => ({
        entityId: entry.entityId,
        size: entry.size,
        topMerges: mergesByTransaction(entry.merges).slice(0, 5),
      }),
    );
  return {
    transactions,
    addresses: clusterer.addressCount,
    entities: clusterer.entityCount,
    links: linkCount,
    linksByHeuristic,
    coinjoins: coinjoins.size,
    coinjoinsByRule,
    coinjoinVetoes,
    postMix,
    heuristics: ['cioh', 'cioh:p2sh-wrapped', ...heuristics],
    largest,
    labelled,
    tagConflicts: conflicts,
  };
}

async function* pages(pager: IdPager, limit: number): AsyncGenerator<readonly string[]> {
  let after: string | null = null;
  for (;;) {
    const page = await pager(after, limit);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1] as string;
    if (page.length < limit) return;
  }
}

/** A stored transaction as clustering sees it; P2SH inputs that wrap a segwit program also carry that address. */
export function resolvedTx(tx: StoredTx, network: Network): ResolvedTx {
  const hasP2sh = tx.inputs.some((i) => i.scriptType === 'p2sh');
  const scriptSigs = hasP2sh ? parseTransaction(fromHex(tx.raw), { network, hasher: nodeHasher }).inputs.map((i) => i.scriptSig) : null;
  return {
    txid: tx.txid,
    blockHeight: tx.placement?.blockHeight ?? null,
    locktime: tx.locktime,
    isCoinbase: tx.isCoinbase,
    inputs: tx.inputs.map((input) => ({
      txid: input.prevout.txid,
      vout: input.prevout.vout,
      address: input.address,
      value: input.value,
      scriptType: input.scriptType,
      ...(scriptSigs && input.scriptType === 'p2sh' ? { wrappedAddress: nestedSegwitAddress(scriptSigs[input.vin] ?? '', network) } : {}),
    })),
    outputs: tx.outputs.map((o) => ({ value: o.value, scriptType: o.scriptType, address: o.address })),
  };
}

/**
 * The exchange-batch veto needs to know whether an input address is an exchange's. Only
 * transactions that a vetoable CoinJoin rule flags ask, so only their inputs are looked up.
 */
async function rememberExchangeInputs(store: GraphStore, txs: readonly ResolvedTx[], exchanges: Set<string>, concurrency: number): Promise<void> {
  const ask = new Set<string>();
  for (const tx of txs) {
    if (detectCoinJoin(tx).fired.length === 0) continue;
    for (const input of tx.inputs) if (input.address !== null) ask.add(input.address);
  }
  const tags = await mapConcurrent([...ask], concurrency, async (address) => ({ address, tags: await store.tagsByAddress(address) }));
  for (const { address, tags: list } of tags) if (list.some((t) => t.category === 'exchange')) exchanges.add(address);
}

export function tagOfRecord(record: TagRecord): Tag {
  return {
    address: record.address,
    label: record.label,
    category: record.category,
    source: record.source,
    confidence: record.confidence,
    url: record.url ?? null,
    lastmod: record.lastmod ?? null,
    abuse: record.abuse ?? null,
    actor: record.actor ?? null,
    context: record.context ?? null,
  };
}

/**
 * Gives every entity with tagged members the label and category its tags agree on (core's
 * `liftTags`); entities whose tags conflict get none and are counted.
 */
export async function liftEntityLabels(
  store: GraphStore,
  tagged: IdPager,
  entityOf: (address: string) => string | undefined,
  onProgress?: (progress: ClusterProgress) => void,
): Promise<{ labelled: number; conflicts: number }> {
  const tags: Tag[] = [];
  let seen = 0;
  for await (const page of pages(tagged, 5000)) {
    const known = page.filter((address) => entityOf(address) !== undefined);
    const records = await mapConcurrent(known, 16, (address) => store.tagsByAddress(address));
    for (const list of records) for (const record of list) tags.push(tagOfRecord(record));
    seen += page.length;
    onProgress?.({ stage: 'labels', done: seen, total: null });
  }
  const lifted = liftTags(tags, entityOf);
  // Conflicting entities are written too: their label is cleared rather than left from an earlier run.
  const labels = lifted.entities.map((e) => ({ entityId: e.entityId, label: e.label, category: e.category }));
  for (let i = 0; i < labels.length; i += 5000) await store.writeEntityLabels(labels.slice(i, i + 5000));
  return { labelled: labels.filter((l) => l.label !== null || l.category !== null).length, conflicts: lifted.entities.filter((e) => e.conflicts.length > 0).length };
}

/** What a clustering run reads from the job journal: every transaction of the store, and its tagged addresses. */
export function journalClusterInputs(journal: { storeTxids: IdPager; taggedAddresses: IdPager }): Pick<ClusterRunOptions, 'txids' | 'taggedAddresses'> {
  return {
    txids: (after, limit) => journal.storeTxids(after, limit),
    taggedAddresses: (after, limit) => journal.taggedAddresses(after, limit),
  };
}
