/**
 * Tags and search in the SQLite store. Every tag keeps its source: courts ask where each
 * attribution comes from (METHODS.md, "Tags").
 */
import type Database from 'better-sqlite3';
import type { SearchQuery, SearchResult, TagRecord } from '../graph-store.js';
import { BadQueryError } from '../errors.js';
import { checkAddress, checkLimit, maxSearchLimit } from '../query-validation.js';
import { asciiLower, prefixUpperBound, txidPrefixRange } from '../search-text.js';
import { ChunkedValues } from './chunked-statements.js';
import { txKey } from './tx-key.js';

interface TagRow {
  address: string;
  label: string;
  source: string;
  category: string | null;
  confidence: string | null;
  url: string | null;
  lastmod: string | null;
  abuse: string | null;
  actor: string | null;
  context: string | null;
}

export class TagRecords {
  private readonly upsert: ChunkedValues;
  private readonly byAddress: Database.Statement;
  private readonly byEntity: Database.Statement;
  private readonly addressesByPrefix: Database.Statement;
  private readonly txsByPrefix: Database.Statement;
  private readonly entitiesByPrefix: Database.Statement;
  private readonly entitiesByLabel: Database.Statement;
  private readonly tagsByLabel: Database.Statement;

  constructor(db: Database.Database) {
    this.upsert = new ChunkedValues(
      db,
      'INSERT INTO tags (address, label, source, category, confidence, url, lastmod, abuse, actor, context)',
      10,
      `ON CONFLICT (address, label, source) DO UPDATE SET category = excluded.category, confidence = excluded.confidence,
       url = excluded.url, lastmod = excluded.lastmod, abuse = excluded.abuse, actor = excluded.actor, context = excluded.context`,
    );
    const columns = 't.address, t.label, t.source, t.category, t.confidence, t.url, t.lastmod, t.abuse, t.actor, t.context';
    this.byAddress = db.prepare(`SELECT ${columns} FROM tags t WHERE t.address = ? ORDER BY t.source, t.label`);
    this.byEntity = db.prepare(
      `SELECT ${columns} FROM addresses m JOIN tags t ON t.address = m.address WHERE m.entity_id = ? ORDER BY t.address, t.source, t.label`,
    );
    this.addressesByPrefix = db.prepare('SELECT address FROM addresses WHERE address >= @low AND address < @high ORDER BY address LIMIT @limit').pluck();
    this.txsByPrefix = db.prepare(
      'SELECT lower(hex(txid)) FROM txs WHERE txkey BETWEEN @lowKey AND @highKey AND txid BETWEEN @low AND @high ORDER BY txkey, txid LIMIT @limit',
    ).pluck();
    this.entitiesByPrefix = db.prepare(
      'SELECT DISTINCT entity_id FROM addresses WHERE entity_id >= @low AND entity_id < @high ORDER BY entity_id LIMIT @limit',
    ).pluck();
    this.entitiesByLabel = db.prepare('SELECT id, label FROM entities WHERE instr(lower(label), @text) > 0 ORDER BY id LIMIT @limit');
    this.tagsByLabel = db.prepare(
      'SELECT address, label, category, source FROM tags WHERE instr(lower(label), @text) > 0 ORDER BY label, address, source LIMIT @limit',
    );
  }

  write(tags: readonly TagRecord[]): void {
    this.upsert.run(
      tags.flatMap((tag) => {
        checkAddress(tag.address);
        if (typeof tag.label !== 'string' || tag.label.length === 0) throw new BadQueryError(`tag of ${tag.address}`, 'label must be a non-empty string');
        if (typeof tag.source !== 'string' || tag.source.length === 0) throw new BadQueryError(`tag of ${tag.address}`, 'source must be a non-empty string');
        return [
          tag.address,
          tag.label,
          tag.source,
          tag.category,
          tag.confidence,
          tag.url ?? null,
          tag.lastmod ?? null,
          tag.abuse ?? null,
          tag.actor ?? null,
          tag.context ?? null,
        ];
      }),
    );
  }

  ofAddress(address: string): TagRecord[] {
    return (this.byAddress.all(checkAddress(address)) as TagRow[]).map(toTagRecord);
  }

  ofEntity(entityId: string): TagRecord[] {
    return (this.byEntity.all(entityId) as TagRow[]).map(toTagRecord);
  }

  /** Entity labels come from `entityLabel` so the results carry them. */
  search(query: SearchQuery, entityLabel: (entityId: string) => string | null): SearchResult[] {
    const limit = checkLimit('search', query.limit, maxSearchLimit);
    if (typeof query.text !== 'string' || query.text.trim().length === 0) throw new BadQueryError('search', 'the search text is empty');
    const text = query.text;
    const prefix = { low: text, high: prefixUpperBound(text), limit };
    const results: SearchResult[] = [];
    for (const address of this.addressesByPrefix.all(prefix) as string[]) {
      if (address.startsWith(text)) results.push({ kind: 'address', address });
    }
    const range = txidPrefixRange(text);
    if (range) {
      for (const txid of this.txsByPrefix.all({
        lowKey: txKey(range.low),
        highKey: txKey(range.high),
        low: Buffer.from(range.low, 'hex'),
        high: Buffer.from(range.high, 'hex'),
        limit,
      }) as string[]) results.push({ kind: 'tx', txid });
    }
    const lowered = asciiLower(text);
    const entities = new Map<string, string | null>();
    for (const id of this.entitiesByPrefix.all(prefix) as string[]) if (id.startsWith(text)) entities.set(id, entityLabel(id));
    for (const row of this.entitiesByLabel.all({ text: lowered, limit }) as { id: string; label: string }[]) entities.set(row.id, row.label);
    for (const entityId of [...entities.keys()].sort()) results.push({ kind: 'entity', entityId, label: entities.get(entityId) ?? null });
    for (const row of this.tagsByLabel.all({ text: lowered, limit }) as { address: string; label: string; category: string | null; source: string }[]) {
      results.push({ kind: 'tag', address: row.address, label: row.label, category: row.category, source: row.source });
    }
    return results.slice(0, limit);
  }
}

function toTagRecord(row: TagRow): TagRecord {
  return {
    address: row.address,
    label: row.label,
    source: row.source,
    category: row.category,
    confidence: row.confidence,
    url: row.url,
    lastmod: row.lastmod,
    abuse: row.abuse,
    actor: row.actor,
    context: row.context,
  };
}
