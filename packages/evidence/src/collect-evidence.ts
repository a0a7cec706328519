/**
 * Reads from the store everything a bundle cites: the transactions of the exported scope,
 * the transactions that justify the cluster links joining the scope's addresses, and the
 * parents whose outputs those transactions spend (an input's address and amount are only
 * provable from the parent's raw bytes). Parents are context, not findings: the bundle
 * states what their outputs hold, and leaves empty what their own inputs spend, since their
 * parents are not in it. Then the entities, links, tags and seeds of the addresses involved.
 */
import type { ClusterLinkRecord, EntityRecord, GraphStore, SeedRecord, StoredTx, TagRecord } from '@chaintrail/store';
import { COMMON_INPUT } from '@chaintrail/core';
import type { TxRole } from './bundle-layout.js';

export interface CitedTx {
  /** As stored, except that a context transaction's inputs whose parent is outside the bundle are unresolved. */
  readonly tx: StoredTx;
  readonly roles: ReadonlySet<TxRole>;
  /** Inputs (vin) left unstated because the transaction is context and their parent is not in the bundle. */
  readonly notCited: ReadonlySet<number>;
}

/** An input of a cited transaction whose figures come from the store alone: its parent is not in the store. */
export interface AbsentParent {
  readonly txid: string;
  readonly vin: number;
  readonly parentTxid: string;
  readonly reason: string;
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
  /** Inputs of cited transactions whose parent could not be put in the bundle, by txid and vin. */
  readonly absentParents: readonly AbsentParent[];
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
  const txs = new Map<string, { tx: StoredTx; roles: Set<TxRole>; notCited: Set<number> }>();
  const notStored: string[] = [];
  const notes: string[] = [];
  const add = async (txid: string, role: TxRole): Promise<boolean> => {
    const known = txs.get(txid);
    if (known) {
      known.roles.add(role);
      return true;
    }
    try {
      txs.set(txid, { tx: await store.getTransaction(txid), roles: new Set([role]), notCited: new Set() });
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
  options.onProgress?.('links', 0);
  const scopeTxs = [...txs.values()].map((t) => t.tx);
  const links = await linkEntities(store, scopeTxs, scopeAddresses, entityOf, options, entities, notes);
  for (const link of links) await add(link.txid, 'link');

  // Parents last: they prove the inputs of everything above.
  const absentParents: AbsentParent[] = [];
  for (const { tx } of [...txs.values()]) {
    for (const input of tx.inputs) {
      if (!input.resolved || input.coinbase || (await add(input.prevout.txid, 'parent'))) continue;
      absentParents.push({ txid: tx.txid, vin: input.vin, parentTxid: input.prevout.txid, reason: 'the store holds the output it spends but not the parent transaction, so its raw bytes could not be included' });
    }
  }
  absentParents.sort((a, b) => (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : a.vin - b.vin));
  for (const cited of txs.values()) withholdOutsideInputs(cited, txs);
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
  if (absentParents.length > 0) {
    const parents = new Set(absentParents.map((a) => a.parentTxid));
    notes.push(`${absentParents.length} inputs of cited transactions spend outputs of ${parents.size} parent transactions the store does not hold (first: ${[...parents].slice(0, 3).join(', ')}): their addresses and amounts, and the input totals and fees they enter, are stated from the store and cannot be recomputed from the bundle (listed in parents.absent)`);
  }
  return { txs, notStored, absentParents, entityOf, entities, links, tags, seeds, scopeAddresses, notes };
}

/**
 * A context transaction (a parent only) is in the bundle for its outputs. Its inputs whose
 * parent is not in the bundle are left unresolved, so that no figure the bundle states
 * rests on bytes it does not carry.
 */
function withholdOutsideInputs(cited: { tx: StoredTx; roles: Set<TxRole>; notCited: Set<number> }, txs: ReadonlyMap<string, unknown>): void {
  if (cited.roles.has('scope') || cited.roles.has('link')) return;
  const inputs = cited.tx.inputs.map((input) => {
    if (!input.resolved || input.coinbase || txs.has(input.prevout.txid)) return input;
    cited.notCited.add(input.vin);
    return { ...input, resolved: false, address: null, value: null, scriptType: null };
  });
  if (cited.notCited.size > 0) cited.tx = { ...cited.tx, inputs, fee: null };
}

async function resolveEntities(store: GraphStore, addresses: Iterable<string>, entityOf: Map<string, string | null>, options: CollectOptions): Promise<void> {
  let n = 0;
  for (const address of addresses) {
    if (entityOf.has(address)) continue;
    // Explaining an address with itself is the store's cheapest way to name its entity (null when unclustered).
    entityOf.set(address, (await store.explainCluster(address, address))?.entityId ?? null);
    if (++n % 2000 === 0) {
      options.signal?.throwIfAborted();
      options.onProgress?.('addresses', n);
    }
  }
}

/**
 * Links that show why the scope's addresses of each entity are one entity, as a spanning
 * tree per entity. First from the scope's own transactions: a transaction that is neither a
 * coinbase nor CoinJoin-like links its input addresses (common-input ownership, METHODS.md),
 * kept where the store put both addresses in one entity. Members still apart are joined by
 * the store's explanation (a search through the entity's links, the costly part, hence the
 * budget); smaller entities first, so one huge exchange cluster cannot starve the rest.
 */
async function linkEntities(
  store: GraphStore,
  scopeTxs: readonly StoredTx[],
  scopeAddresses: ReadonlySet<string>,
  entityOf: ReadonlyMap<string, string | null>,
  options: CollectOptions,
  entities: Map<string, EntityFacts>,
  notes: string[],
): Promise<BundleLink[]> {
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let root = a;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(a, root);
    return root;
  };
  const union = (a: string, b: string): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return false;
    parent.set(rb < ra ? ra : rb, rb < ra ? rb : ra);
    return true;
  };
  const links: BundleLink[] = [];
  for (const tx of scopeTxs) {
    if (tx.isCoinbase || tx.coinjoin !== null) continue;
    const inputs = [...new Set(tx.inputs.map((i) => i.address).filter((a): a is string => a !== null))];
    const [first, ...others] = inputs;
    const entityId = first === undefined ? null : (entityOf.get(first) ?? null);
    if (first === undefined || entityId === null) continue;
    for (const other of others) {
      if (entityOf.get(other) === entityId && union(first, other)) links.push({ a: first, b: other, heuristic: COMMON_INPUT.name, confidence: COMMON_INPUT.confidence, txid: tx.txid, entityId });
    }
  }

