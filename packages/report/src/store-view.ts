/**
 * The reports' read-through view of a GraphStore: transactions, address-to-entity lookups
 * and entity tags, each asked once per report. It also notes what a report relied on (tag
 * sources, CoinJoin rules, the highest block read) so the report can say so.
 */
import { liftTags, type TagConflict } from '@chaintrail/core';
import { NotFoundError, type AddressOutputRecord, type GraphStore, type NodeRef, type StoredTx, type TagRecord } from '@chaintrail/store';

/** A tag as a report shows it: one line per distinct label, category, source and confidence. */
export interface TagSummary {
  readonly label: string;
  readonly category: string | null;
  readonly source: string;
  readonly confidence: string | null;
  /** Member addresses carrying it. */
  readonly addresses: number;
  /** The first of them (sorted), to look up. */
  readonly example: string;
}

/** An entity (or an address no clustering placed) with what its tags say. */
export interface NodeInfo {
  readonly node: NodeRef;
  /** The label its tags agree on (core's liftTags), or null (none, or a conflict). */
  readonly label: string | null;
  readonly category: string | null;
  readonly tags: readonly TagSummary[];
  /** Tags naming different actors or categories; never resolved silently. */
  readonly conflicts: readonly TagConflict[];
}

export function nodeKey(node: NodeRef): string {
  return `${node.kind}:${node.id}`;
}

export function isTagged(info: NodeInfo): boolean {
  return info.tags.length > 0;
}

const TX_CACHE = 200_000;
const PAGE = 10_000;

function summariseTags(tags: readonly TagRecord[]): TagSummary[] {
  const groups = new Map<string, { tag: TagRecord; addresses: Set<string> }>();
  for (const tag of tags) {
    const key = JSON.stringify([tag.label, tag.category, tag.source, tag.confidence]);
    const group = groups.get(key);
    if (group) group.addresses.add(tag.address);
    else groups.set(key, { tag, addresses: new Set([tag.address]) });
  }
  return [...groups.values()]
    .map(({ tag, addresses }) => ({ label: tag.label, category: tag.category, source: tag.source, confidence: tag.confidence, addresses: addresses.size, example: [...addresses].sort()[0] as string }))
    .sort((a, b) => cmp(a.source, b.source) || cmp(a.label, b.label) || cmp(a.category ?? '', b.category ?? '') || cmp(a.confidence ?? '', b.confidence ?? ''));
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class StoreView {
  readonly store: GraphStore;
  readonly #txs = new Map<string, StoredTx | null>();
  readonly #nodeOf = new Map<string, NodeRef>();
  readonly #info = new Map<string, Promise<NodeInfo>>();
  readonly #tagSources = new Set<string>();
  readonly #coinjoinRules = new Set<string>();
  #highestHeight: number | null = null;

  constructor(store: GraphStore) {
    this.store = store;
  }

  /** A stored transaction, or null when the store does not hold it. */
  async tx(txid: string): Promise<StoredTx | null> {
    if (this.#txs.has(txid)) return this.#txs.get(txid) ?? null;
    let found: StoredTx | null = null;
    try {
      found = await this.store.getTransaction(txid);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    if (this.#txs.size >= TX_CACHE) this.#txs.delete(this.#txs.keys().next().value as string);
    this.#txs.set(txid, found);
    if (found?.placement && (this.#highestHeight === null || found.placement.blockHeight > this.#highestHeight)) this.#highestHeight = found.placement.blockHeight;
    if (found?.coinjoin) this.#coinjoinRules.add(found.coinjoin);
    return found;
  }

  /** The entity an address belongs to, or the address itself when no clustering placed it. */
  async nodeOf(address: string): Promise<NodeRef> {
    const known = this.#nodeOf.get(address);
    if (known) return known;
    let entityId: string | null = null;
    try {
      entityId = (await this.store.addressSummary(address)).entityId;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    const node: NodeRef = entityId !== null ? { kind: 'entity', id: entityId } : { kind: 'address', id: address };
    this.#nodeOf.set(address, node);
    return node;
  }

  /** What the tags of an entity (all its members) or of a lone address say. */
  info(node: NodeRef): Promise<NodeInfo> {
    const key = nodeKey(node);
    let info = this.#info.get(key);
    if (info === undefined) {
      info = this.#readInfo(node);
      this.#info.set(key, info);
    }
    return info;
  }

  async #readInfo(node: NodeRef): Promise<NodeInfo> {
    const tags = node.kind === 'entity' ? await this.store.tagsByEntity(node.id) : await this.store.tagsByAddress(node.id);
    const key = nodeKey(node);
    const lifted = liftTags(tags, () => key).entities[0];
    return { node, label: lifted?.label ?? null, category: lifted?.category ?? null, tags: summariseTags(tags), conflicts: lifted?.conflicts ?? [] };
  }

  /** The node's tags, noted as shown (or relied on) by the report, so it names their sources. */
  async shown(node: NodeRef): Promise<NodeInfo> {
    const info = await this.info(node);
    for (const tag of info.tags) this.#tagSources.add(tag.source);
    return info;
  }

  /** Every output paying the address, chain order. */
  async addressOutputs(address: string): Promise<AddressOutputRecord[]> {
    const all: AddressOutputRecord[] = [];
    let cursor: string | null = null;
    try {
      do {
        const page = await this.store.addressOutputs(address, { limit: PAGE, cursor });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
    } catch (error) {
      if (error instanceof NotFoundError) return [];
      throw error;
    }
    return all;
  }

  /** Member addresses of an entity, sorted; a lone address is its own member. */
  async members(node: NodeRef): Promise<string[]> {
    if (node.kind === 'address') return [node.id];
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.store.entityMembers(node.id, { limit: PAGE, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return all;
  }

  get tagSources(): string[] {
    return [...this.#tagSources].sort(cmp);
  }

  get coinjoinRules(): string[] {
    return [...this.#coinjoinRules].sort(cmp);
  }

  /** Highest block height among the transactions read, or null. */
  get highestHeight(): number | null {
    return this.#highestHeight;
  }
}
