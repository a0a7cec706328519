/**
 * Clustering results in the SQLite store: address → entity assignments, the links that
 * justify them, CoinJoin verdicts, entity labels, and the explanation of why two addresses
 * are one entity (a path through the links, each link naming its transaction).
 */
import type Database from 'better-sqlite3';
import type { ClusterExplanation, ClusterLinkRecord, ClusteringWrite, EntityLabelWrite, Page, PageQuery } from '../graph-store.js';
import { BadQueryError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { checkAddress, checkLimit, maxPageLimit, normaliseTxid } from '../query-validation.js';
import { ChunkedValues, ChunkedLookup } from './chunked-statements.js';

interface LinkRow {
  a: string;
  b: string;
  heuristic: string;
  confidence: number;
  txid: string;
  other: number;
}

export class EntityRecords {
  private readonly clearAssignments: Database.Statement;
  private readonly clearLinks: Database.Statement;
  private readonly clearCoinjoins: Database.Statement;
  private readonly assign: ChunkedValues;
  private readonly ensureAddresses: ChunkedValues;
  private readonly addressIds: ChunkedLookup<{ id: number; address: string }>;
  private readonly insertLinks: ChunkedValues;
  private readonly insertCoinjoins: ChunkedValues;
  private readonly upsertLabels: ChunkedValues;
  private readonly entityRow: Database.Statement;
  private readonly entitySize: Database.Statement;
  private readonly membersPage: Database.Statement;
  private readonly linksOf: Database.Statement;

  constructor(db: Database.Database) {
    this.clearAssignments = db.prepare('UPDATE addresses SET entity_id = NULL WHERE entity_id IS NOT NULL');
    this.clearLinks = db.prepare('DELETE FROM cluster_links');
    this.clearCoinjoins = db.prepare('DELETE FROM coinjoin_verdicts');
    this.assign = new ChunkedValues(db, 'INSERT INTO addresses (address, entity_id)', 2, 'ON CONFLICT (address) DO UPDATE SET entity_id = excluded.entity_id');
    this.ensureAddresses = new ChunkedValues(db, 'INSERT INTO addresses (address)', 1, 'ON CONFLICT (address) DO NOTHING');
    this.addressIds = new ChunkedLookup(db, 'SELECT id, address FROM addresses WHERE address IN (?)');
    this.insertLinks = new ChunkedValues(
      db,
      'INSERT INTO cluster_links (a, b, heuristic, txid, confidence)',
      5,
      'ON CONFLICT (a, b, heuristic, txid) DO UPDATE SET confidence = excluded.confidence',
    );
    this.insertCoinjoins = new ChunkedValues(db, 'INSERT INTO coinjoin_verdicts (txid, rule)', 2, 'ON CONFLICT (txid) DO UPDATE SET rule = excluded.rule');
    this.upsertLabels = new ChunkedValues(
      db,
      'INSERT INTO entities (id, label, category)',
      3,
      'ON CONFLICT (id) DO UPDATE SET label = excluded.label, category = excluded.category',
    );
    this.entityRow = db.prepare('SELECT label, category FROM entities WHERE id = ?');
    this.entitySize = db.prepare('SELECT count(*) FROM addresses WHERE entity_id = ?').pluck();
    this.membersPage = db.prepare(
      // `address > ''` on the first page keeps the index seek (see case-records.ts, seedsPage).
      'SELECT address FROM addresses WHERE entity_id = @entity AND address > @after ORDER BY address LIMIT @limit',
    ).pluck();
    // Links touching an address whose other end is in the same entity.
    this.linksOf = db.prepare(`
      SELECT aa.address AS a, ab.address AS b, l.heuristic, l.confidence, lower(hex(l.txid)) AS txid, l.b AS other
      FROM cluster_links l JOIN addresses aa ON aa.id = l.a JOIN addresses ab ON ab.id = l.b
      WHERE l.a = @member AND ab.entity_id = @entity
      UNION ALL
      SELECT aa.address, ab.address, l.heuristic, l.confidence, lower(hex(l.txid)), l.a
      FROM cluster_links l JOIN addresses aa ON aa.id = l.a JOIN addresses ab ON ab.id = l.b
      WHERE l.b = @member AND aa.entity_id = @entity
      ORDER BY 1, 2, 3, 5`);
  }

  writeClustering(clustering: ClusteringWrite): void {
    const assignments: string[] = [];
    for (const { address, entityId } of clustering.assignments) {
      checkAddress(address);
      if (typeof entityId !== 'string' || entityId.length === 0) throw new BadQueryError(`entity id of ${address}`, 'must be a non-empty string');
      assignments.push(address, entityId);
    }
    const links = clustering.links.map((link) => {
      checkAddress(link.a);
      checkAddress(link.b);
      if (!Number.isFinite(link.confidence)) throw new BadQueryError(`confidence of link ${link.a}–${link.b}`, 'must be a number');
      return { ...link, txid: normaliseTxid(link.txid) };
    });
    const coinjoins = (clustering.coinjoins ?? []).flatMap(({ txid, rule }) => [Buffer.from(normaliseTxid(txid), 'hex'), rule]);
    if (clustering.mode === 'replace') {
      this.clearAssignments.run();
      this.clearLinks.run();
      this.clearCoinjoins.run();
    }
    this.assign.run(assignments);
    if (links.length > 0) {
      const addresses = [...new Set(links.flatMap((link) => [link.a, link.b]))];
      this.ensureAddresses.run(addresses);
      const ids = new Map(this.addressIds.all(addresses).map((row) => [row.address, row.id]));
      this.insertLinks.run(
        links.flatMap((link) => [ids.get(link.a), ids.get(link.b), link.heuristic, Buffer.from(link.txid, 'hex'), Math.round(link.confidence)]),
      );
    }
    this.insertCoinjoins.run(coinjoins);
  }

  writeLabels(labels: readonly EntityLabelWrite[]): void {
    this.upsertLabels.run(
      labels.flatMap((label) => {
        if (typeof label.entityId !== 'string' || label.entityId.length === 0) throw new BadQueryError('entity id', 'must be a non-empty string');
        return [label.entityId, label.label, label.category];
      }),
    );
  }

  /** Size, label and category; null when the entity has neither members nor a label. */
  entity(entityId: string): { size: number; label: string | null; category: string | null } | null {
    const size = this.entitySize.get(entityId) as number;
    const row = this.entityRow.get(entityId) as { label: string | null; category: string | null } | undefined;
    if (size === 0 && !row) return null;
    return { size, label: row?.label ?? null, category: row?.category ?? null };
  }

  members(entityId: string, query: PageQuery): Page<string> {
    const limit = checkLimit('entity members', query.limit, maxPageLimit);
    const after = query.cursor ? (decodeCursor(query.cursor, ['string'])[0] as string) : '';
    const rows = this.membersPage.all({ entity: entityId, after, limit: limit + 1 }) as string[];
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!]) : null };
  }

  /** Breadth-first search through the entity's links from `a` to `b` (fewest links). */
  explain(entityId: string, a: { id: number; address: string }, b: { id: number; address: string }): ClusterExplanation | null {
    if (a.id === b.id) return { entityId, links: [] };
    const reachedBy = new Map<number, { from: number; link: ClusterLinkRecord } | null>([[a.id, null]]);
    let frontier = [a.id];
    while (frontier.length > 0 && !reachedBy.has(b.id)) {
      const next: number[] = [];
      for (const member of frontier) {
        for (const row of this.linksOf.all({ member, entity: entityId }) as LinkRow[]) {
          if (reachedBy.has(row.other)) continue;
          reachedBy.set(row.other, { from: member, link: { a: row.a, b: row.b, heuristic: row.heuristic, confidence: row.confidence, txid: row.txid } });
          next.push(row.other);
        }
      }
      frontier = next;
    }
    if (!reachedBy.has(b.id)) return null;
    const links: ClusterLinkRecord[] = [];
    for (let step = reachedBy.get(b.id); step; step = reachedBy.get(step.from)) links.push(step.link);
    return { entityId, links: links.reverse() };
  }
}
