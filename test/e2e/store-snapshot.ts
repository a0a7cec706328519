import { openStore, type GraphStore, type StoreStats } from '@chaintrail/store';

/**
 * Everything a store holds about a case, through the GraphStore interface only, in a
 * canonical order, so two stores filled differently (another source, a crashed and resumed
 * run) can be compared with one `toEqual`. Transactions are found by walking the stored
 * graph from the seeds: every ingested transaction is a seed's, or a parent or spender of
 * one already found, and both links are stored.
 *
 * Left out on purpose: case ids (UUIDs) and job checkpoints (timestamps, source names).
 */
export interface StoreSnapshot {
  readonly stats: StoreStats;
  readonly seeds: readonly string[];
  readonly txs: readonly string[];
  readonly headers: readonly string[];
  readonly addresses: readonly string[];
  readonly entities: readonly string[];
}

export async function snapshotStore(spec: string, caseName: string): Promise<StoreSnapshot> {
  const store = await openStore(spec, { readonly: true });
  try {
    return await snapshot(store, caseName);
  } finally {
    await store.close();
  }
}

const big = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

async function snapshot(store: GraphStore, caseName: string): Promise<StoreSnapshot> {
  const record = (await store.listCases()).find((c) => c.name === caseName);
  if (!record) throw new Error(`no case ${caseName}`);
  const seeds: string[] = [];
  const addresses = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await store.caseSeeds(record.id, { limit: 1000, cursor });
    for (const s of page.items) {
      seeds.push(big(s));
      addresses.add(s.address);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);

  const found = new Set<string>();
  let frontier: string[] = [];
  for (const address of addresses) {
    let page: string | null = null;
    do {
      try {
        const history = await store.addressHistory(address, { limit: 1000, cursor: page });
        for (const entry of history.items) frontier.push(entry.txid);
        page = history.nextCursor;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'CHAINTRAIL_NOT_FOUND') throw error;
        page = null;
      }
    } while (page !== null);
  }
  const txs: string[] = [];
  const blockHashes = new Set<string>();
  while (frontier.length > 0) {
    const fresh = [...new Set(frontier)].filter((t) => !found.has(t));
    const stored = fresh.length === 0 ? [] : await store.hasTransactions(fresh);
    frontier = [];
    for (const txid of stored) {
      found.add(txid);
      const tx = await store.getTransaction(txid);
      txs.push(big(tx));
      if (tx.placement) blockHashes.add(tx.placement.blockHash);
      for (const input of tx.inputs) {
        if (!input.coinbase) frontier.push(input.prevout.txid);
        if (input.address) addresses.add(input.address);
      }
      for (const output of tx.outputs) {
        if (output.spentBy) frontier.push(output.spentBy.txid);
        if (output.address) addresses.add(output.address);
      }
    }
  }
  const addressRows: string[] = [];
  const entityIds = new Set<string>();
  for (const address of [...addresses].sort()) {
    try {
      const summary = await store.addressSummary(address);
      if (summary.entityId) entityIds.add(summary.entityId);
      addressRows.push(big({ summary, tags: await store.tagsByAddress(address) }));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'CHAINTRAIL_NOT_FOUND') throw error;
    }
  }
  const entities: string[] = [];
  for (const id of [...entityIds].sort()) {
    const entity = await store.getEntity(id);
    const members: string[] = [];
    let page: string | null = null;
    do {
      const result = await store.entityMembers(id, { limit: 10_000, cursor: page });
      members.push(...result.items);
      page = result.nextCursor;
    } while (page !== null);
    // The explanation from the first member to each other one pins the links, not just the sets.
    const links = members.length > 1 ? await store.explainCluster(members[0] as string, members[members.length - 1] as string) : null;
    entities.push(big({ entity, members, links }));
  }
  const headers: string[] = [];
  for (const hash of [...blockHashes].sort()) headers.push(big(await store.blockHeader(hash)));
  return { stats: await store.stats(), seeds, txs: txs.sort(), headers, addresses: addressRows, entities };
}
