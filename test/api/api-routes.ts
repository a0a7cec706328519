/**
 * Route tests, run against every store (sqlite-api.test.ts, neo4j-api.test.ts): each route
 * is called over `inject()` on a store loaded with a scenario world and real blocks, and its
 * answer, decoded with the route's own zod schema, is compared with ChainOracle's answer
 * computed from the parsed blocks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fromHex, parseTransaction } from '@chaintrail/core';
import {
  addressHistoryPageSchema,
  addressOutputsPageSchema,
  addressSummarySchema,
  annotationListSchema,
  annotationSchema,
  blockHeaderSchema,
  caseListSchema,
  caseSchema,
  clusterExplanationResultSchema,
  deletedSchema,
  entityFlowSchema,
  entityMembersPageSchema,
  entitySchema,
  jobListSchema,
  neighbourResultSchema,
  pathResultSchema,
  savedViewListSchema,
  savedViewSchema,
  searchResultsSchema,
  seedPageSchema,
  sessionSchema,
  storeInfoSchema,
  tagImportResultSchema,
  tagListSchema,
  transactionSchema,
} from '@chaintrail/api';
import type { GraphStore, Neighbour, NodeRef } from '@chaintrail/store';
import { z } from 'zod';
import type { OracleEdge } from '../store/chain-oracle.js';
import type { ApiContext } from './api-context.js';
import { CASE_ID, type ApiWorld } from './api-world.js';
import { qs, type ApiHarness, type ErrorJson } from './api-harness.js';

const edgeKey = (e: { kind: string; id: string; direction: string; value: bigint }) => `${e.direction}|${e.kind}|${e.id}|${e.value}`;
const neighbourKey = (n: Neighbour) => edgeKey({ ...n.node, direction: n.direction, value: n.value });

export function describeApiRoutes(name: string, context: () => ApiContext): void {
  describe(`API routes over ${name}`, () => {
    let world: ApiWorld;
    let store: GraphStore;
    let api: ApiHarness;
    /** A seized address that was paid and swept (at least two transactions). */
    let seed: string;
    /** A transaction paying `seed`, and an address that paid in it. */
    let payment: string;
    let payer: string;
    const block170Payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';

    beforeAll(() => {
      ({ world, store, api } = context());
      ({ seed, payment, payer } = context().sample);
    });

    describe('addresses and transactions', () => {
      it('serves an address summary with the totals of its outputs, sums as decimal strings', async () => {
        const expected = world.oracle.totals(new Set([seed]));
        const raw = await api.call('GET', `/api/addresses/${seed}`);
        expect(raw.status).toBe(200);
        expect(typeof (raw.json as { received: unknown }).received).toBe('string');
        const summary = z.decode(addressSummarySchema, raw.json as z.input<typeof addressSummarySchema>);
        expect(summary).toMatchObject({
          address: seed,
          scriptType: world.oracle.scriptTypeOf(seed),
          received: expected.received,
          sent: expected.sent,
          balance: expected.balance,
          txCount: expected.txCount,
          outputCount: expected.outputCount,
          unspentCount: expected.unspentCount,
          firstSeen: expected.firstSeen,
          lastSeen: expected.lastSeen,
        });
        expect(summary.entityId).not.toBeNull();
      });

      it("pages an address's transactions in chain order, both ways", async () => {
        const expected = world.oracle.history(seed);
        const seen: { txid: string; received: bigint; sent: bigint }[] = [];
        let cursor: string | null = null;
        do {
          const page: z.output<typeof addressHistoryPageSchema> = await api.get(`/api/addresses/${seed}/transactions${qs({ limit: 1, cursor: cursor ?? undefined })}`, addressHistoryPageSchema);
          expect(page.items.length).toBeLessThanOrEqual(1);
          seen.push(...page.items.map(({ txid, received, sent }) => ({ txid, received, sent })));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seen).toEqual(expected);
        const desc = await api.get(`/api/addresses/${seed}/transactions?order=desc`, addressHistoryPageSchema);
        expect(desc.items.map((e) => e.txid)).toEqual(expected.map((e) => e.txid).reverse());
      });

      it("lists an address's outputs, and only the unspent ones when asked", async () => {
        const all = await api.get(`/api/addresses/${seed}/outputs`, addressOutputsPageSchema);
        const outputs = world.oracle.outputsOf(new Set([seed]));
        expect(all.items.map((o) => `${o.txid}:${o.vout}:${o.value}`).sort()).toEqual(outputs.map((o) => `${o.txid}:${o.vout}:${o.value}`).sort());
        const unspent = await api.get(`/api/addresses/${seed}/outputs?unspentOnly=true`, addressOutputsPageSchema);
        expect(unspent.items.length).toBe(world.oracle.totals(new Set([seed])).unspentCount);
        expect(unspent.items.every((o) => o.spentBy === null)).toBe(true);
      });

      it('serves a real transaction (block 170) whose raw hex hashes to its txid', async () => {
        const tx = await api.get(`/api/transactions/${block170Payment.toUpperCase()}`, transactionSchema);
        const parsed = world.oracle.txs.get(block170Payment)!;
        expect(tx.txid).toBe(block170Payment);
        expect(parseTransaction(fromHex(tx.raw)).txid).toBe(block170Payment);
        expect(tx.placement).toEqual(parsed.write.placement);
        expect(tx.outputs.map((o) => [o.address, o.value])).toEqual(parsed.write.tx.outputs.map((o) => [o.address, o.value]));
        expect(tx.fee).toBe(world.oracle.fee(block170Payment));
        expect(tx.inputs[0]!.address).toBe(world.oracle.spentOutput(block170Payment, 0)!.address);
      });

      it('serves a block header by height and by hash', async () => {
        const block = world.blocks.find((b) => b.height === 170)!;
        const byHeight = await api.get('/api/blocks/170', blockHeaderSchema);
        const byHash = await api.get(`/api/blocks/${block.header.hash}`, blockHeaderSchema);
        expect(byHeight).toEqual(byHash);
        expect(byHeight).toMatchObject({ hash: block.header.hash, height: 170, merkleRoot: block.header.merkleRoot, prevHash: block.header.prevHash });
      });

      it('answers 404 with a typed error for a valid address the store does not hold', async () => {
        const result = await api.call('GET', '/api/addresses/1BoatSLRHtKNngkdXEeobR76b53LETtpyT');
        expect(result.status).toBe(404);
        expect((result.json as ErrorJson).error.code).toBe('CHAINTRAIL_NOT_FOUND');
      });
    });

    describe('search', () => {
      it('finds an address by prefix, a transaction by txid prefix and a tag by label', async () => {
        const byAddress = await api.get(`/api/search${qs({ q: seed.slice(0, 12) })}`, searchResultsSchema);
        expect(byAddress.results).toContainEqual({ kind: 'address', address: seed });
        const byTxid = await api.get(`/api/search${qs({ q: payment.slice(0, 16) })}`, searchResultsSchema);
        expect(byTxid.results).toContainEqual({ kind: 'tx', txid: payment });
        const tag = world.tags[0]!;
        const byLabel = await api.get(`/api/search${qs({ q: tag.label.toUpperCase().slice(0, 10) })}`, searchResultsSchema);
        expect(byLabel.results).toContainEqual(expect.objectContaining({ kind: 'tag', address: tag.address, label: tag.label }));
      });

      it('finds an entity by its id and honours the limit', async () => {
        const { entityId } = await api.get(`/api/addresses/${seed}`, addressSummarySchema);
        const found = await api.get(`/api/search${qs({ q: entityId!.slice(0, 10) })}`, searchResultsSchema);
        expect(found.results).toContainEqual(expect.objectContaining({ kind: 'entity', entityId }));
        const limited = await api.get(`/api/search${qs({ q: '1', limit: 3 })}`, searchResultsSchema);
        expect(limited.results.length).toBe(3);
      });
    });

    describe('graph', () => {
      const expectEdges = (neighbours: Neighbour[], edges: OracleEdge[]) =>
        expect(neighbours.map(neighbourKey).sort()).toEqual(edges.map((e) => edgeKey(e)).sort());

      it('expands an address both ways, in and out as the oracle says', async () => {
        const node: NodeRef = { kind: 'address', id: seed };
        const edges = world.oracle.addressEdges(seed);
        const both = await api.get(`/api/nodes/address/${seed}/neighbours`, neighbourResultSchema);
        expect(both.subject).toEqual(node);
        expectEdges(both.neighbours, edges);
        const incoming = await api.get(`/api/nodes/address/${seed}/neighbours?direction=in`, neighbourResultSchema);
        expectEdges(incoming.neighbours, edges.filter((e) => e.direction === 'in'));
      });

      it('expands a transaction into its input and output addresses', async () => {
        const result = await api.get(`/api/nodes/tx/${payment}/neighbours?limit=1000`, neighbourResultSchema);
        expectEdges(result.neighbours, world.oracle.txEdges(payment));
      });

      it('applies the count limit, minimum value, time window and value order', async () => {
        const edges = world.oracle.txEdges(payment);
        expect(edges.length).toBeGreaterThan(1);
        const one = await api.get(`/api/nodes/tx/${payment}/neighbours?limit=1`, neighbourResultSchema);
        expect(one.neighbours).toHaveLength(1);
        expect(one.truncated).toBe(true);
        const threshold = edges.map((e) => e.value).sort((a, b) => (a < b ? -1 : 1))[Math.floor(edges.length / 2)]!;
        const big = await api.get(`/api/nodes/tx/${payment}/neighbours${qs({ minValue: threshold })}`, neighbourResultSchema);
        expectEdges(big.neighbours, edges.filter((e) => e.value >= threshold));
        const byValue = await api.get(`/api/nodes/tx/${payment}/neighbours?order=value`, neighbourResultSchema);
        const values = byValue.neighbours.map((n) => n.value);
        expect(values).toEqual([...values].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
        const time = world.oracle.txs.get(payment)!.time!;
        const inside = await api.get(`/api/nodes/tx/${payment}/neighbours${qs({ fromTime: time, toTime: time })}`, neighbourResultSchema);
        expect(inside.neighbours.length).toBe(edges.length);
        const before = await api.get(`/api/nodes/tx/${payment}/neighbours${qs({ toTime: time - 1 })}`, neighbourResultSchema);
        expect(before.neighbours).toEqual([]);
      });

      it('expands an entity exactly as the store does', async () => {
        const { entityId } = await api.get(`/api/addresses/${seed}`, addressSummarySchema);
        const viaApi = await api.get(`/api/nodes/entity/${entityId}/neighbours?limit=500`, neighbourResultSchema);
        const direct = await store.neighbours({ kind: 'entity', id: entityId! }, { direction: 'both', limit: 500 });
        expect(viaApi).toEqual(direct);
        expect(viaApi.neighbours.length).toBeGreaterThan(0);
      });

      it('finds the payment path from payer to deposit address, and back', async () => {
        const paid = world.oracle.txEdges(payment).find((e) => e.direction === 'out' && e.id === seed)!.value;
        const forward = await api.get(`/api/paths${qs({ from: payer, to: seed, maxHops: 1 })}`, pathResultSchema);
        expect(forward.path?.nodes).toEqual([
          { kind: 'address', id: payer },
          { kind: 'address', id: seed },
        ]);
        expect(forward.path?.hops[0]).toMatchObject({ txid: payment, direction: 'out', value: paid });
        const backward = await api.get(`/api/paths${qs({ from: seed, to: payer, maxHops: 1, direction: 'in' })}`, pathResultSchema);
        expect(backward.path?.hops[0]?.txid).toBe(payment);
        const none = await api.get(`/api/paths${qs({ from: seed, to: payer, maxHops: 1, direction: 'out' })}`, pathResultSchema);
        expect(none.path).toBeNull();
      });

      it('reports the flow between the payer’s entity and the site’s entity with the payment in it', async () => {
        const from = (await api.get(`/api/addresses/${payer}`, addressSummarySchema)).entityId!;
        const to = (await api.get(`/api/addresses/${seed}`, addressSummarySchema)).entityId!;
        const flow = await api.get(`/api/flows${qs({ from, to })}`, entityFlowSchema);
        expect(flow).toEqual(await store.entityFlow(from, to, { txLimit: 100 }));
        expect(flow.txids).toContain(payment);
        const entityPath = await api.get(`/api/paths${qs({ kind: 'entity', from, to, maxHops: 1 })}`, pathResultSchema);
        expect(entityPath.path?.nodes).toEqual([
          { kind: 'entity', id: from },
          { kind: 'entity', id: to },
        ]);
      });
    });

    describe('entities, tags and cluster explanations', () => {
      it('serves a tagged exchange entity with its members, label and the tag with its source', async () => {
        const stored = new Set(world.oracle.addresses());
        const tag = world.tags.find((t) => stored.has(t.address))!;
        const { entityId } = await api.get(`/api/addresses/${tag.address}`, addressSummarySchema);
        const entity = await api.get(`/api/entities/${entityId}`, entitySchema);
        expect(entity.label).toBe(tag.label);
        const members: string[] = [];
        let cursor: string | null = null;
        do {
          const page: z.output<typeof entityMembersPageSchema> = await api.get(`/api/entities/${entityId}/members${qs({ limit: 2, cursor: cursor ?? undefined })}`, entityMembersPageSchema);
          members.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(members).toEqual([...members].sort());
        expect(members).toHaveLength(entity.size);
        expect(members).toContain(tag.address);
        const totals = world.oracle.totals(new Set(members));
        expect({ received: entity.received, sent: entity.sent }).toEqual({ received: totals.received, sent: totals.sent });
        const byAddress = await api.get(`/api/nodes/address/${tag.address}/tags`, tagListSchema);
        expect(byAddress.tags).toContainEqual(expect.objectContaining({ address: tag.address, label: tag.label, category: 'exchange', source: expect.any(String) as string }));
        const byEntity = await api.get(`/api/nodes/entity/${entityId}/tags`, tagListSchema);
        expect(byEntity.tags.map((t) => t.address)).toContain(tag.address);
      });

      it('explains why two members are one entity with links each justified by a transaction that spends from both', async () => {
        let pair: [string, string] | null = null;
        const stored = new Set(world.oracle.addresses());
        for (const tag of world.tags.filter((t) => stored.has(t.address))) {
          const { entityId } = await api.get(`/api/addresses/${tag.address}`, addressSummarySchema);
          const page = await api.get(`/api/entities/${entityId}/members?limit=50`, entityMembersPageSchema);
          const other = page.items.find((address) => address !== tag.address);
          if (other !== undefined) {
            pair = [tag.address, other];
            break;
          }
        }
        expect(pair).not.toBeNull();
        const [a, b] = pair!;
        const { explanation } = await api.get(`/api/cluster-explanation${qs({ a, b })}`, clusterExplanationResultSchema);
        expect(explanation).not.toBeNull();
        const links = explanation!.links;
        expect([links[0]!.a, links[0]!.b]).toContain(a);
        expect([links.at(-1)!.a, links.at(-1)!.b]).toContain(b);
        for (const link of links.filter((l) => l.heuristic === 'cioh')) {
          const inputs = world.oracle.txEdges(link.txid).filter((e) => e.direction === 'in').map((e) => e.id);
          expect(inputs).toEqual(expect.arrayContaining([link.a, link.b]));
        }
        const satoshi = world.oracle.spentOutput(block170Payment, 0)!.address!;
        const apart = await api.get(`/api/cluster-explanation${qs({ a, b: satoshi })}`, clusterExplanationResultSchema);
        expect(apart.explanation).toBeNull();
      });

      it('refuses tags of a transaction with a 400 naming the kind', async () => {
        const result = await api.call('GET', `/api/nodes/tx/${payment}/tags`);
        expect(result.status).toBe(400);
        expect((result.json as ErrorJson).error.field).toBe('params.kind');
      });
    });

    describe('cases', () => {
      it('lists the case with its seed count and pages its seeds in file order with line numbers', async () => {
        const { cases } = await api.get('/api/cases', caseListSchema);
        expect(cases).toContainEqual(expect.objectContaining({ id: CASE_ID, seedCount: world.seeds.length }));
        const one = await api.get(`/api/cases/${CASE_ID}`, caseSchema);
        expect(one.seedCount).toBe(world.seeds.length);
        const seeds: { address: string; line: number }[] = [];
        let cursor: string | null = null;
        do {
          const page: z.output<typeof seedPageSchema> = await api.get(`/api/cases/${CASE_ID}/seeds${qs({ limit: 37, cursor: cursor ?? undefined })}`, seedPageSchema);
          seeds.push(...page.items.map(({ address, line }) => ({ address, line })));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seeds).toEqual(world.seeds.map(({ address, line }) => ({ address, line })));
      });

      it("shows the case's job checkpoints", async () => {
        const { jobs } = await api.get(`/api/cases/${CASE_ID}/jobs`, jobListSchema);
        expect(jobs).toContainEqual(expect.objectContaining({ jobId: `ingest:${CASE_ID}`, kind: 'ingest', state: { phase: 'done', txs: world.writes.length } }));
      });

      it('answers 404 for a case that does not exist', async () => {
        const result = await api.call('GET', '/api/cases/no-such-case/jobs');
        expect(result.status).toBe(404);
      });

      it('creates, lists, filters, updates and deletes annotations with colour labels, authored by the token', async () => {
        const target = { kind: 'address', id: seed } as const;
        const created = await api.send('POST', `/api/cases/${CASE_ID}/annotations`, annotationSchema, {
          as: 'analyst',
          body: { target, text: 'Deposit address of user 17', colour: 'red' },
        });
        expect(created).toMatchObject({ caseId: CASE_ID, target, text: 'Deposit address of user 17', colour: 'red' });
        expect(created.author).toContain('analyst test');
        const plain = await api.send('POST', `/api/cases/${CASE_ID}/annotations`, annotationSchema, {
          as: 'analyst',
          body: { target: { kind: 'tx', id: payment }, text: '[colour:blue] typed by the user' },
        });
        expect(plain).toMatchObject({ text: '[colour:blue] typed by the user', colour: null });
        const onSeed = await api.get(`/api/cases/${CASE_ID}/annotations${qs({ kind: 'address', id: seed })}`, annotationListSchema);
        expect(onSeed.annotations.map((a) => a.id)).toEqual([created.id]);
        const updated = await api.send('PATCH', `/api/cases/${CASE_ID}/annotations/${created.id}`, annotationSchema, { as: 'analyst', body: { text: 'Paid twice' }, status: 200 });
        expect(updated).toMatchObject({ text: 'Paid twice', colour: 'red' });
        const hex = await api.send('PATCH', `/api/cases/${CASE_ID}/annotations/${created.id}`, annotationSchema, { as: 'analyst', body: { colour: '#FF8800' }, status: 200 });
        expect(hex).toMatchObject({ text: 'Paid twice', colour: '#ff8800' });
        expect((await api.get(`/api/cases/${CASE_ID}/annotations`, annotationListSchema)).annotations.find((a) => a.id === created.id)?.colour).toBe('#ff8800');
        const uncoloured = await api.send('PATCH', `/api/cases/${CASE_ID}/annotations/${created.id}`, annotationSchema, { as: 'analyst', body: { colour: null }, status: 200 });
        expect(uncoloured).toMatchObject({ text: 'Paid twice', colour: null });
        expect((await store.getAnnotation(CASE_ID, created.id)).text).toBe('Paid twice');
        await api.send('DELETE', `/api/cases/${CASE_ID}/annotations/${created.id}`, deletedSchema, { as: 'analyst', status: 200 });
        const all = await api.get(`/api/cases/${CASE_ID}/annotations`, annotationListSchema);
        expect(all.annotations.map((a) => a.id)).toEqual([plain.id]);
      });

      it('does not let a case reach another case’s annotations or views', async () => {
        await store.createCase({ id: 'other-case', name: 'Other' });
        const note = await api.send('POST', '/api/cases/other-case/annotations', annotationSchema, { as: 'analyst', body: { target: { kind: 'address', id: seed }, text: 'theirs' } });
        const view = await api.send('POST', '/api/cases/other-case/views', savedViewSchema, { as: 'analyst', body: { name: 'theirs', state: {} } });
        expect((await api.call('PATCH', `/api/cases/${CASE_ID}/annotations/${note.id}`, { as: 'analyst', body: { text: 'mine now' } })).status).toBe(404);
        expect((await api.call('DELETE', `/api/cases/${CASE_ID}/annotations/${note.id}`, { as: 'analyst' })).status).toBe(404);
        expect((await api.call('PUT', `/api/cases/${CASE_ID}/views/${view.id}`, { as: 'analyst', body: { name: 'mine', state: {} } })).status).toBe(404);
        expect((await api.call('GET', `/api/cases/${CASE_ID}/views/${view.id}`)).status).toBe(404);
        expect((await api.get(`/api/cases/other-case/views/${view.id}`, savedViewSchema)).name).toBe('theirs');
      });

      it('saves, restores exactly, replaces and deletes a view', async () => {
        const state = {
          nodes: [{ kind: 'address', id: seed, x: 12.5, y: -3, pinned: true }],
          expanded: [seed],
          filters: { minValue: '100000', from: 1690168629, to: null },
          note: 'Ünïcode ☃ 𝔘 \u202e',
        };
        const saved = await api.send('POST', `/api/cases/${CASE_ID}/views`, savedViewSchema, { as: 'analyst', body: { name: 'Site deposits', state } });
        expect(saved.state).toEqual(state);
        const restored = await api.get(`/api/cases/${CASE_ID}/views/${saved.id}`, savedViewSchema);
        expect(restored).toEqual(saved);
        const replaced = await api.send('PUT', `/api/cases/${CASE_ID}/views/${saved.id}`, savedViewSchema, { as: 'analyst', body: { name: 'Renamed', state: { nodes: [] } }, status: 200 });
        expect(replaced).toMatchObject({ id: saved.id, name: 'Renamed', state: { nodes: [] } });
        const { views } = await api.get(`/api/cases/${CASE_ID}/views`, savedViewListSchema);
        expect(views.map((v) => v.id)).toContain(saved.id);
        await api.send('DELETE', `/api/cases/${CASE_ID}/views/${saved.id}`, deletedSchema, { as: 'analyst', status: 200 });
        expect((await api.call('GET', `/api/cases/${CASE_ID}/views/${saved.id}`)).status).toBe(404);
      });

      it('imports tags for a case idempotently and serves them on the node', async () => {
        const before = await api.get('/api/store', storeInfoSchema);
        const tags = [{ address: seed, label: 'Seized site deposit', category: 'market', source: 'case-wtv seizure report', confidence: 'forensic_investigation' }];
        const first = await api.send('POST', `/api/cases/${CASE_ID}/tags`, tagImportResultSchema, { as: 'analyst', body: { tags }, status: 200 });
        expect(first.imported).toBe(1);
        await api.send('POST', `/api/cases/${CASE_ID}/tags`, tagImportResultSchema, { as: 'analyst', body: { tags }, status: 200 });
        const after = await api.get('/api/store', storeInfoSchema);
        expect(after.stats.tags).toBe(before.stats.tags + 1);
        const onNode = await api.get(`/api/nodes/address/${seed}/tags`, tagListSchema);
        expect(onNode.tags).toContainEqual(expect.objectContaining({ label: 'Seized site deposit', source: 'case-wtv seizure report' }));
      });
    });

    describe('session and documents', () => {
      it('tells the caller who they are, and which store is served', async () => {
        expect(await api.get('/api/session', sessionSchema, { as: 'analyst' })).toEqual({ tokenId: api.tokenIdOf.analyst, role: 'analyst', label: 'analyst test' });
        const info = await api.get('/api/store', storeInfoSchema);
        expect(info.kind).toBe(store.info().kind);
        expect(info.stats).toEqual(await store.stats());
        expect(info.stats.transactions).toBeGreaterThanOrEqual(world.oracle.txs.size);
      });

      it('serves an OpenAPI 3 document whose schemas describe the wire form (sums as decimal strings)', async () => {
        const document = (await api.call('GET', '/api/openapi.json')).json as {
          openapi: string;
          paths: Record<string, Record<string, { responses: Record<string, { content: { 'application/json': { schema: { properties: Record<string, { type?: string; pattern?: string }> } } } }> }>>;
        };
        expect(document.openapi).toMatch(/^3\.0\./);
        const summary = document.paths['/api/addresses/{address}']!['get']!.responses['200']!.content['application/json'].schema;
        expect(summary.properties['received']).toMatchObject({ type: 'string', pattern: '^-?\\d{1,20}$' });
        expect(Object.keys(document.paths['/api/cases/{caseId}/annotations']!).sort()).toEqual(['get', 'post']);
      });
    });
  });
}
