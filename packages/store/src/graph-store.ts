/**
 * The GraphStore: one interface over the embedded SQLite store and Neo4j, both holding the
 * model of ../shared/DESIGN.md ("Model") at UTXO level, and both held to one contract suite
 * (test/store/contract.ts).
 *
 * Everything crossing this interface is plain data (no classes, no driver types), so the
 * API can serialise it and the contract suite can compare stores. Amounts are satoshis:
 * `number` for one output's value, `bigint` for every sum.
 *
 * Write order is free: a child transaction may be stored before its parent. An input whose
 * spent output is not stored yet is *unresolved* (no address, no value); it resolves by
 * itself once the parent is written. Address first/last seen and received/sent totals are
 * correct whatever order the writes came in.
 */
import type { BlockHeader, ScriptType, Tag, Transaction, TxPlacement } from '@chaintrail/core';

// ---------------------------------------------------------------------------------------
// Shared shapes

/** A node of the investigation graph: an address, a transaction or an entity (cluster). */
export type NodeKind = 'address' | 'tx' | 'entity';

export interface NodeRef {
  readonly kind: NodeKind;
  /** Address string, txid (64 lowercase hex) or entity id. */
  readonly id: string;
}

/** Which way money moves relative to the node asked about. */
export type FlowDirection = 'in' | 'out' | 'both';

/** Where on the chain something happened; null fields when unconfirmed. */
export interface ChainPoint {
  readonly txid: string;
  readonly height: number | null;
  /** Unix seconds (block time). */
  readonly time: number | null;
}

/** A cursor-paged request. Cursors are opaque strings handed back by the store. */
export interface PageQuery {
  /** 1 to 10,000. */
  readonly limit: number;
  readonly cursor?: string | null;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; null when this page is the last. */
  readonly nextCursor: string | null;
}

/** JSON-compatible data (saved view state, job checkpoint state). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------
// Chain data: writes

/** One transaction to store, as parsed by core, with its raw serialization. */
export interface TxWrite {
  readonly tx: Transaction;
  /** The raw transaction, hex (with witness when it has one); kept as proof. */
  readonly raw: string;
  /** Block placement when confirmed. A later write with a placement confirms a stored tx. */
  readonly placement?: TxPlacement;
}

/** A block header with its height, which the store requires. */
export interface BlockHeaderRecord extends BlockHeader {
  readonly height: number;
}

export interface WriteResult {
  /** Transactions newly stored by this batch (already stored ones are not counted). */
  readonly transactions: number;
}

// ---------------------------------------------------------------------------------------
// Chain data: reads

/** An output with the input that spends it, if that spender is stored. */
export interface OutputRecord {
  readonly txid: string;
  readonly vout: number;
  /** Satoshis. */
  readonly value: number;
  readonly scriptType: ScriptType;
  readonly scriptPubKey: string;
  /** See core's TxOutput.address: null only for OP_RETURN. */
  readonly address: string | null;
  /** The stored transaction input spending this output, or null (unspent, or spender unknown). */
  readonly spentBy: { readonly txid: string; readonly vin: number } | null;
}

/** An address's output with where it was created, for per-address FIFO and UTXO listings. */
export interface AddressOutputRecord extends OutputRecord {
  readonly height: number | null;
  readonly time: number | null;
  /** Position of the creating tx in its block (null when unconfirmed). */
  readonly position: number | null;
}

/** An input, resolved through the output it spends when that output is stored. */
export interface InputRecord {
  readonly vin: number;
  readonly prevout: { readonly txid: string; readonly vout: number };
  readonly sequence: number;
  readonly coinbase: boolean;
  /** True when the spent output is stored; address/value/scriptType are then filled. */
  readonly resolved: boolean;
  readonly address: string | null;
  readonly value: number | null;
  readonly scriptType: ScriptType | null;
}

export interface StoredTx {
  readonly txid: string;
  readonly wtxid: string;
  readonly version: number;
  readonly locktime: number;
  readonly isCoinbase: boolean;
  readonly hasWitness: boolean;
  readonly size: number;
  readonly weight: number;
  readonly vsize: number;
  readonly placement: TxPlacement | null;
  /** Raw hex exactly as written. */
  readonly raw: string;
  readonly inputs: InputRecord[];
  readonly outputs: OutputRecord[];
  /** Inputs minus outputs; null for a coinbase or while any input is unresolved. */
  readonly fee: bigint | null;
  /** Name of the CoinJoin rule that flagged it (METHODS.md), or null. Set by writeClustering. */
  readonly coinjoin: string | null;
}

