/**
 * Reads from the store everything a bundle cites: the transactions of the exported scope,
 * the transactions that justify the cluster links joining the scope's addresses, and the
 * parents whose outputs those transactions spend (an input's address and amount are only
 * provable from the parent's raw bytes). Then the entities, links, tags and seeds of the
 * addresses involved.
 */
import type { ClusterLinkRecord, EntityRecord, GraphStore, SeedRecord, StoredTx, TagRecord } from '@chaintrail/store';
import type { TxRole } from './bundle-layout.js';

export interface CitedTx {
  readonly tx: StoredTx;
  readonly roles: ReadonlySet<TxRole>;
}

export interface BundleLink extends ClusterLinkRecord {
  readonly entityId: string;
}

export interface EntityFacts {
  readonly entity: EntityRecord;
  /** Whether links join every one of its bundle addresses (false when the explanation budget ran out). */
  readonly linksComplete: boolean;
}

export interface CollectedEvidence {
  /** Every transaction whose raw hex goes into the bundle, by txid. */
  readonly txs: ReadonlyMap<string, CitedTx>;
  /** Scope txids the store does not hold. */
  readonly notStored: readonly string[];
  /** Entity of every bundle address (null when unclustered). */
  readonly entityOf: ReadonlyMap<string, string | null>;
  readonly entities: ReadonlyMap<string, EntityFacts>;
  readonly links: readonly BundleLink[];
  readonly tags: readonly TagRecord[];
  readonly seeds: ReadonlyMap<string, SeedRecord>;
  /** Addresses of the scope transactions (the graph's address nodes). */
  readonly scopeAddresses: ReadonlySet<string>;
  readonly notes: readonly string[];
}

export interface CollectOptions {
  readonly store: GraphStore;
  readonly caseId: string;
  readonly txids: AsyncIterable<string> | Iterable<string>;
  /**
   * Store look-ups spent explaining links (each is a search through one entity's links).
   * Entities past the budget are marked as not completely linked.
   */
  readonly linkExplanations: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (stage: string, done: number) => void;
}

const SEED_PAGE = 5_000;

function isNotFound(error: unknown): boolean {
  return (error as { code?: string }).code === 'CHAINTRAIL_NOT_FOUND';
}

/** Addresses a transaction pays or (through resolved inputs) spends from. */
export function addressesOf(tx: StoredTx): string[] {
  const out: string[] = [];
  for (const input of tx.inputs) if (input.address !== null) out.push(input.address);
  for (const output of tx.outputs) if (output.address !== null) out.push(output.address);
  return out;
}

export async function collectEvidence(options: CollectOptions): Promise<CollectedEvidence> {
  const { store } = options;
  const txs = new Map<string, { tx: StoredTx; roles: Set<TxRole> }>();
  const notStored: string[] = [];
  const notes: string[] = [];
  const add = async (txid: string, role: TxRole): Promise<boolean> => {
    const known = txs.get(txid);
    if (known) {
      known.roles.add(role);
      return true;
    }
    try {
      txs.set(txid, { tx: await store.getTransaction(txid), roles: new Set([role]) });
      return true;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      return false;
    }
  };

  let n = 0;
  for await (const txid of options.txids) {
    if (!(await add(txid, 'scope'))) notStored.push(txid);
    if (++n % 1000 === 0) {
      options.signal?.throwIfAborted();
      options.onProgress?.('transactions', n);
    }
  }
  const scopeAddresses = new Set<string>();
  for (const { tx } of txs.values()) for (const a of addressesOf(tx)) scopeAddresses.add(a);

  const entityOf = new Map<string, string | null>();
  await resolveEntities(store, scopeAddresses, entityOf, options);

  const entities = new Map<string, EntityFacts>();
  const links = await explainEntities(store, scopeAddresses, entityOf, options, entities, notes);
  for (const link of links) await add(link.txid, 'link');

  // Parents last: they prove the inputs of everything above.
  for (const { tx } of [...txs.values()]) {
    for (const input of tx.inputs) if (input.resolved && !input.coinbase) await add(input.prevout.txid, 'parent');
  }
  options.onProgress?.('parents', txs.size);

  const all = new Set<string>();
  for (const { tx } of txs.values()) for (const a of addressesOf(tx)) all.add(a);
  await resolveEntities(store, all, entityOf, options);
  for (const id of new Set(entityOf.values())) {
    if (id !== null && !entities.has(id)) entities.set(id, { entity: await store.getEntity(id), linksComplete: false });
  }

  const tags: TagRecord[] = [];
  for (const address of [...all].sort()) tags.push(...(await store.tagsByAddress(address)));
  options.onProgress?.('tags', tags.length);

  const seeds = new Map<string, SeedRecord>();
  let cursor: string | null = null;
  do {
    options.signal?.throwIfAborted();
    const page = await store.caseSeeds(options.caseId, { limit: SEED_PAGE, cursor });
    for (const seed of page.items) if (all.has(seed.address) && !seeds.has(seed.address)) seeds.set(seed.address, seed);
    cursor = page.nextCursor;
  } while (cursor !== null);

  if (notStored.length > 0) notes.push(`${notStored.length} transactions of the scope are not in the store and are not in the bundle (first: ${notStored.slice(0, 3).join(', ')})`);
  return { txs, notStored, entityOf, entities, links, tags, seeds, scopeAddresses, notes };
}

