import { describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';

describe('openStore', () => {
  it.each(['', 'sqlite:', 'postgres://localhost/db', 'neo4j:', 'neo4j:http://localhost:7474', 'case.db'])('refuses the spec %j with a typed error', async (spec) => {
    await expect(openStore(spec)).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_STORE_SPEC' });
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await openStore('sqlite::memory:');
    expect(store.info()).toMatchObject({ kind: 'sqlite', location: ':memory:' });
    expect((await store.stats()).transactions).toBe(0);
    await store.close();
  });
});
