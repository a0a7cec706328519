/**
 * chainTip(): the best stored header that links to its stored parent (graph-store.ts). The
 * expected tip is worked out here from the parsed headers, never read from a store.
 */
import { describe, expect, it } from 'vitest';
import type { BlockHeaderRecord, GraphStore } from '@chaintrail/store';
import type { LoadedBlock } from './block-fixtures.js';
import { withFreshStore } from './store-helpers.js';

/** The definition in graph-store.ts, applied to a list of headers. */
export function expectedTip(headers: readonly BlockHeaderRecord[]): BlockHeaderRecord | null {
  if (headers.length === 0) return null;
  const base = Math.min(...headers.map((h) => h.height));
  const byHash = new Map(headers.map((h) => [h.hash, h]));
  const linking = headers.filter((h) => h.height === base || byHash.get(h.prevHash)?.height === h.height - 1);
  return [...linking].sort((a, b) => b.height - a.height || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))[0] ?? null;
}

/** A header that is not a real block: `hash` is made up, the rest as given. */
function madeUp(from: BlockHeaderRecord, change: Partial<BlockHeaderRecord>): BlockHeaderRecord {
  return { ...from, ...change };
}

export function describeChainTip(openFresh: () => Promise<GraphStore>, earlyBlocks: () => LoadedBlock[]): void {
  describe('chain tip', () => {
    it('is null for a store without headers, and the only header when there is one', async () => {
      await withFreshStore(openFresh, async (store) => {
        expect(await store.chainTip()).toBeNull();
        const block9 = earlyBlocks()[9]!.header;
        await store.writeBlockHeaders([block9]);
        expect(await store.chainTip()).toEqual(block9);
      });
    });

    it('ignores a stray header above a gap and takes the smaller hash of a fork, whatever the write order', async () => {
      const early = earlyBlocks().slice(0, 40).map((b) => b.header);
      const top = early.at(-1)!;
      // A competitor of the top block (same parent and height) and a stray header far above.
      const fork = madeUp(top, { hash: `${top.hash.slice(0, 63)}${top.hash.endsWith('0') ? '1' : '0'}`, nonce: top.nonce + 1 });
      const stray = madeUp(top, { hash: 'f'.repeat(64), prevHash: 'e'.repeat(64), height: 800_000 });
      const headers = [stray, ...early.slice(20).reverse(), fork, ...early.slice(0, 20)];
      const expected = expectedTip(headers)!;
      expect(expected.height).toBe(top.height);
      await withFreshStore(openFresh, async (store) => {
        await store.writeBlockHeaders(headers.slice(0, 10));
        await store.writeBlockHeaders(headers.slice(10));
        expect(await store.chainTip()).toEqual(expected);
      });
    });

    it('refuses malformed headers with typed errors and keeps the tip', async () => {
      await withFreshStore(openFresh, async (store) => {
        const [genesis, first] = earlyBlocks().map((b) => b.header);
        await store.writeBlockHeaders([genesis!, first!]);
        await expect(store.writeBlockHeaders([{ ...first!, hash: 'not hex', height: 2 }])).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_QUERY' });
        await expect(store.writeBlockHeaders([{ ...first!, height: -1 }])).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_QUERY' });
        expect(await store.chainTip()).toEqual(first);
      });
    });
  });
}