async function resolveEntities(store: GraphStore, addresses: Iterable<string>, entityOf: Map<string, string | null>, options: CollectOptions): Promise<void> {
  let n = 0;
  for (const address of addresses) {
    if (entityOf.has(address)) continue;
    entityOf.set(address, (await store.addressSummary(address)).entityId);
    if (++n % 2000 === 0) {
      options.signal?.throwIfAborted();
      options.onProgress?.('addresses', n);
    }
  }
}

/**
 * For each entity with two or more scope addresses, the links from its first address (in
 * sort order) to each of the others: the union of those paths is a tree of transactions
 * that shows why the addresses are one entity.
 */
async function explainEntities(
  store: GraphStore,
  scopeAddresses: ReadonlySet<string>,
  entityOf: ReadonlyMap<string, string | null>,
  options: CollectOptions,
  entities: Map<string, EntityFacts>,
  notes: string[],
): Promise<BundleLink[]> {
  const members = new Map<string, string[]>();
  for (const address of [...scopeAddresses].sort()) {
    const id = entityOf.get(address);
    if (id === null || id === undefined) continue;
    const list = members.get(id);
    if (list) list.push(address);
    else members.set(id, [address]);
  }
  const links = new Map<string, BundleLink>();
  let budget = options.linkExplanations;
  let cut = 0;
  // Smaller entities first, so a budget spent on one huge exchange cluster does not leave the small ones unexplained.
  const order = [...members].sort((a, b) => a[1].length - b[1].length || (a[0] < b[0] ? -1 : 1));
  for (const [entityId, list] of order) {
    const [root, ...others] = list as [string, ...string[]];
    const linked = new Set<string>([root]);
    for (const other of others) {
      if (linked.has(other)) continue;
      if (budget <= 0) break;
      budget--;
      const explanation = await store.explainCluster(root, other);
      for (const link of explanation?.links ?? []) {
        links.set(`${link.a} ${link.b} ${link.heuristic} ${link.txid}`, { ...link, entityId });
        linked.add(link.a);
        linked.add(link.b);
      }
    }
    const complete = others.every((o) => linked.has(o));
    if (!complete) cut++;
    entities.set(entityId, { entity: await store.getEntity(entityId), linksComplete: complete });
    options.signal?.throwIfAborted();
  }
  if (cut > 0) notes.push(`links of ${cut} entities are incomplete: the budget of ${options.linkExplanations} link explanations ran out (raise it with --link-explanations); \`chaintrail explain A B\` gives any pair`);
  return [...links.values()].sort((a, b) => (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : a.a < b.a ? -1 : a.a > b.a ? 1 : a.b < b.b ? -1 : a.b > b.b ? 1 : 0));
}
