/**
 * Clustering results in Neo4j: (:Address)-[:IN_ENTITY]->(:Entity) assignments, the
 * (:Address)-[:LINKED]->(:Address) links that justify them (each naming its heuristic and
 * transaction), CoinJoin verdicts, entity labels, and the explanation of why two addresses
 * are one entity.
 *
 * An entity exists while it has members or a label written for it, as in the SQLite store:
 * a reassignment that empties an unlabelled entity deletes its node.
 */
import type { ClusterExplanation, ClusterLinkRecord, ClusteringWrite, EntityLabelWrite, Page, PageQuery } from '../graph-store.js';
import { BadQueryError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { checkAddress, checkLimit, maxPageLimit, normaliseTxid } from '../query-validation.js';
import { asciiLower } from '../search-text.js';
import { addressText, indexKey, keyed, searchText } from './index-key.js';
import { row, rows, type Tx } from './neo4j-connection.js';
import { int, num } from './neo4j-values.js';
import { attachTags } from './tx-batch-writer.js';

/** A checked clustering write, deduplicated the way the SQLite store's upserts resolve repeats: the last one wins. */
export interface PreparedClustering {
  readonly replace: boolean;
  readonly assignments: { address: Keyed; entity: Keyed }[];
  readonly links: { key: string; a: Keyed; b: Keyed; heuristic: string; txid: string; confidence: bigint }[];
  readonly coinjoins: { txid: string; rule: string }[];
  /** Index keys of every address the write touches, whose tags then get their edges. */
  readonly addressKeys: string[];
}

type Keyed = ReturnType<typeof keyed>;

export function prepareClustering(clustering: ClusteringWrite): PreparedClustering {
  const assignments = new Map<string, string>();
  for (const { address, entityId } of clustering.assignments) {
    checkAddress(address);
    if (typeof entityId !== 'string' || entityId.length === 0) throw new BadQueryError(`entity id of ${address}`, 'must be a non-empty string');
    assignments.delete(address);
    assignments.set(address, entityId);
  }
  const links = new Map<string, PreparedClustering['links'][number]>();
  for (const link of clustering.links) {
    checkAddress(link.a);
    checkAddress(link.b);
    if (!Number.isFinite(link.confidence)) throw new BadQueryError(`confidence of link ${link.a}–${link.b}`, 'must be a number');
    const txid = normaliseTxid(link.txid);
    // JSON keeps the key unambiguous whatever characters the addresses or heuristic hold.
    const key = indexKey(JSON.stringify([link.a, link.b, link.heuristic, txid]));
    links.set(key, { key, a: keyed(link.a), b: keyed(link.b), heuristic: link.heuristic, txid, confidence: int(Math.round(link.confidence)) });
  }
  const coinjoins = new Map<string, string>();
  for (const { txid, rule } of clustering.coinjoins ?? []) coinjoins.set(normaliseTxid(txid), rule);
  const addressKeys = new Set<string>();
  for (const address of assignments.keys()) addressKeys.add(indexKey(address));
  for (const link of links.values()) addressKeys.add(link.a.key).add(link.b.key);
  return {
    replace: clustering.mode === 'replace',
    assignments: [...assignments].map(([address, entityId]) => ({ address: keyed(address), entity: keyed(entityId) })),
    links: [...links.values()],
    coinjoins: [...coinjoins].map(([txid, rule]) => ({ txid, rule })),
    addressKeys: [...addressKeys],
  };
}

const clearAll = [
  'MATCH (:Address)-[r:IN_ENTITY]->(:Entity) DELETE r',
  'MATCH (:Address)-[l:LINKED]->(:Address) DELETE l',
  'MATCH (c:CoinJoin) DELETE c',
  'MATCH (e:Entity) WHERE e.labelled IS NULL DELETE e',
];

/** Moves each address to its entity; returns the entities it left, which may now be empty. */
const assign = `
  UNWIND $rows AS r
  MERGE (a:Address {address: r.address.key})
  ON CREATE SET a.full = r.address.full, a.head = r.address.head
  WITH a, r
  OPTIONAL MATCH (a)-[old:IN_ENTITY]->(previous:Entity)
  WITH a, r, old, previous WHERE previous IS NULL OR previous.id <> r.entity.key
  DELETE old
  MERGE (e:Entity {id: r.entity.key})
  ON CREATE SET e.full = r.entity.full, e.head = r.entity.head
  CREATE (a)-[:IN_ENTITY]->(e)
  RETURN collect(DISTINCT previous.id) AS left`;

const dropEmptyEntities = `
  UNWIND $ids AS id
  MATCH (e:Entity {id: id})
  WHERE e.labelled IS NULL AND NOT EXISTS { (e)<-[:IN_ENTITY]-(:Address) }
  DELETE e`;

const writeLinks = `
  UNWIND $links AS l
  MERGE (a:Address {address: l.a.key})
  ON CREATE SET a.full = l.a.full, a.head = l.a.head
  MERGE (b:Address {address: l.b.key})
  ON CREATE SET b.full = l.b.full, b.head = l.b.head
  MERGE (a)-[r:LINKED {key: l.key}]->(b)
  SET r.heuristic = l.heuristic, r.txid = l.txid, r.confidence = l.confidence`;

const writeCoinjoins = `
  UNWIND $coinjoins AS c
  MERGE (j:CoinJoin {txid: c.txid})
  SET j.rule = c.rule`;

const writeLabelsQuery = `
  UNWIND $labels AS l
  MERGE (e:Entity {id: l.entity.key})
  ON CREATE SET e.full = l.entity.full, e.head = l.entity.head
  SET e.label = l.label, e.category = l.category, e.labelLower = l.lowered.short, e.longLabelLower = l.lowered.long, e.labelled = true
  FOREACH (_ IN CASE WHEN l.lowered.long IS NULL THEN [] ELSE [1] END | SET e:LongLabel)
  FOREACH (_ IN CASE WHEN l.lowered.long IS NULL THEN [1] ELSE [] END | REMOVE e:LongLabel)`;

/** Links touching the frontier addresses whose other end is in the same entity. */
const linksOf = `
  UNWIND $members AS member
  MATCH (m:Address {address: member})-[l:LINKED]-(other:Address)-[:IN_ENTITY]->(:Entity {id: $entity})
  WITH member, l, other, startNode(l) AS a, endNode(l) AS b
  RETURN member, ${addressText('a')} AS a, ${addressText('b')} AS b, l.heuristic AS heuristic, l.confidence AS confidence, l.txid AS txid,
         ${addressText('other')} AS other`;

export async function writeClustering(tx: Tx, clustering: PreparedClustering): Promise<void> {
  if (clustering.replace) for (const statement of clearAll) await tx.run(statement);
  if (clustering.assignments.length > 0) {
    const { left } = await row<{ left: string[] }>(tx, assign, { rows: clustering.assignments });
    if (left.length > 0) await tx.run(dropEmptyEntities, { ids: left });
  }
  if (clustering.links.length > 0) await tx.run(writeLinks, { links: clustering.links });
  if (clustering.coinjoins.length > 0) await tx.run(writeCoinjoins, { coinjoins: clustering.coinjoins });
  if (clustering.addressKeys.length > 0) await tx.run(attachTags, { addresses: clustering.addressKeys });
}

export function labelRows(labels: readonly EntityLabelWrite[]): Record<string, unknown>[] {
  return labels.map((label) => {
    if (typeof label.entityId !== 'string' || label.entityId.length === 0) throw new BadQueryError('entity id', 'must be a non-empty string');
    return {
      entity: keyed(label.entityId),
      label: label.label,
      category: label.category,
      lowered: searchText(label.label === null ? null : asciiLower(label.label)),
    };
  });
}

export async function writeLabels(tx: Tx, labels: readonly Record<string, unknown>[]): Promise<void> {
  if (labels.length > 0) await tx.run(writeLabelsQuery, { labels });
}

/** Size, label and category; null when the entity has neither members nor a label. */
export async function entity(tx: Tx, entityId: string): Promise<{ size: number; label: string | null; category: string | null } | null> {
  const [found] = await rows<{ size: unknown; label: string | null; category: string | null; labelled: boolean | null }>(
    tx,
    `MATCH (e:Entity {id: $id})
     RETURN COUNT { (e)<-[:IN_ENTITY]-(:Address) } AS size, e.label AS label, e.category AS category, e.labelled AS labelled`,
    { id: indexKey(entityId) },
  );
  if (!found) return null;
  const size = num(found.size);
  if (size === 0 && found.labelled !== true) return null;
  return { size, label: found.label, category: found.category };
}

export async function members(tx: Tx, entityId: string, query: PageQuery): Promise<Page<string>> {
  const limit = checkLimit('entity members', query.limit, maxPageLimit);
  const after = query.cursor ? (decodeCursor(query.cursor, ['string'])[0] as string) : null;
  const found = await rows<{ address: string }>(
    tx,
    `MATCH (:Entity {id: $entity})<-[:IN_ENTITY]-(a:Address)
     WITH ${addressText('a')} AS address
     WHERE $after IS NULL OR address > $after
     RETURN address ORDER BY address LIMIT $limit`,
    { entity: indexKey(entityId), after, limit: int(limit + 1) },
  );
  const items = found.slice(0, limit).map((r) => r.address);
  return { items, nextCursor: found.length > limit ? encodeCursor([items.at(-1)!]) : null };
}

/**
 * Breadth-first search through the entity's links from `a` to `b` (fewest links), one
 * query per level. Links are taken per member in (a, b, heuristic, txid) order, as the
 * SQLite store takes them, so both explain a cluster with the same links.
 */
export async function explain(tx: Tx, entityId: string, a: string, b: string): Promise<ClusterExplanation | null> {
  if (a === b) return { entityId, links: [] };
  const reachedBy = new Map<string, { from: string; link: ClusterLinkRecord } | null>([[a, null]]);
  let frontier = [a];
  while (frontier.length > 0 && !reachedBy.has(b)) {
    const found = await rows<{ member: string; a: string; b: string; heuristic: string; confidence: unknown; txid: string; other: string }>(tx, linksOf, {
      members: frontier.map(indexKey),
      entity: indexKey(entityId),
    });
    const byMember = new Map<string, typeof found>();
    for (const link of found) {
      const list = byMember.get(link.member) ?? [];
      list.push(link);
      byMember.set(link.member, list);
    }
    const next: string[] = [];
    for (const member of frontier) {
      const links = (byMember.get(indexKey(member)) ?? []).sort((x, y) => compare(x.a, y.a) || compare(x.b, y.b) || compare(x.heuristic, y.heuristic) || compare(x.txid, y.txid));
      for (const link of links) {
        if (reachedBy.has(link.other)) continue;
        reachedBy.set(link.other, {
          from: member,
          link: { a: link.a, b: link.b, heuristic: link.heuristic, confidence: num(link.confidence), txid: link.txid },
        });
        next.push(link.other);
      }
    }
    frontier = next;
  }
  if (!reachedBy.has(b)) return null;
  const links: ClusterLinkRecord[] = [];
  for (let step = reachedBy.get(b); step; step = reachedBy.get(step.from)) links.push(step.link);
  return { entityId, links: links.reverse() };
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
