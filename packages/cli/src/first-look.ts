/**
 * "What would an investigator look at first?" after a case is ingested, clustered and
 * tagged: the entity that holds the seeds (the site's own wallet, found by common-input
 * ownership), the tagged services its payers came from (the subpoena list), and the tagged
 * services its money went to (where to look for what can still be seized).
 *
 * Entity-level neighbours from the store, breadth first, a few hops each way, within a
 * fixed budget of store queries. The figures are payments between entities as the store
 * shows them, not a flow model: `chaintrail report` states poison, haircut or FIFO amounts.
 */
import type { GraphStore, NodeRef } from '@chaintrail/store';

export interface AttributedCounterparty {
  readonly label: string;
  readonly category: string | null;
  /** The entities bearing the label (an exchange's hot and cold wallets are often apart). */
  readonly entityIds: readonly string[];
  /** Entities (or unclustered addresses) next to the site that lead to this one. */
  readonly via: number;
  /** Nearest distance in entity hops from the site. */
  readonly hops: number;
  /** Sum of the payments on the first hop (site side) of the paths that reach it. */
  readonly value: bigint;
}

export interface FirstLook {
  readonly seeds: number;
  readonly seedsWithTransactions: number;
  readonly receivedBySeeds: bigint;
  readonly site: { readonly entityId: string; readonly size: number; readonly seedsInIt: number; readonly label: string | null } | null;
  readonly seedEntities: number;
  readonly payers: number;
  readonly payerSources: readonly AttributedCounterparty[];
  readonly destinations: readonly AttributedCounterparty[];
  /** Seeds looked at, when the case has more than the sample. */
  readonly sampled: boolean;
}

const SEED_SAMPLE = 20_000;
const NEIGHBOURS = 2_000;
/** Store queries per direction: the summary must come back in seconds whatever the case's size. */
const QUERY_BUDGET = 5_000;

export async function firstLook(store: GraphStore, caseId: string, hops = 5): Promise<FirstLook> {
  let seeds = 0;
  let seedsWithTransactions = 0;
  let receivedBySeeds = 0n;
  const seedsPerEntity = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page = await store.caseSeeds(caseId, { limit: 1000, cursor });
    for (const seed of page.items) {
      seeds++;
      try {
        const summary = await store.addressSummary(seed.address);
        if (summary.txCount > 0) seedsWithTransactions++;
        receivedBySeeds += summary.received;
        if (summary.entityId) seedsPerEntity.set(summary.entityId, (seedsPerEntity.get(summary.entityId) ?? 0) + 1);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'CHAINTRAIL_NOT_FOUND') throw error;
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== null && seeds < SEED_SAMPLE);
  const [siteId, seedsInIt] = [...seedsPerEntity].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [null, 0];
  const empty = { seeds, seedsWithTransactions, receivedBySeeds, seedEntities: seedsPerEntity.size, sampled: cursor !== null };
  if (siteId === null) return { ...empty, site: null, payers: 0, payerSources: [], destinations: [] };
  const siteEntity = await store.getEntity(siteId);
  const site = { entityId: siteId, size: siteEntity.size, seedsInIt, label: siteEntity.label };
  const seedEntityIds = new Set(seedsPerEntity.keys());
  const payersOfSite = await store.neighbours({ kind: 'entity', id: siteId }, { direction: 'in', limit: NEIGHBOURS, order: 'value' });
  const payerSources = await attribute(store, payersOfSite.neighbours.filter((n) => !seedEntityIds.has(n.node.id)), 'in', hops, seedEntityIds, { left: QUERY_BUDGET });
  const paidBySite = await store.neighbours({ kind: 'entity', id: siteId }, { direction: 'out', limit: NEIGHBOURS, order: 'value' });
  const destinations = await attribute(store, paidBySite.neighbours.filter((n) => !seedEntityIds.has(n.node.id)), 'out', hops, seedEntityIds, { left: QUERY_BUDGET });
  return { ...empty, site, payers: payersOfSite.neighbours.length, payerSources, destinations };
}

/** From each first-hop neighbour, the nearest labelled entity within `hops` (itself included). */
async function attribute(
  store: GraphStore,
  firstHop: ReadonlyArray<{ node: NodeRef; value: bigint }>,
  direction: 'in' | 'out',
  hops: number,
  exclude: ReadonlySet<string>,
  budget: { left: number },
): Promise<AttributedCounterparty[]> {
  // By label and category: one service's wallets that clustering could not join are one row.
  const found = new Map<string, { label: string; category: string | null; entityIds: string[]; via: number; hops: number; value: bigint }>();
  const labels = new Map<string, { label: string | null; category: string | null }>();
  const labelOf = async (node: NodeRef): Promise<{ label: string | null; category: string | null }> => {
    if (node.kind !== 'entity') return { label: null, category: null };
    let cached = labels.get(node.id);
    if (cached === undefined) {
      budget.left--;
      const entity = await store.getEntity(node.id);
      cached = { label: entity.label, category: entity.category };
      labels.set(node.id, cached);
    }
    return cached;
  };
  for (const start of firstHop) {
    if (budget.left <= 0) break;
    const seen = new Set<string>([...exclude, start.node.id]);
    let frontier: NodeRef[] = [start.node];
    for (let hop = 1; hop <= hops && frontier.length > 0 && budget.left > 0; hop++) {
      let hit: { node: NodeRef; label: string; category: string | null } | null = null;
      for (const node of frontier) {
        const { label, category } = await labelOf(node);
        if (label !== null) {
          hit = { node, label, category };
          break;
        }
      }
      if (hit) {
        const key = `${hit.label}\u0000${hit.category ?? ''}`;
        const entry = found.get(key) ?? { label: hit.label, category: hit.category, entityIds: [], via: 0, hops: hop, value: 0n };
        if (!entry.entityIds.includes(hit.node.id)) entry.entityIds.push(hit.node.id);
        found.set(key, { ...entry, via: entry.via + 1, hops: Math.min(entry.hops, hop), value: entry.value + start.value });
        break;
      }
      const next: NodeRef[] = [];
      for (const node of frontier.slice(0, 20)) {
        if (budget.left <= 0) break;
        budget.left--;
        const result = await store.neighbours(node, { direction, limit: 20, order: 'value' });
        for (const n of result.neighbours) {
          if (seen.has(n.node.id)) continue;
          seen.add(n.node.id);
          next.push(n.node);
        }
      }
      frontier = next;
    }
  }
  return [...found.values()]
    .map((e) => ({ ...e, entityIds: [...e.entityIds].sort() }))
    .sort((a, b) => b.via - a.via || (b.value > a.value ? 1 : b.value < a.value ? -1 : 0) || (a.label < b.label ? -1 : 1));
}