export interface AddressSummary {
  readonly address: string;
  /**
   * Script type of its earliest output in chain order (P2PK and P2PKH outputs of one key
   * share an address); null when the address is known only from clustering.
   */
  readonly scriptType: ScriptType | null;
  readonly entityId: string | null;
  /** Earliest / latest confirmed transaction that paid or spent from it; null if none confirmed. */
  readonly firstSeen: ChainPoint | null;
  readonly lastSeen: ChainPoint | null;
  /** Sum of all stored outputs paying it. */
  readonly received: bigint;
  /** Sum of those outputs whose spender is stored. */
  readonly sent: bigint;
  /** received - sent (as far as the store knows). */
  readonly balance: bigint;
  /** Distinct stored transactions paying or spending from it. */
  readonly txCount: number;
  readonly outputCount: number;
  readonly unspentCount: number;
}

/** One transaction in an address's history, with what it did to that address. */
export interface AddressTxEntry {
  readonly txid: string;
  readonly height: number | null;
  readonly time: number | null;
  readonly position: number | null;
  /** Sum of this tx's outputs paying the address. */
  readonly received: bigint;
  /** Sum of this tx's resolved inputs spending from the address. */
  readonly sent: bigint;
}

export interface HistoryQuery extends PageQuery {
  /** Chain order (height, position); unconfirmed last in 'asc'. Default 'asc'. */
  readonly order?: 'asc' | 'desc';
}

export interface AddressOutputsQuery extends PageQuery {
  readonly unspentOnly?: boolean;
}

// ---------------------------------------------------------------------------------------
// Graph queries

/**
 * Neighbour expansion. The graph is bipartite at address level (address ↔ tx) and
 * entity-to-entity at entity level:
 * - address: 'in' = txs paying it (value: their outputs to it); 'out' = txs spending from it
 *   (value: its resolved inputs in them).
 * - tx: 'in' = input addresses (value: summed resolved inputs); 'out' = output addresses
 *   (value: summed outputs). Unresolved inputs and OP_RETURN outputs have no neighbour.
 * - entity: 'out' = for every tx with an input of the entity, the outputs paying other
 *   entities (grouped per entity) or unclustered addresses (kind 'address');
 *   'in' = the reverse: outputs paying the entity in txs with an input of the counterparty.
 *   A tx with inputs of several entities counts its outputs for each of them.
 */
export interface NeighbourQuery {
  readonly direction: FlowDirection;
  /** Keep edges whose value is at least this (satoshis). */
  readonly minValue?: bigint;
  /**
   * Unix seconds, inclusive: only transactions confirmed within the window carry edges
   * (unconfirmed ones are left out once either bound is set).
   */
  readonly fromTime?: number;
  readonly toTime?: number;
  /** 1 to 10,000. */
  readonly limit: number;
  /** 'time' (first carrying tx, unconfirmed last; default) or 'value' (largest first). Ties by node id. */
  readonly order?: 'time' | 'value';
}

export interface Neighbour {
  readonly node: NodeRef;
  /** 'in': money came from this neighbour; 'out': money went to it. */
  readonly direction: 'in' | 'out';
  readonly value: bigint;
  /** Transactions carrying the edge (1 between an address and a tx). */
  readonly txCount: number;
  /** Earliest and latest confirmed block time among those transactions. */
  readonly firstTime: number | null;
  readonly lastTime: number | null;
}

export interface NeighbourResult {
  readonly subject: NodeRef;
  readonly neighbours: Neighbour[];
  /** True when more neighbours matched than `limit`. */
  readonly truncated: boolean;
}

/**
 * Shortest path search. A hop is one transaction between two addresses (address → tx →
 * address), or one flow edge between entities (with unclustered addresses as their own
 * nodes, as in NeighbourQuery). 'out' follows money forward from `from` to `to`, 'in'
 * backward, 'both' ignores direction.
 */
