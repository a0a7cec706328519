/** Small helpers the contract sections share. */
import type { GraphStore, Page } from '@chaintrail/store';

/** Every item of a paged read, following nextCursor to the end. */
export async function allPages<T>(fetch: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Runs `use` on a fresh store and closes it on every path. */
export async function withFreshStore<T>(openFresh: () => Promise<GraphStore>, use: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await openFresh();
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