  const members = new Map<string, string[]>();
  for (const address of [...scopeAddresses].sort()) {
    const id = entityOf.get(address);
    if (id === null || id === undefined) continue;
    const list = members.get(id);
    if (list) list.push(address);
    else members.set(id, [address]);
  }
  let budget = options.linkExplanations;
  let cut = 0;
  const order = [...members].sort((a, b) => a[1].length - b[1].length || (a[0] < b[0] ? -1 : 1));
  for (const [entityId, list] of order) {
    const [root, ...others] = list as [string, ...string[]];
    for (const other of others) {
      if (find(other) === find(root)) continue;
      if (budget <= 0) break;
      budget--;
      const explanation = await store.explainCluster(root, other);
      for (const link of explanation?.links ?? []) if (union(link.a, link.b)) links.push({ ...link, entityId });
    }
    const complete = others.every((o) => find(o) === find(root));
    if (!complete) cut++;
    entities.set(entityId, { entity: await store.getEntity(entityId), linksComplete: complete });
    options.signal?.throwIfAborted();
  }
  if (cut > 0) notes.push(`links of ${cut} entities are incomplete: the budget of ${options.linkExplanations} link explanations ran out (raise it with --link-explanations); \`chaintrail explain A B\` gives any pair`);
  return links.sort((a, b) => (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : a.a < b.a ? -1 : a.a > b.a ? 1 : a.b < b.b ? -1 : a.b > b.b ? 1 : 0));
}