export interface PathQuery {
  /** 1 to 12. */
  readonly maxHops: number;
  readonly direction: FlowDirection;
  /** Hops carrying less than this (satoshis) are not followed. */
  readonly minValue?: bigint;
  /**
   * Give up with SearchLimitError after visiting this many nodes (default 200,000), rather
   * than answer "no path" for a search that was cut short.
   */
  readonly maxVisited?: number;
}

export interface PathHop {
  /** Consecutive nodes of GraphPath.nodes, in path order. */
  readonly from: NodeRef;
  readonly to: NodeRef;
  /** 'out': the money moved from `from` to `to`; 'in': from `to` to `from`. */
  readonly direction: 'in' | 'out';
  /** The transaction carrying an address hop; absent on entity hops. */
  readonly txid?: string;
  /**
   * Satoshis moved: on an address hop, the carrying tx's outputs paying the receiving
   * address; on an entity hop, the flow total as in NeighbourQuery.
   */
  readonly value: bigint;
}

export interface GraphPath {
  /** from, intermediate nodes, to (addresses or entities; txs appear in hops). */
  readonly nodes: NodeRef[];
  readonly hops: PathHop[];
}

// ---------------------------------------------------------------------------------------
// Clustering and entities

/** Why two addresses are one entity: the heuristic and the transaction that shows it. */
export interface ClusterLinkRecord {
  readonly a: string;
  readonly b: string;
  /** 'cioh', 'change:one-time', ... (METHODS.md names). */
  readonly heuristic: string;
  /** 0 to 100. */
  readonly confidence: number;
  readonly txid: string;
}

export interface ClusteringWrite {
  /** address → entity id. */
  readonly assignments: ReadonlyArray<{ readonly address: string; readonly entityId: string }>;
  /** Idempotent by (a, b, heuristic, txid). */
  readonly links: readonly ClusterLinkRecord[];
  /** Transactions judged CoinJoin-like, with the rule name. */
  readonly coinjoins?: ReadonlyArray<{ readonly txid: string; readonly rule: string }>;
  /**
   * 'merge' (default) upserts; 'replace' first drops every assignment, link and CoinJoin
   * verdict, in the same atomic write (a fresh clustering run).
   */
  readonly mode?: 'merge' | 'replace';
}

/** Label and category of an entity, lifted from its tags by ingest. */
export interface EntityLabelWrite {
  readonly entityId: string;
  readonly label: string | null;
  readonly category: string | null;
}

export interface EntityRecord {
  readonly id: string;
  /** Member addresses. */
  readonly size: number;
  readonly label: string | null;
  readonly category: string | null;
  /** Sums of the members' AddressSummary totals. */
  readonly received: bigint;
  readonly sent: bigint;
  readonly firstSeen: ChainPoint | null;
  readonly lastSeen: ChainPoint | null;
}

/** Flow from one entity to another (entity semantics of NeighbourQuery). */
export interface EntityFlow {
  readonly from: string;
  readonly to: string;
  readonly value: bigint;
  readonly txCount: number;
  /** The carrying transactions, chain order, at most `txLimit` of them. */
  readonly txids: string[];
}

/** The chain of links joining two addresses inside one entity's spanning forest. */
export interface ClusterExplanation {
  readonly entityId: string;
  /** Ordered from `a` to `b`; each link shares an address with the next. */
  readonly links: ClusterLinkRecord[];
}

// ---------------------------------------------------------------------------------------
// Attribution

/**
 * A tag as stored: core's Tag (label, category, source, confidence, url, lastmod, abuse,
 * actor, context on an address) without its import-time details.
 */
export type TagRecord = Pick<Tag, 'address' | 'label' | 'category' | 'source' | 'confidence' | 'url' | 'lastmod' | 'abuse' | 'actor' | 'context'>;

export type SearchResult =
  | { readonly kind: 'address'; readonly address: string }
  | { readonly kind: 'tx'; readonly txid: string }
  | { readonly kind: 'tag'; readonly address: string; readonly label: string; readonly category: string | null; readonly source: string }
  | { readonly kind: 'entity'; readonly entityId: string; readonly label: string | null };

