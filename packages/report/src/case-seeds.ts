import type { GraphStore, SeedRecord } from '@chaintrail/store';

/** Every seed of a case, in the seized file's line order. */
export async function caseSeedList(store: GraphStore, caseId: string): Promise<SeedRecord[]> {
  const seeds: SeedRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.caseSeeds(caseId, { limit: 10_000, cursor });
    seeds.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return seeds;
}
