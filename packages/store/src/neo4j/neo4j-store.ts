/**
 * The Neo4j GraphStore: the same model and contract as the SQLite store, held by a Neo4j 5
 * server reached over Bolt (the local test server of test/neo4j/, the docker-compose one, or
 * a production server). Schema: ./neo4j-schema.ts.
 *
 * Crash safety: every write method is one Neo4j transaction. A writer that dies mid-batch
 * leaves an uncommitted transaction that the server rolls back when the connection drops,
 * so the store is as it was before the batch.
 */
import { randomUUID } from 'node:crypto';
import { Neo4jError } from 'neo4j-driver';
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
import { BadQueryError, NotFoundError, StoreClosedError } from '../errors.js';
import type { OpenStoreOptions } from '../open-store.js';
import { bidirectionalShortestPath } from '../path-search.js';
import { checkAddress, checkDirection, checkLimit, checkMaxHops, checkNode, maxPageLimit, normaliseTxid } from '../query-validation.js';
import { checkAnnotationColour } from '../annotation-colour.js';
import { checkAnnotationText, checkAnnotationUpdate, checkCaseCreate, checkJobId, checkViewName, toJson } from '../record-checks.js';
import * as cases from './case-records.js';
import * as chain from './chain-reads.js';
import * as entities from './entity-records.js';
import * as graph from './graph-queries.js';
import { Neo4jConnection, row, rows, type Tx } from './neo4j-connection.js';
import { neo4jMigrations, prepareNeo4jSchema } from './neo4j-schema.js';
import { num } from './neo4j-values.js';
import * as tags from './tag-records.js';
import { prepareBatch, writeBatch } from './tx-batch-writer.js';
import { prefetchingExpander } from './frontier-prefetch.js';

const defaultMaxVisited = 200_000;

const countsQuery = `
  CALL () { MATCH (n:Tx) RETURN count(n) AS transactions }
  CALL () { MATCH (n:Output) RETURN count(n) AS outputs }
  CALL () { MATCH (n:Address) RETURN count(n) AS addresses }
  CALL () { MATCH (n:Entity) RETURN count(n) AS entities }
  CALL () { MATCH ()-[r:LINKED]->() RETURN count(r) AS clusterLinks }
  CALL () { MATCH (n:Tag) RETURN count(n) AS tags }
  CALL () { MATCH (n:Block) RETURN count(n) AS blockHeaders }
  CALL () { MATCH (n:Case) RETURN count(n) AS cases }
  RETURN transactions, outputs, addresses, entities, clusterLinks, tags, blockHeaders, cases`;

/**
 * Opens the store at a Bolt URL (`bolt://127.0.0.1:7688` for the local test server),
 * creating its constraints and indexes on first use. An unreachable server is a
 * StoreUnreachableError that says how to start one.
 */
export async function openNeo4jStore(url: string, options: OpenStoreOptions = {}): Promise<GraphStore> {
  const readonly = options.readonly ?? false;
  const connection = Neo4jConnection.open(url, options.neo4j, readonly);
  try {
    await connection.verify();
    const version = await prepareNeo4jSchema(connection, neo4jMigrations, { migrate: options.migrate ?? true, readonly });
    return new Neo4jGraphStore(connection, version);
  } catch (error) {
    await connection.close();
    throw error;
  }
}

class Neo4jGraphStore implements GraphStore {
  constructor(
    private readonly connection: Neo4jConnection,
    private readonly schemaVersion: number,
  ) {}

  info(): StoreInfo {
    return { kind: 'neo4j', location: this.connection.location, schemaVersion: this.schemaVersion };
  }

