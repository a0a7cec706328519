/**
 * The embedded SQLite GraphStore (better-sqlite3): zero setup, one file per store.
 *
 * Crash safety: every write method is one SQLite transaction in WAL mode. A process killed
 * mid-batch leaves an uncommitted WAL tail that SQLite discards on the next open, so the
 * store is as it was before the batch. `synchronous = NORMAL` keeps that atomicity (only
 * the durability of the very last commits on power loss is traded for load speed).
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ChaintrailError } from '@chaintrail/core';
import type {
  AddressOutputRecord,
  AddressOutputsQuery,
  AddressSummary,
  AddressTxEntry,
  Annotation,
  AnnotationCreate,
  AnnotationUpdate,
  BlockHeaderRecord,
  CaseCreate,
  CaseRecord,
  ClusterExplanation,
  ClusteringWrite,
  EntityFlow,
  EntityLabelWrite,
  EntityRecord,
  GraphPath,
  GraphStore,
  HistoryQuery,
  JobCheckpoint,
  JobCheckpointWrite,
  NeighbourQuery,
  NeighbourResult,
  NodeRef,
  Page,
  PageQuery,
  PathQuery,
  SavedView,
  SavedViewWrite,
  SearchQuery,
  SearchResult,
  SeedRecord,
  StoreInfo,
  StoreStats,
  StoredTx,
  TagRecord,
  TxWrite,
  WriteResult,
} from '../graph-store.js';
import { BadQueryError, NotAStoreError, NotFoundError, StoreClosedError, StoreLoadInterruptedError, StoreUnreachableError } from '../errors.js';
import type { OpenStoreOptions } from '../open-store.js';
import { bidirectionalShortestPath } from '../path-search.js';
import { checkBlockHeader } from '../record-checks.js';
import { checkAddress, checkDirection, checkLimit, checkMaxHops, checkNode, maxPageLimit, normaliseTxid } from '../query-validation.js';
import { AddressPaths } from './address-paths.js';
import { CaseRecords } from './case-records.js';
import { ChainReads } from './chain-reads.js';
import { ChunkedValues } from './chunked-statements.js';
import { DeferredIndexes } from './deferred-indexes.js';
import { EntityRecords } from './entity-records.js';
import { GraphQueries } from './graph-queries.js';
import { prepareSchema } from './schema-migrations.js';
import { sqliteMigrations } from './schema.js';
import { scriptTypeOf } from './script-type-codes.js';
import { TagRecords } from './tag-records.js';
import { TxBatchWriter } from './tx-batch-writer.js';
import { ioShift, txKey } from './tx-key.js';

const defaultMaxVisited = 200_000;

/** Opens (creating if needed) the SQLite store at `path`; `:memory:` gives a throwaway one. */
export function openSqliteStore(path: string, options: OpenStoreOptions = {}): Promise<GraphStore> {
  const location = path === ':memory:' ? path : resolve(path);
  let db: Database.Database;
  try {
    db = new Database(location, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    return Promise.reject(new StoreUnreachableError(location, error instanceof Error ? error.message : String(error), { cause: error }));
  }
  try {
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // A large page cache and checkpoints every 64 MiB of WAL: bulk loads touch index pages
    // all over the file, and each page copied less often is load time saved.
    const cacheMiB = options.sqlite?.cacheMiB ?? 128;
    if (!Number.isInteger(cacheMiB) || cacheMiB < 1) throw new BadQueryError('SQLite cache size', `cacheMiB must be a positive integer, got ${cacheMiB}`);
    db.pragma(`cache_size = ${-cacheMiB * 1024}`);
    db.pragma('wal_autocheckpoint = 16384');
    db.pragma('temp_store = MEMORY');
    const version = prepareSchema(db, sqliteMigrations, location, { migrate: options.migrate ?? true, readonly: options.readonly ?? false });
    const deferred = new DeferredIndexes(db);
    const missing = deferred.missing();
    if (missing.length > 0) {
      if (options.readonly) throw new StoreLoadInterruptedError(location, missing);
      deferred.build();
    }
    return Promise.resolve(new SqliteGraphStore(db, location, version, deferred));
  } catch (error) {
    db.close();
    if (isSqliteError(error) && error.code === 'SQLITE_NOTADB') return Promise.reject(new NotAStoreError(location, 'not an SQLite database'));
    return Promise.reject(storeError(location, error));
  }
}

/** Typed errors pass through; SQLite's I/O and locking failures become StoreUnreachableError. */
function storeError(location: string, error: unknown): Error {
  if (error instanceof ChaintrailError) return error;
  if (isSqliteError(error) && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|CORRUPT|NOTADB)/.test(error.code)) {
    return new StoreUnreachableError(location, `${error.code}: ${error.message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function isSqliteError(error: unknown): error is Error & { code: string } {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

class SqliteGraphStore implements GraphStore {
  private closed = false;
  /** Between the first batch into an empty store and the first call that needs the deferred indexes (./deferred-indexes.ts). */
  private bulkLoading = false;
  private readonly writer: TxBatchWriter;
  private readonly chain: ChainReads;
  private readonly graph: GraphQueries;
  private readonly entities: EntityRecords;
  private readonly tags: TagRecords;
  private readonly cases: CaseRecords;
  private readonly insertHeaders: ChunkedValues;
  private readonly counts: Database.Statement;
  private readonly txRowId: Database.Statement;
  private readonly addressScriptType: Database.Statement;
  private readonly addressPaths: AddressPaths;

  constructor(
    private readonly db: Database.Database,
    private readonly location: string,
    private readonly schemaVersion: number,
    private readonly deferred: DeferredIndexes,
  ) {
    this.writer = new TxBatchWriter(db);
    this.chain = new ChainReads(db);
    this.graph = new GraphQueries(db);
    this.entities = new EntityRecords(db);
    this.tags = new TagRecords(db);
    this.cases = new CaseRecords(db);
    this.insertHeaders = new ChunkedValues(
      db,
      'INSERT INTO block_headers (hash, height, version, prev_hash, merkle_root, time, bits, nonce)',
      8,
      'ON CONFLICT (hash) DO UPDATE SET height = excluded.height',
    );
    this.counts = db.prepare(`SELECT
      (SELECT count(*) FROM txs) AS transactions, (SELECT count(*) FROM outputs) AS outputs,
      (SELECT count(*) FROM addresses) AS addresses,
      (SELECT count(*) FROM (SELECT DISTINCT entity_id FROM addresses WHERE entity_id IS NOT NULL UNION SELECT id FROM entities)) AS entities,
      (SELECT count(*) FROM cluster_links) AS clusterLinks, (SELECT count(*) FROM tags) AS tags,
      (SELECT count(*) FROM block_headers) AS blockHeaders, (SELECT count(*) FROM cases) AS cases`);
    this.addressPaths = new AddressPaths(db);
    this.txRowId = db.prepare('SELECT id FROM txs WHERE txkey = ? AND txid = ?').pluck();
    this.addressScriptType = db.prepare(
      `SELECT o.script_type FROM outputs o JOIN txs x ON x.id = o.id >> ${ioShift} WHERE o.address_id = ?
       ORDER BY coalesce(x.height, 999999999), coalesce(x.position, 0), x.txid, o.id LIMIT 1`,
    ).pluck();
  }

  info(): StoreInfo {
    return { kind: 'sqlite', location: this.location, schemaVersion: this.schemaVersion };
  }

  stats(): Promise<StoreStats> {
    return this.read(() => this.counts.get() as StoreStats);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      try {
        if (this.bulkLoading) this.deferred.build();
      } catch {
        // Left for the next open, which builds the indexes before anything reads the store.
      } finally {
        this.db.close();
      }
    }
    return Promise.resolve();
  }

  writeTransactions(batch: readonly TxWrite[]): Promise<WriteResult> {
    let entering = false;
    return this.write(
      () => {
        if (this.bulkLoading && !this.writer.bulkLoadCanContinue()) this.finishBulkLoad();
        entering = !this.bulkLoading && batch.length > 0 && this.writer.startBulkLoad();
        if (entering) this.deferred.drop();
        return { transactions: this.writer.write(batch) };
      },
      { duringBulkLoad: true },
    ).then(
      (result) => {
        this.writer.committed();
        if (entering) this.bulkLoading = true;
        return result;
      },
      (error: unknown) => {
        this.writer.rolledBack();
        if (entering) this.writer.endBulkLoad();
        // A rollback may also have undone an index build made inside the batch's transaction.
        if (!this.closed) this.bulkLoading = this.deferred.missing().length > 0;
        throw error;
      },
    );
  }

  writeBlockHeaders(headers: readonly BlockHeaderRecord[]): Promise<void> {
    return this.write(
      () =>
      this.insertHeaders.run(
        headers.flatMap((header) => {
          const h = checkBlockHeader(header);
          return [Buffer.from(h.hash, 'hex'), h.height, h.version, Buffer.from(h.prevHash, 'hex'), Buffer.from(h.merkleRoot, 'hex'), h.time, h.bits, h.nonce];
        }),
      ),
      { duringBulkLoad: true },
    );
  }

  hasTransactions(txids: readonly string[]): Promise<string[]> {
    return this.read(() => this.chain.hasTransactions(txids));
  }

  getTransaction(txid: string): Promise<StoredTx> {
    return this.read(() => this.chain.getTransaction(txid));
  }

  addressSummary(address: string): Promise<AddressSummary> {
    return this.read(() => {
      const row = this.chain.address(checkAddress(address));
      const totals = this.chain.memberTotals('address', row.id);
      const scriptType = this.addressScriptType.get(row.id) as number | undefined;
      return {
        address,
        scriptType: scriptType === undefined ? null : scriptTypeOf(scriptType),
        entityId: row.entity_id,
        firstSeen: totals.firstSeen,
        lastSeen: totals.lastSeen,
        received: totals.received,
        sent: totals.sent,
        balance: totals.received - totals.sent,
        txCount: totals.txCount,
        outputCount: totals.outputCount,
        unspentCount: totals.unspentCount,
      };
    });
  }

  addressHistory(address: string, query: HistoryQuery): Promise<Page<AddressTxEntry>> {
    return this.read(() => this.chain.addressHistory(checkAddress(address), query));
  }

  addressOutputs(address: string, query: AddressOutputsQuery): Promise<Page<AddressOutputRecord>> {
    return this.read(() => this.chain.addressOutputs(checkAddress(address), query));
  }

  missingParents(query: PageQuery): Promise<Page<string>> {
    return this.read(() => this.chain.missingParents(query));
  }

  blockHeader(hashOrHeight: string | number): Promise<BlockHeaderRecord> {
    return this.read(() => this.chain.blockHeader(hashOrHeight));
  }

  chainTip(): Promise<BlockHeaderRecord | null> {
    return this.read(() => this.chain.chainTip());
  }

  neighbours(node: NodeRef, query: NeighbourQuery): Promise<NeighbourResult> {
    return this.read(() => {
      const subject = checkNode(node);
      checkDirection(query.direction);
      const limit = checkLimit('neighbour query', query.limit, maxPageLimit);
      if (query.minValue !== undefined && typeof query.minValue !== 'bigint') throw new BadQueryError('neighbour query', 'minValue must be a bigint');
      return this.graph.neighbours(subject, this.memberOf(subject), query, limit);
    });
  }

  shortestPath(from: NodeRef, to: NodeRef, query: PathQuery): Promise<GraphPath | null> {
    return this.read(() => {
      const start = checkNode(from);
      const end = checkNode(to);
      if (start.kind !== end.kind || start.kind === 'tx') throw new BadQueryError('path query', 'both ends must be addresses, or both entities');
      const options = {
        maxHops: checkMaxHops(query.maxHops),
        direction: checkDirection(query.direction),
        maxVisited: query.maxVisited ?? defaultMaxVisited,
      };
      this.memberOf(start);
      this.memberOf(end);
      const minValue = query.minValue ?? 0n;
      if (start.kind === 'address') return this.addressPaths.shortestPath(start.id, end.id, options, minValue);
      const addressIds = new Map<string, number>();
      const addressId = (address: string): number => {
        let id = addressIds.get(address);
        if (id === undefined) addressIds.set(address, (id = this.chain.address(address).id));
        return id;
      };
      return bidirectionalShortestPath(start, end, options, (node, direction) => {
        const directions: ('in' | 'out')[] = direction === 'both' ? ['in', 'out'] : [direction];
        return Promise.resolve(
          directions.flatMap((d) =>
            node.kind === 'entity' ? this.graph.entityHops('entity', node.id, d, minValue) : this.graph.entityHops('address', addressId(node.id), d, minValue),
          ),
        );
      });
    });
  }

  writeClustering(clustering: ClusteringWrite): Promise<void> {
    return this.write(() => this.entities.writeClustering(clustering));
  }

  writeEntityLabels(labels: readonly EntityLabelWrite[]): Promise<void> {
    return this.write(() => this.entities.writeLabels(labels));
  }

  getEntity(entityId: string): Promise<EntityRecord> {
    return this.read(() => {
      const entity = this.requireEntity(entityId);
      const totals = this.chain.memberTotals('entity', entityId);
      return {
        id: entityId,
        size: entity.size,
        label: entity.label,
        category: entity.category,
        received: totals.received,
        sent: totals.sent,
        firstSeen: totals.firstSeen,
        lastSeen: totals.lastSeen,
      };
    });
  }

  entityMembers(entityId: string, query: PageQuery): Promise<Page<string>> {
    return this.read(() => {
      this.requireEntity(entityId);
      return this.entities.members(entityId, query);
    });
  }

  entityFlow(from: string, to: string, options?: { readonly txLimit?: number }): Promise<EntityFlow> {
    return this.read(() => {
      this.requireEntity(from);
      this.requireEntity(to);
      const txLimit = options?.txLimit ?? 100;
      if (!Number.isInteger(txLimit) || txLimit < 0 || txLimit > maxPageLimit) throw new BadQueryError('entity flow', `txLimit must be an integer from 0 to ${maxPageLimit}`);
      return this.graph.entityFlow(from, to, txLimit);
    });
  }

  explainCluster(a: string, b: string): Promise<ClusterExplanation | null> {
    return this.read(() => {
      const first = this.chain.address(checkAddress(a));
      const second = this.chain.address(checkAddress(b));
      if (first.entity_id === null || first.entity_id !== second.entity_id) return null;
      return this.entities.explain(first.entity_id, { id: first.id, address: a }, { id: second.id, address: b });
    });
  }

  writeTags(tags: readonly TagRecord[]): Promise<void> {
    return this.write(() => this.tags.write(tags));
  }

  tagsByAddress(address: string): Promise<TagRecord[]> {
    return this.read(() => this.tags.ofAddress(address));
  }

  tagsByEntity(entityId: string): Promise<TagRecord[]> {
    return this.read(() => {
      this.requireEntity(entityId);
      return this.tags.ofEntity(entityId);
    });
  }

  search(query: SearchQuery): Promise<SearchResult[]> {
    return this.read(() => this.tags.search(query, (entityId) => this.entities.entity(entityId)?.label ?? null));
  }

  createCase(create: CaseCreate): Promise<CaseRecord> {
    return this.write(() => this.cases.createCase(create));
  }

  getCase(caseId: string): Promise<CaseRecord> {
    return this.read(() => this.cases.getCase(caseId));
  }

  listCases(): Promise<CaseRecord[]> {
    return this.read(() => this.cases.listCases());
  }

  addSeeds(caseId: string, seeds: readonly SeedRecord[]): Promise<void> {
    return this.write(() => this.cases.addSeeds(caseId, seeds));
  }

  caseSeeds(caseId: string, query: PageQuery): Promise<Page<SeedRecord>> {
    return this.read(() => this.cases.seeds(caseId, query));
  }

  addAnnotation(caseId: string, create: AnnotationCreate): Promise<Annotation> {
    return this.write(() => this.cases.addAnnotation(caseId, create));
  }

  updateAnnotation(annotationId: string, update: string | AnnotationUpdate): Promise<Annotation> {
    return this.write(() => this.cases.updateAnnotation(annotationId, update));
  }

  getAnnotation(caseId: string, annotationId: string): Promise<Annotation> {
    return this.read(() => this.cases.getAnnotation(caseId, annotationId));
  }

  deleteAnnotation(annotationId: string): Promise<void> {
    return this.write(() => this.cases.deleteAnnotation(annotationId));
  }

  listAnnotations(caseId: string, target?: NodeRef): Promise<Annotation[]> {
    return this.read(() => this.cases.listAnnotations(caseId, target));
  }

  saveView(caseId: string, view: SavedViewWrite): Promise<SavedView> {
    return this.write(() => this.cases.saveView(caseId, view));
  }

  getView(viewId: string): Promise<SavedView> {
    return this.read(() => this.cases.getView(viewId));
  }

  listViews(caseId: string): Promise<SavedView[]> {
    return this.read(() => this.cases.listViews(caseId));
  }

  deleteView(viewId: string): Promise<void> {
    return this.write(() => this.cases.deleteView(viewId));
  }

  getCheckpoint(jobId: string): Promise<JobCheckpoint | null> {
    return this.read(() => this.cases.getCheckpoint(jobId));
  }

  setCheckpoint(checkpoint: JobCheckpointWrite): Promise<JobCheckpoint> {
    return this.write(() => this.cases.setCheckpoint(checkpoint));
  }

  listCheckpoints(caseId?: string): Promise<JobCheckpoint[]> {
    return this.read(() => this.cases.listCheckpoints(caseId));
  }

  /** The row id of an address or tx, or the entity id; NotFoundError when absent. */
  private memberOf(node: NodeRef): number | string {
    if (node.kind === 'address') return this.chain.address(node.id).id;
    if (node.kind === 'tx') {
      const txid = normaliseTxid(node.id);
      const id = this.txRowId.get(txKey(txid), Buffer.from(txid, 'hex')) as number | undefined;
      if (id === undefined) throw new NotFoundError('transaction', node.id);
      return id;
    }
    this.requireEntity(node.id);
    return node.id;
  }

  private requireEntity(entityId: string): { size: number; label: string | null; category: string | null } {
    const entity = typeof entityId === 'string' && entityId.length > 0 ? this.entities.entity(entityId) : null;
    if (!entity) throw new NotFoundError('entity', String(entityId), 'Run clustering first, or check the entity id.');
    return entity;
  }

  /** Runs `run`, after finishing a bulk load unless it is one of the writes that may go on during one. */
  private read<T>(run: () => T | Promise<T>, options: { duringBulkLoad?: boolean } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError(this.location));
    try {
      if (this.bulkLoading && !options.duringBulkLoad) this.finishBulkLoad();
      return Promise.resolve(run()).catch((error: unknown) => Promise.reject(this.normalise(error)));
    } catch (error) {
      return Promise.reject(this.normalise(error));
    }
  }

  /** One SQLite transaction: the whole write or nothing. */
  private write<T>(run: () => T, options: { duringBulkLoad?: boolean } = {}): Promise<T> {
    return this.read(() => this.db.transaction(run).immediate(), options);
  }

  private finishBulkLoad(): void {
    this.deferred.build();
    this.bulkLoading = false;
    this.writer.endBulkLoad();
  }

  private normalise(error: unknown): Error {
    return storeError(this.location, error);
  }
}
