/** A scenario world loaded into a store, served by a harness: the setup the API test files share. */
import { afterAll, beforeAll } from 'vitest';
import type { ApiServerOptions } from '@chaintrail/api';
import type { GraphStore } from '@chaintrail/store';
import { startHarness, type ApiHarness } from './api-harness.js';
import { loadApiWorld, makeApiWorld, type ApiWorld } from './api-world.js';
import type { SampleContext } from './route-samples.js';

export interface ApiContext {
  readonly world: ApiWorld;
  readonly store: GraphStore;
  readonly api: ApiHarness;
  readonly sample: SampleContext;
}

/** Registers beforeAll/afterAll hooks; the returned getter works inside tests. */
export function useApiContext(openFresh: () => Promise<GraphStore>, options: Partial<ApiServerOptions> = {}): () => ApiContext {
  let context: ApiContext | undefined;
  let world: ApiWorld | undefined;
  let store: GraphStore | undefined;
  let api: ApiHarness | undefined;
  beforeAll(async () => {
    world = await makeApiWorld();
    store = await openFresh();
    await loadApiWorld(store, world);
    api = await startHarness(store, options);
    const seed = world.seeds.map((s) => s.address).find((address) => world!.oracle.history(address).length >= 2)!;
    const payment = world.oracle.history(seed).find((entry) => entry.received > 0n)!.txid;
    const payer = world.oracle.txEdges(payment).find((edge) => edge.direction === 'in')!.id;
    const entityId = (await store.addressSummary(seed)).entityId!;
    context = { world, store, api, sample: { store, tokens: api.tokens, seed, payment, payer, entityId } };
  });
  afterAll(async () => {
    await api?.close();
    await store?.close();
    world?.dispose();
  });
  return () => {
    if (context === undefined) throw new Error('the API context is set up in beforeAll');
    return context;
  };
}