export interface SearchQuery {
  /**
   * Matched as an address prefix, a txid prefix (hex digits), an entity id prefix, and a
   * substring of tag and entity labels (ASCII case-insensitive). Results: addresses, then
   * txs, entities, tags; each group sorted.
   */
  readonly text: string;
  /** 1 to 1,000. */
  readonly limit: number;
}

// ---------------------------------------------------------------------------------------
// Cases

export interface CaseRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  /** ISO timestamp. */
  readonly createdAt: string;
  readonly seedCount: number;
}

export interface CaseCreate {
  /** Chosen by the store (UUID) when absent. */
  readonly id?: string;
  readonly name: string;
  readonly description?: string | null;
}

/** A seed address with the line of the seized file it came from. */
export interface SeedRecord {
  readonly address: string;
  /** 1-based line number. */
  readonly line: number;
  /** The seized file's name, when known. */
  readonly file?: string | null;
}

/** The named colour labels (the ones the viewer offers). */
export type AnnotationPaletteColour = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'purple' | 'grey';

/**
 * A colour label on an annotated node: a palette name, or `#rrggbb` (stored and returned
 * in lowercase). Anything else is refused with BadAnnotationColourError.
 */
export type AnnotationColour = AnnotationPaletteColour | `#${string}`;

export interface Annotation {
  readonly id: string;
  readonly caseId: string;
  readonly target: NodeRef;
  readonly text: string;
  /** Null when the annotation has no colour label (and for annotations stored before colours existed). */
  readonly colour: AnnotationColour | null;
  readonly author: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AnnotationCreate {
  readonly target: NodeRef;
  readonly text: string;
  readonly colour?: AnnotationColour | null;
  readonly author?: string | null;
}

/** What to change on an annotation; an absent field keeps its value, `colour: null` removes the label. */
export interface AnnotationUpdate {
  readonly text?: string;
  readonly colour?: AnnotationColour | null;
}

export interface SavedView {
  readonly id: string;
  readonly caseId: string;
  readonly name: string;
  /** Whatever the viewer needs to restore the view (nodes, positions, filters). */
  readonly state: JsonValue;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SavedViewWrite {
  /** Updates the view with this id when given; creates a new one otherwise. */
  readonly id?: string;
  readonly name: string;
  readonly state: JsonValue;
}

/** Where a resumable job stands. */
export interface JobCheckpoint {
  readonly jobId: string;
  readonly caseId: string | null;
  /** 'ingest', 'cluster', 'tags', ... */
  readonly kind: string;
  readonly state: JsonValue;
  /** ISO timestamp, set by the store. */
  readonly updatedAt: string;
}

export type JobCheckpointWrite = Omit<JobCheckpoint, 'updatedAt'>;

// ---------------------------------------------------------------------------------------
// The store

export interface StoreInfo {
  readonly kind: 'sqlite' | 'neo4j';
  /** File path or Bolt URL (never with credentials). */
  readonly location: string;
  readonly schemaVersion: number;
}

export interface StoreStats {
  readonly transactions: number;
  readonly outputs: number;
  readonly addresses: number;
  readonly entities: number;
  readonly clusterLinks: number;
  readonly tags: number;
  readonly blockHeaders: number;
  readonly cases: number;
}

/**
 * Every method rejects with a ChaintrailError subclass from ./errors.ts: a malformed txid
 * with BadTxidError, an unknown address/tx/entity/case with NotFoundError, bad limits with
 * BadQueryError, a lost server with StoreUnreachableError, use after close with
 * StoreClosedError.
 */
export interface GraphStore {
  info(): StoreInfo;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;

  // --- chain data writes: batched, idempotent, atomic per call
  writeTransactions(batch: readonly TxWrite[]): Promise<WriteResult>;
  writeBlockHeaders(headers: readonly BlockHeaderRecord[]): Promise<void>;

