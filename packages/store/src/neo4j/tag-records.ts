/**
 * Tags and search in Neo4j. A (:Tag) is keyed by (address, label, source) and carries its
 * source: courts ask where each attribution comes from. Its (:Tag)-[:TAGS]->(:Address) edge
 * exists once the address is stored; tags of addresses not (yet) in the graph are kept and
 * found by their `address` key.
 */
import type { SearchQuery, SearchResult, TagRecord } from '../graph-store.js';
import { BadQueryError } from '../errors.js';
import { checkAddress, checkLimit, maxSearchLimit } from '../query-validation.js';
import { asciiLower, txidPrefixRange } from '../search-text.js';
import { addressText, entityText, head, indexKey, keyed, searchText } from './index-key.js';
import { rows, type Tx } from './neo4j-connection.js';
import { int } from './neo4j-values.js';

const tagColumns = `coalesce(t.fullAddress, t.address) AS address, coalesce(t.fullLabel, t.label) AS label, coalesce(t.fullSource, t.source) AS source,
  t.category AS category, t.confidence AS confidence, t.url AS url, t.lastmod AS lastmod, t.abuse AS abuse, t.actor AS actor, t.context AS context`;

const upsertTags = `
  UNWIND $tags AS r
  MERGE (t:Tag {address: r.address.key, label: r.label.key, source: r.source.key})
  SET t.fullAddress = r.address.full, t.fullLabel = r.label.full, t.fullSource = r.source.full,
      t.category = r.category, t.confidence = r.confidence, t.url = r.url, t.lastmod = r.lastmod,
      t.abuse = r.abuse, t.actor = r.actor, t.context = r.context,
      t.labelLower = r.lowered.short, t.longLabelLower = r.lowered.long
  FOREACH (_ IN CASE WHEN r.lowered.long IS NULL THEN [] ELSE [1] END | SET t:LongLabel)
  WITH t, r
  MATCH (a:Address {address: r.address.key})
  MERGE (t)-[:TAGS]->(a)`;

/** Checks tags before any transaction opens, so one bad tag rejects the whole call. */
export function tagRows(tags: readonly TagRecord[]): Record<string, unknown>[] {
  return tags.map((tag) => {
    checkAddress(tag.address);
    if (typeof tag.label !== 'string' || tag.label.length === 0) throw new BadQueryError(`tag of ${tag.address}`, 'label must be a non-empty string');
    if (typeof tag.source !== 'string' || tag.source.length === 0) throw new BadQueryError(`tag of ${tag.address}`, 'source must be a non-empty string');
    return {
      address: keyed(tag.address),
      label: keyed(tag.label),
      source: keyed(tag.source),
      category: tag.category,
      confidence: tag.confidence,
      url: tag.url ?? null,
      lastmod: tag.lastmod ?? null,
      abuse: tag.abuse ?? null,
      actor: tag.actor ?? null,
      context: tag.context ?? null,
      lowered: searchText(asciiLower(tag.label)),
    };
  });
}

export async function writeTags(tx: Tx, tags: readonly Record<string, unknown>[]): Promise<void> {
  if (tags.length > 0) await tx.run(upsertTags, { tags });
}

export function tagsOfAddress(tx: Tx, address: string): Promise<TagRecord[]> {
  return rows<TagRecord>(tx, `MATCH (t:Tag {address: $address}) RETURN ${tagColumns} ORDER BY source, label`, { address: indexKey(checkAddress(address)) });
}

export function tagsOfEntity(tx: Tx, entityId: string): Promise<TagRecord[]> {
  return rows<TagRecord>(
    tx,
    `MATCH (:Entity {id: $entity})<-[:IN_ENTITY]-(a:Address)
     MATCH (t:Tag {address: a.address})
     RETURN ${tagColumns} ORDER BY address, source, label`,
    { entity: indexKey(entityId) },
  );
}

/** Values kept as their own key match through the unique index; long ones through their head. */
const addressesByPrefix = `
  CALL () {
    MATCH (a:Address) WHERE a.address STARTS WITH $text RETURN a
    UNION
    MATCH (a:Address) WHERE a.head STARTS WITH $head AND a.full STARTS WITH $text RETURN a
  }
  WITH ${addressText('a')} AS address WHERE address STARTS WITH $text
  RETURN address ORDER BY address LIMIT $limit`;

const entitiesByPrefix = `
  CALL () {
    MATCH (e:Entity) WHERE e.id STARTS WITH $text RETURN e
    UNION
    MATCH (e:Entity) WHERE e.head STARTS WITH $head AND e.full STARTS WITH $text RETURN e
  }
  WITH e, ${entityText('e')} AS id WHERE id STARTS WITH $text AND EXISTS { (e)<-[:IN_ENTITY]-(:Address) }
  RETURN id, e.label AS label ORDER BY id LIMIT $limit`;

/** Lowered labels sit in a text index, or (over its size limit) on nodes marked :LongLabel. */
const entitiesByLabel = `
  CALL () {
    MATCH (e:Entity) WHERE e.labelLower CONTAINS $lowered RETURN e
    UNION
    MATCH (e:Entity:LongLabel) WHERE e.longLabelLower CONTAINS $lowered RETURN e
  }
  RETURN ${entityText('e')} AS id, e.label AS label ORDER BY id LIMIT $limit`;

const tagsByLabel = `
  CALL () {
    MATCH (t:Tag) WHERE t.labelLower CONTAINS $lowered RETURN t
    UNION
    MATCH (t:Tag:LongLabel) WHERE t.longLabelLower CONTAINS $lowered RETURN t
  }
  RETURN coalesce(t.fullAddress, t.address) AS address, coalesce(t.fullLabel, t.label) AS label, t.category AS category,
         coalesce(t.fullSource, t.source) AS source
  ORDER BY label, address, source LIMIT $limit`;

/** Results: addresses, then txs, entities, tags; each group sorted (graph-store.ts, SearchQuery). */
export async function search(tx: Tx, query: SearchQuery): Promise<SearchResult[]> {
  const limit = checkLimit('search', query.limit, maxSearchLimit);
  if (typeof query.text !== 'string' || query.text.trim().length === 0) throw new BadQueryError('search', 'the search text is empty');
  const text = query.text;
  const params = { text, head: head(text), lowered: asciiLower(text), limit: int(limit) };
  const results: SearchResult[] = [];
  for (const { address } of await rows<{ address: string }>(tx, addressesByPrefix, params)) results.push({ kind: 'address', address });
  const range = txidPrefixRange(text);
  if (range) {
    const txs = await rows<{ txid: string }>(tx, 'MATCH (t:Tx) WHERE t.txid >= $low AND t.txid <= $high RETURN t.txid AS txid ORDER BY txid LIMIT $limit', {
      ...params,
      ...range,
    });
    for (const { txid } of txs) results.push({ kind: 'tx', txid });
  }
  const entities = new Map<string, string | null>();
  for (const found of await rows<{ id: string; label: string | null }>(tx, entitiesByPrefix, params)) entities.set(found.id, found.label);
  for (const found of await rows<{ id: string; label: string }>(tx, entitiesByLabel, params)) entities.set(found.id, found.label);
  for (const entityId of [...entities.keys()].sort()) results.push({ kind: 'entity', entityId, label: entities.get(entityId) ?? null });
  const tags = await rows<{ address: string; label: string; category: string | null; source: string }>(tx, tagsByLabel, params);
  for (const tag of tags) results.push({ kind: 'tag', ...tag });
  return results.slice(0, limit);
}
