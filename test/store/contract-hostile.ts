/**
 * Hostile strings (SQL and Cypher fragments, LIKE wildcards, NUL, bidi and astral
 * characters, a 200 kB string) as addresses, labels, notes and ids: stored and read back
 * verbatim, matched literally, never executed.
 */
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '@chaintrail/store';
import { withFreshStore } from './store-helpers.js';
import { syntheticTx, syntheticTxid } from './synthetic-txs.js';

export const hostileStrings: readonly string[] = [
  "'; DROP TABLE txs; --",
  '" OR 1=1 --',
  "x') UNION SELECT sqlite_version() --",
  'MATCH (n) DETACH DELETE n',
  "'}) MATCH (n) DETACH DELETE n //",
  '$param {label: "x"}',
  '%_\\%',
  'nul\u0000inside',
  'line\nbreak\ttab\r',
  'Ünïcödé 🚀 עברית \u202eevil\u202c 中文',
  '\u{1F4A9}'.repeat(3),
  `huge-${'A'.repeat(200_000)}`,
];

export function describeHostileInput(openFresh: () => Promise<GraphStore>): void {
  describe('hostile input', () => {
    it('stores hostile strings verbatim everywhere and executes none of them', async () => {
      await withFreshStore(openFresh, async (store) => {
        const writes = hostileStrings.map((address, i) => syntheticTx(`hostile:${i}`, [{ txid: syntheticTxid('hostile:parent'), vout: i }], [{ address, value: 1_000 + i }], 800_000 + i));
        await store.writeTransactions(writes);
        const caseRecord = await store.createCase({ name: hostileStrings[0]!, description: hostileStrings[11]! });
        for (const [i, text] of hostileStrings.entries()) {
          const summary = await store.addressSummary(text);
          expect(summary.address).toBe(text);
          expect(summary.received).toBe(BigInt(1_000 + i));
          expect((await store.getTransaction(writes[i]!.tx.txid)).outputs[0]!.address).toBe(text);

          await store.writeTags([{ address: text, label: text, source: text, category: text, confidence: text, context: text }]);
          expect(await store.tagsByAddress(text)).toEqual([{ address: text, label: text, source: text, category: text, confidence: text, url: null, lastmod: null, abuse: null, actor: null, context: text }]);

          const annotation = await store.addAnnotation(caseRecord.id, { target: { kind: 'address', id: text }, text, author: text });
          expect(annotation).toMatchObject({ text, author: text, target: { kind: 'address', id: text } });
          const view = await store.saveView(caseRecord.id, { name: text, state: { [text]: [text] } });
          expect(await store.getView(view.id)).toMatchObject({ name: text, state: { [text]: [text] } });
          await store.setCheckpoint({ jobId: text, caseId: caseRecord.id, kind: text, state: { text } });
          expect(await store.getCheckpoint(text)).toMatchObject({ jobId: text, kind: text, state: { text } });
        }
        await store.addSeeds(caseRecord.id, hostileStrings.map((address, i) => ({ address, line: i + 1, file: address })));
        expect((await store.caseSeeds(caseRecord.id, { limit: 100 })).items).toEqual(hostileStrings.map((address, i) => ({ address, line: i + 1, file: address })));
        await store.writeClustering({ assignments: hostileStrings.map((address) => ({ address, entityId: hostileStrings[4]! })), links: [] });
        await store.writeEntityLabels([{ entityId: hostileStrings[4]!, label: hostileStrings[5]!, category: hostileStrings[3]! }]);
        expect(await store.getEntity(hostileStrings[4]!)).toMatchObject({ size: hostileStrings.length, label: hostileStrings[5], category: hostileStrings[3] });
        expect(await store.getCase(caseRecord.id)).toMatchObject({ name: hostileStrings[0], description: hostileStrings[11], seedCount: hostileStrings.length });

        // Searched for, they match themselves literally: '%' and '_' are not wildcards.
        const wildcard = await store.search({ text: '%_\\', limit: 100 });
        expect(wildcard).toContainEqual({ kind: 'address', address: '%_\\%' });
        expect(wildcard.filter((r) => r.kind === 'tag').map((r) => (r.kind === 'tag' ? r.label : ''))).toEqual(['%_\\%']);
        for (const text of hostileStrings.filter((t) => t.length < 100)) {
          expect(await store.search({ text, limit: 100 })).toContainEqual({ kind: 'address', address: text });
        }
        const stats = await store.stats();
        expect(stats).toMatchObject({ transactions: hostileStrings.length, addresses: hostileStrings.length, tags: hostileStrings.length, cases: 1 });
      });
    });
  });
}