  // --- chain data reads
  /** Of the given txids, those stored (in the given order). */
  hasTransactions(txids: readonly string[]): Promise<string[]>;
  getTransaction(txid: string): Promise<StoredTx>;
  addressSummary(address: string): Promise<AddressSummary>;
  addressHistory(address: string, query: HistoryQuery): Promise<Page<AddressTxEntry>>;
  /** Outputs paying the address in chain order (height, position, vout). */
  addressOutputs(address: string, query: AddressOutputsQuery): Promise<Page<AddressOutputRecord>>;
  /** Txids referenced by stored inputs but not stored themselves (for backward hops), sorted. */
  missingParents(query: PageQuery): Promise<Page<string>>;
  blockHeader(hashOrHeight: string | number): Promise<BlockHeaderRecord>;
  /**
   * The best stored block header, or null when the store holds none. A stored header
   * *links* when the header its prevHash names is stored at height - 1; the lowest stored
   * header(s) link too (the base of what the store holds: genesis, or the first block of an
   * ingested range). The best header is the linking one of greatest height; of several at
   * that height (a fork), the one with the smallest hash. A header stored without its
   * parent above the base (a gap, or a wrong height) is never the tip, so a stray header
   * cannot pose as the chain's end.
   */
  chainTip(): Promise<BlockHeaderRecord | null>;

  // --- graph
  neighbours(node: NodeRef, query: NeighbourQuery): Promise<NeighbourResult>;
  /** Shortest path (fewest hops) from `from` to `to`, both addresses or both entities; null when none within maxHops. */
  shortestPath(from: NodeRef, to: NodeRef, query: PathQuery): Promise<GraphPath | null>;

  // --- clustering and entities
  writeClustering(clustering: ClusteringWrite): Promise<void>;
  writeEntityLabels(labels: readonly EntityLabelWrite[]): Promise<void>;
  getEntity(entityId: string): Promise<EntityRecord>;
  /** Member addresses, sorted. */
  entityMembers(entityId: string, query: PageQuery): Promise<Page<string>>;
  /** Flow from one entity to another; value 0 and no txids when none. */
  entityFlow(from: string, to: string, options?: { readonly txLimit?: number }): Promise<EntityFlow>;
  /** The links joining a and b; null when they are not in one entity. */
  explainCluster(a: string, b: string): Promise<ClusterExplanation | null>;

  // --- tags and search
  /** Idempotent by (address, label, source): a rewrite updates the other fields. */
  writeTags(tags: readonly TagRecord[]): Promise<void>;
  /** Tags of an address, by source then label; empty (not an error) for an untagged address. */
  tagsByAddress(address: string): Promise<TagRecord[]>;
  /** Tags of the entity's member addresses. */
  tagsByEntity(entityId: string): Promise<TagRecord[]>;
  search(query: SearchQuery): Promise<SearchResult[]>;

  // --- cases
  createCase(create: CaseCreate): Promise<CaseRecord>;
  getCase(caseId: string): Promise<CaseRecord>;
  listCases(): Promise<CaseRecord[]>;
  /** Idempotent by (case, address): the first line an address was seen on is kept. */
  addSeeds(caseId: string, seeds: readonly SeedRecord[]): Promise<void>;
  /** Seeds in line order. */
  caseSeeds(caseId: string, query: PageQuery): Promise<Page<SeedRecord>>;
  addAnnotation(caseId: string, create: AnnotationCreate): Promise<Annotation>;
  /** A string replaces the text (as before); an AnnotationUpdate changes text, colour or both. */
  updateAnnotation(annotationId: string, update: string | AnnotationUpdate): Promise<Annotation>;
  /** One annotation of the case; NotFoundError when there is none with that id in that case. */
  getAnnotation(caseId: string, annotationId: string): Promise<Annotation>;
  deleteAnnotation(annotationId: string): Promise<void>;
  /** A case's annotations in creation order, optionally only those on one node. */
  listAnnotations(caseId: string, target?: NodeRef): Promise<Annotation[]>;
  saveView(caseId: string, view: SavedViewWrite): Promise<SavedView>;
  getView(viewId: string): Promise<SavedView>;
  listViews(caseId: string): Promise<SavedView[]>;
  deleteView(viewId: string): Promise<void>;

  // --- job checkpoints
  getCheckpoint(jobId: string): Promise<JobCheckpoint | null>;
  setCheckpoint(checkpoint: JobCheckpointWrite): Promise<JobCheckpoint>;
  listCheckpoints(caseId?: string): Promise<JobCheckpoint[]>;
}