  async stats(): Promise<StoreStats> {
    const counts = await this.connection.read((tx) => row<Record<keyof StoreStats, unknown>>(tx, countsQuery));
    return {
      transactions: num(counts.transactions),
      outputs: num(counts.outputs),
      addresses: num(counts.addresses),
      entities: num(counts.entities),
      clusterLinks: num(counts.clusterLinks),
      tags: num(counts.tags),
      blockHeaders: num(counts.blockHeaders),
      cases: num(counts.cases),
    };
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  async writeTransactions(batch: readonly TxWrite[]): Promise<WriteResult> {
    const prepared = await this.checked(() => prepareBatch(batch));
    return { transactions: await this.writeRacing(() => this.connection.write((tx) => writeBatch(tx, prepared))) };
  }

  async writeBlockHeaders(headers: readonly BlockHeaderRecord[]): Promise<void> {
    const rowsToWrite = await this.checked(() => chain.headerRows(headers));
    if (rowsToWrite.length === 0) return;
    await this.connection.write((tx) => tx.run(chain.writeHeadersQuery, { headers: rowsToWrite }));
  }

  hasTransactions(txids: readonly string[]): Promise<string[]> {
    return this.read((tx) => chain.hasTransactions(tx, txids));
  }

  getTransaction(txid: string): Promise<StoredTx> {
    return this.read((tx) => chain.getTransaction(tx, txid));
  }

  addressSummary(address: string): Promise<AddressSummary> {
    return this.read(async (tx) => {
      const { entityId } = await chain.requireAddress(tx, checkAddress(address));
      const totals = await chain.memberTotals(tx, 'address', address);
      return {
        address,
        scriptType: await chain.addressScriptType(tx, address),
        entityId,
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
    return this.read((tx) => chain.addressHistory(tx, checkAddress(address), query));
  }

  addressOutputs(address: string, query: AddressOutputsQuery): Promise<Page<AddressOutputRecord>> {
    return this.read((tx) => chain.addressOutputs(tx, checkAddress(address), query));
  }

  missingParents(query: PageQuery): Promise<Page<string>> {
    return this.read((tx) => chain.missingParents(tx, query));
  }

  blockHeader(hashOrHeight: string | number): Promise<BlockHeaderRecord> {
    return this.read((tx) => chain.blockHeader(tx, hashOrHeight));
  }

  chainTip(): Promise<BlockHeaderRecord | null> {
    return this.read((tx) => chain.chainTip(tx));
  }

  neighbours(node: NodeRef, query: NeighbourQuery): Promise<NeighbourResult> {
    return this.read(async (tx) => {
      const subject = checkNode(node);
      checkDirection(query.direction);
      const limit = checkLimit('neighbour query', query.limit, maxPageLimit);
      if (query.minValue !== undefined && typeof query.minValue !== 'bigint') throw new BadQueryError('neighbour query', 'minValue must be a bigint');
      const result = await graph.neighbours(tx, subject, query, limit);
      if (result !== null) return result;
      await this.requireNode(tx, subject);
      return { subject, neighbours: [], truncated: false };
    });
  }

  shortestPath(from: NodeRef, to: NodeRef, query: PathQuery): Promise<GraphPath | null> {
    return this.read(async (tx) => {
      const start = checkNode(from);
      const end = checkNode(to);
      if (start.kind !== end.kind || start.kind === 'tx') throw new BadQueryError('path query', 'both ends must be addresses, or both entities');
      const options = {
        maxHops: checkMaxHops(query.maxHops),
        direction: checkDirection(query.direction),
        maxVisited: query.maxVisited ?? defaultMaxVisited,
      };
      await this.requireNode(tx, start);
      await this.requireNode(tx, end);
      const minValue = query.minValue ?? 0n;
      const level = start.kind === 'address' ? 'address' : 'entity';
      return bidirectionalShortestPath(
        start,
        end,
        options,
        prefetchingExpander((nodes, direction) => graph.frontierHops(tx, level, nodes, direction, minValue)),
      );
    });
  }

  async writeClustering(clustering: ClusteringWrite): Promise<void> {
    const prepared = await this.checked(() => entities.prepareClustering(clustering));
    await this.connection.write((tx) => entities.writeClustering(tx, prepared));
  }

  async writeEntityLabels(labels: readonly EntityLabelWrite[]): Promise<void> {
    const prepared = await this.checked(() => entities.labelRows(labels));
    await this.connection.write((tx) => entities.writeLabels(tx, prepared));
  }

  getEntity(entityId: string): Promise<EntityRecord> {
    return this.read(async (tx) => {
      const entity = await this.requireEntity(tx, entityId);
      const totals = await chain.memberTotals(tx, 'entity', entityId);
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
    return this.read(async (tx) => {
      await this.requireEntity(tx, entityId);
      return entities.members(tx, entityId, query);
    });
  }

  entityFlow(from: string, to: string, options?: { readonly txLimit?: number }): Promise<EntityFlow> {
    return this.read(async (tx) => {
      await this.requireEntity(tx, from);
      await this.requireEntity(tx, to);
      const txLimit = options?.txLimit ?? 100;
      if (!Number.isInteger(txLimit) || txLimit < 0 || txLimit > maxPageLimit) throw new BadQueryError('entity flow', `txLimit must be an integer from 0 to ${maxPageLimit}`);
      return graph.entityFlow(tx, from, to, txLimit);
    });
  }

  explainCluster(a: string, b: string): Promise<ClusterExplanation | null> {
    return this.read(async (tx) => {
      const first = await chain.requireAddress(tx, checkAddress(a));
      const second = await chain.requireAddress(tx, checkAddress(b));
      if (first.entityId === null || first.entityId !== second.entityId) return null;
      return entities.explain(tx, first.entityId, a, b);
    });
  }

  async writeTags(records: readonly TagRecord[]): Promise<void> {
    const prepared = await this.checked(() => tags.tagRows(records));
    await this.connection.write((tx) => tags.writeTags(tx, prepared));
  }

  tagsByAddress(address: string): Promise<TagRecord[]> {
    return this.read((tx) => tags.tagsOfAddress(tx, address));
  }

  tagsByEntity(entityId: string): Promise<TagRecord[]> {
    return this.read(async (tx) => {
      await this.requireEntity(tx, entityId);
      return tags.tagsOfEntity(tx, entityId);
    });
  }

  search(query: SearchQuery): Promise<SearchResult[]> {
    return this.read((tx) => tags.search(tx, query));
  }

  async createCase(create: CaseCreate): Promise<CaseRecord> {
    const checked = await this.checked(() => {
      return { ...checkCaseCreate(create, randomUUID), createdAt: new Date().toISOString() };
    });
    return this.connection.write((tx) => cases.createCase(tx, checked));
  }

  getCase(caseId: string): Promise<CaseRecord> {
    return this.read((tx) => cases.getCase(tx, caseId));
  }

  listCases(): Promise<CaseRecord[]> {
    return this.read((tx) => cases.listCases(tx));
  }

  async addSeeds(caseId: string, seeds: readonly SeedRecord[]): Promise<void> {
    const prepared = await this.checked(() => cases.seedRows(seeds));
    await this.connection.write((tx) => cases.addSeeds(tx, caseId, prepared));
  }

  caseSeeds(caseId: string, query: PageQuery): Promise<Page<SeedRecord>> {
    return this.read((tx) => cases.seeds(tx, caseId, query));
  }

  async addAnnotation(caseId: string, create: AnnotationCreate): Promise<Annotation> {
    const annotation = await this.checked(() => {
      const target = checkNode(create.target);
      const text = checkAnnotationText(create.text);
      const colour = checkAnnotationColour(create.colour);
      return { id: randomUUID(), caseId, target, text, colour, author: create.author ?? null, now: new Date().toISOString() };
    });
    return this.connection.write((tx) => cases.addAnnotation(tx, annotation));
  }

  async updateAnnotation(annotationId: string, update: string | AnnotationUpdate): Promise<Annotation> {
    const checked = await this.checked(() => ({ ...checkAnnotationUpdate(update), now: new Date().toISOString() }));
    return this.connection.write((tx) => cases.updateAnnotation(tx, annotationId, checked));
  }

  getAnnotation(caseId: string, annotationId: string): Promise<Annotation> {
    return this.read((tx) => cases.getAnnotationOfCase(tx, caseId, annotationId));
  }

  deleteAnnotation(annotationId: string): Promise<void> {
    return this.connection.write((tx) => cases.deleteAnnotation(tx, annotationId));
  }

  listAnnotations(caseId: string, target?: NodeRef): Promise<Annotation[]> {
    return this.read((tx) => cases.listAnnotations(tx, caseId, target === undefined ? undefined : checkNode(target)));
  }

  async saveView(caseId: string, view: SavedViewWrite): Promise<SavedView> {
    const checked = await this.checked(() => {
      return { id: view.id ?? randomUUID(), caseId, name: checkViewName(view.name), state: toJson('saved view state', view.state), now: new Date().toISOString() };
    });
    return this.connection.write((tx) => cases.saveView(tx, checked));
  }

  getView(viewId: string): Promise<SavedView> {
    return this.read((tx) => cases.getView(tx, viewId));
  }

  listViews(caseId: string): Promise<SavedView[]> {
    return this.read((tx) => cases.listViews(tx, caseId));
  }

  deleteView(viewId: string): Promise<void> {
    return this.connection.write((tx) => cases.deleteView(tx, viewId));
  }

  getCheckpoint(jobId: string): Promise<JobCheckpoint | null> {
    return this.read((tx) => cases.getCheckpoint(tx, jobId));
  }

  async setCheckpoint(checkpoint: JobCheckpointWrite): Promise<JobCheckpoint> {
    const checked = await this.checked(() => {
      return {
        jobId: checkJobId(checkpoint.jobId),
        caseId: checkpoint.caseId,
        kind: checkpoint.kind,
        state: toJson('job checkpoint state', checkpoint.state),
        now: new Date().toISOString(),
      };
    });
    return this.connection.write((tx) => cases.setCheckpoint(tx, checked));
  }

  listCheckpoints(caseId?: string): Promise<JobCheckpoint[]> {
    return this.read((tx) => cases.listCheckpoints(tx, caseId));
  }

  /** NotFoundError unless the address, tx or entity is stored. */
  private async requireNode(tx: Tx, node: NodeRef): Promise<void> {
    if (node.kind === 'address') {
      await chain.requireAddress(tx, node.id);
    } else if (node.kind === 'tx') {
      const txid = normaliseTxid(node.id);
      const [found] = await rows(tx, 'MATCH (t:Tx {txid: $txid}) RETURN t.txid AS txid', { txid });
      if (!found) throw new NotFoundError('transaction', node.id);
    } else {
      await this.requireEntity(tx, node.id);
    }
  }

  private async requireEntity(tx: Tx, entityId: string): Promise<{ size: number; label: string | null; category: string | null }> {
    const entity = typeof entityId === 'string' && entityId.length > 0 ? await entities.entity(tx, entityId) : null;
    if (!entity) throw new NotFoundError('entity', String(entityId), 'Run clustering first, or check the entity id.');
    return entity;
  }

  private read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.connection.read(work);
  }

  /** Argument checks run before a transaction opens; a closed store still says so first. */
  private async checked<T>(check: () => T): Promise<T> {
    if (this.connection.isClosed) throw new StoreClosedError(this.connection.location);
    return Promise.resolve(check());
  }

  /**
   * Two writers storing the same new transaction at once: the second commit breaks a
   * uniqueness constraint. Running the batch again sees the first writer's transaction and
   * skips it, as idempotent writes should.
   */
  private async writeRacing<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        const raced = error instanceof Neo4jError && error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed';
        if (!raced || attempt >= 3) throw error;
      }
    }
  }
}
