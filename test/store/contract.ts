/**
 * The GraphStore contract: one suite every store passes (SQLite in sqlite.test.ts, Neo4j in
 * neo4j.test.ts). It loads real mainnet blocks and checks every read against answers
 * computed from the parsed blocks by ChainOracle, never from a store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClusterLinkRecord,
  GraphPath,
  GraphStore,
  Neighbour,
  NodeRef,
  StoredTx,
  TxWrite,
} from '@chaintrail/store';
import { ChainOracle, type OracleEdge } from './chain-oracle.js';
import { block2019Jan, firstBlocks, type LoadedBlock } from './block-fixtures.js';
import { describeCrashSafety, type CrashOptions } from './contract-crash.js';
import { describeHostileInput } from './contract-hostile.js';
import { describeCaseRecords } from './contract-cases.js';
import { describeChainTip, expectedTip } from './contract-chain-tip.js';
import { describeScenarioWorld } from './contract-scenario.js';
import { allPages, withFreshStore } from './store-helpers.js';

export interface ContractOptions {
  /** Enables the crash-safety section: a child process opens the store by this spec and is killed mid-batch. */
  readonly crash?: CrashOptions;
}

/** The first person-to-person payment, block 170 (Satoshi to Hal Finney). */
const block170Payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';

let blocks: { early: LoadedBlock[]; jan2019: LoadedBlock } | undefined;
/** Parsed once per test file; both fixtures together are about 3,500 transactions. */
export function realBlocks(): { early: LoadedBlock[]; jan2019: LoadedBlock; writes: TxWrite[] } {
  blocks ??= { early: firstBlocks(), jan2019: block2019Jan() };
  return { ...blocks, writes: [...blocks.early.flatMap((b) => b.writes), ...blocks.jan2019.writes] };
}

export function describeGraphStoreContract(name: string, openFresh: () => Promise<GraphStore>, options: ContractOptions = {}): void {
  describe(`GraphStore contract: ${name}`, () => {
    describeRealBlocks(openFresh);
    describeScenarioWorld(openFresh);
    describeWriteOrder(openFresh);
    describeChainTip(openFresh, () => realBlocks().early);
    describeCaseRecords(openFresh);
    describeHostileInput(openFresh);
    describeTypedErrors(openFresh);
    if (options.crash) describeCrashSafety(options.crash);
  });
}

function describeRealBlocks(openFresh: () => Promise<GraphStore>): void {
  describe('real blocks 0-589 and 556977', () => {
    let store: GraphStore;
    let oracle: ChainOracle;
    let early: LoadedBlock[];
    let jan2019: LoadedBlock;
    let earlyAddresses: string[];

    beforeAll(async () => {
      const data = realBlocks();
      early = data.early;
      jan2019 = data.jan2019;
      oracle = new ChainOracle(data.writes);
      store = await openFresh();
      const earlyWrites = early.flatMap((b) => b.writes);
      for (let i = 0; i < earlyWrites.length; i += 100) await store.writeTransactions(earlyWrites.slice(i, i + 100));
      await store.writeTransactions(jan2019.writes);
      await store.writeBlockHeaders([...early.map((b) => b.header), jan2019.header]);
      earlyAddresses = [...new Set(earlyWrites.flatMap((w) => w.tx.outputs.map((o) => o.address)).filter((a): a is string => a !== null))].sort();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('stores each transaction, output and address once', async () => {
      const stats = await store.stats();
      expect(stats.transactions).toBe(oracle.txs.size);
      expect(stats.outputs).toBe(oracle.outputs.size);
      expect(stats.addresses).toBe(oracle.addresses().length);
      expect(stats.blockHeaders).toBe(early.length + 1);
    });

    it('writing the same transactions again changes nothing', async () => {
      const before = await store.stats();
      const summaryBefore = await store.addressSummary(earlyAddresses[0]!);
      const again = await store.writeTransactions(early.flatMap((b) => b.writes).slice(0, 300));
      expect(again.transactions).toBe(0);
      expect(await store.stats()).toEqual(before);
      expect(await store.addressSummary(earlyAddresses[0]!)).toEqual(summaryBefore);
    });

    it('returns the block-170 payment with its input resolved to the block-9 coinbase output', async () => {
      const tx = await store.getTransaction(block170Payment);
      const parsed = oracle.txs.get(block170Payment)!;
      const spent = oracle.spentOutput(block170Payment, 0)!;
      expect(tx.placement).toEqual(parsed.write.placement);
      expect(tx.inputs).toHaveLength(1);
      expect(tx.inputs[0]).toMatchObject({ resolved: true, address: spent.address, value: spent.value, coinbase: false });
      expect(oracle.txs.get(spent.txid)!.height).toBe(9);
      expect(tx.outputs.map((o) => [o.address, o.value])).toEqual(parsed.write.tx.outputs.map((o) => [o.address, o.value]));
      expect(tx.fee).toBe(0n);
    });

    it('returns every transaction with raw hex, placement, resolved inputs, outputs and their spenders', async () => {
      const sample = [...early.flatMap((b) => b.writes), ...jan2019.writes.filter((_w, i) => i % 25 === 0)];
      for (const write of sample) expectStoredTx(await store.getTransaction(write.tx.txid), write, oracle);
    });

    it('leaves inputs unresolved, and the fee unknown, while their parents are not stored', async () => {
      const child = jan2019.writes.find((w) => !w.tx.isCoinbase && w.tx.inputs.every((i) => !oracle.txs.has(i.prevout.txid)))!;
      const tx = await store.getTransaction(child.tx.txid);
      expect(tx.inputs.every((i) => !i.resolved && i.address === null && i.value === null)).toBe(true);
      expect(tx.fee).toBeNull();
      expect((await store.neighbours({ kind: 'tx', id: child.tx.txid }, { direction: 'in', limit: 100 })).neighbours).toEqual([]);
    });

    it('lists the parents it lacks, paged', async () => {
      const expected = oracle.missingParents();
      expect(await allPages((cursor) => store.missingParents({ limit: 997, cursor }))).toEqual(expected);
    });

    it('answers which transactions it holds', async () => {
      const unknown = 'ab'.repeat(32);
      expect(await store.hasTransactions([block170Payment, unknown, jan2019.writes[5]!.tx.txid])).toEqual([block170Payment, jan2019.writes[5]!.tx.txid]);
    });

    it('summarises addresses with totals, counts and first/last seen computed from the blocks', async () => {
      const jan2019Addresses = oracle.addresses().filter((a) => !earlyAddresses.includes(a)).filter((_a, i) => i % 20 === 0);
      for (const address of [...earlyAddresses, ...jan2019Addresses]) {
        const summary = await store.addressSummary(address);
        expect({ ...summary }, address).toEqual({
          address,
          scriptType: oracle.scriptTypeOf(address),
          entityId: null,
          ...oracle.totals(new Set([address])),
        });
      }
    });

    it('pages an address history in chain order, forwards and backwards', async () => {
      const busiest = earlyAddresses.reduce((best, a) => (oracle.history(a).length > oracle.history(best).length ? a : best));
      const expected = oracle.history(busiest);
      expect(expected.length).toBeGreaterThan(3);
      for (const order of ['asc', 'desc'] as const) {
        const entries = await allPages(async (cursor) => {
          const page = await store.addressHistory(busiest, { limit: 2, cursor, order });
          expect(page.items.length).toBeLessThanOrEqual(2);
          return page;
        });
        const want = order === 'asc' ? expected : [...expected].reverse();
        expect(entries.map((e) => ({ txid: e.txid, received: e.received, sent: e.sent }))).toEqual(want);
        for (const entry of entries) expect(entry.height).toBe(oracle.txs.get(entry.txid)!.height);
      }
    });

    it("pages an address's outputs in chain order, the unspent ones alone on request", async () => {
      const address = earlyAddresses.find((a) => oracle.outputsOf(new Set([a])).length >= 3 && oracle.totals(new Set([a])).unspentCount > 0)!;
      const expected = oracle
        .outputsOf(new Set([address]))
        .sort((a, b) => oracle.txs.get(a.txid)!.height! - oracle.txs.get(b.txid)!.height! || a.vout - b.vout);
      for (const unspentOnly of [false, true]) {
        const outputs = await allPages((cursor) => store.addressOutputs(address, { limit: 1, cursor, unspentOnly }));
        const got = outputs.map((o) => ({ txid: o.txid, vout: o.vout, value: o.value, spent: o.spentBy !== null }));
        const want = expected
          .map((o) => ({ txid: o.txid, vout: o.vout, value: o.value, spent: oracle.spenders.has(`${o.txid}:${o.vout}`) }))
          .filter((o) => !unspentOnly || !o.spent);
        expect(got).toEqual(want);
      }
    });

    it('expands addresses and transactions to their neighbours in both directions', async () => {
      const txids = [...early.flatMap((b) => b.writes), ...jan2019.writes.filter((_w, i) => i % 50 === 0)].map((w) => w.tx.txid);
      for (const address of earlyAddresses.filter((_a, i) => i % 3 === 0)) {
        for (const direction of ['in', 'out', 'both'] as const) {
          const result = await store.neighbours({ kind: 'address', id: address }, { direction, limit: 10_000 });
          expect(result.truncated).toBe(false);
          expectNeighbours(result.neighbours, oracle.addressEdges(address), direction, oracle);
        }
      }
      for (const txid of txids) {
        const result = await store.neighbours({ kind: 'tx', id: txid }, { direction: 'both', limit: 10_000 });
        expectNeighbours(result.neighbours, oracle.txEdges(txid), 'both', oracle);
      }
    });

    it('filters neighbours by minimum value and time window, orders them, and cuts at the limit', async () => {
      const address = earlyAddresses.reduce((best, a) => (oracle.addressEdges(a).length > oracle.addressEdges(best).length ? a : best));
      const all = oracle.addressEdges(address);
      const times = all.map((e) => oracle.txs.get([...e.txids][0]!)!.time!).sort((a, b) => a - b);
      const fromTime = times[1]!;
      const toTime = times.at(-2)!;
      const minValue = all.map((e) => e.value).sort((a, b) => (a < b ? -1 : 1))[Math.floor(all.length / 2)]!;
      const filtered = await store.neighbours({ kind: 'address', id: address }, { direction: 'both', limit: 1000, minValue, fromTime, toTime });
      const wanted = all.filter((e) => {
        const time = oracle.txs.get([...e.txids][0]!)!.time!;
        return e.value >= minValue && time >= fromTime && time <= toTime;
      });
      expectNeighbours(filtered.neighbours, wanted, 'both', oracle);

      const byValue = await store.neighbours({ kind: 'address', id: address }, { direction: 'both', limit: 2, order: 'value' });
      expect(byValue.truncated).toBe(true);
      const topValues = all.map((e) => e.value).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)).slice(0, 2);
      expect(byValue.neighbours.map((n) => n.value)).toEqual(topValues);

      const byTime = await store.neighbours({ kind: 'address', id: address }, { direction: 'both', limit: 3 });
      expect(byTime.truncated).toBe(true);
      expect(byTime.neighbours.map((n) => n.firstTime)).toEqual(times.slice(0, 3));
    });

    it('finds shortest address paths following the money, and none beyond the hop limit', async () => {
      const next = (direction: 'in' | 'out') => (a: string) => oracle.addressHops(a, direction).map((h) => h.to);
      const starts = earlyAddresses.filter((a) => oracle.addressHops(a, 'out').length > 0).slice(0, 6);
      let checked = 0;
      for (const from of starts) {
        const reachable = earlyAddresses.filter((to) => to !== from);
        for (const to of reachable.filter((_t, i) => i % 7 === 0)) {
          const hops = ChainOracle.shortestHops(from, to, 4, next('out'));
          const path = await store.shortestPath({ kind: 'address', id: from }, { kind: 'address', id: to }, { maxHops: 4, direction: 'out' });
          if (hops === null) {
            expect(path, `${from} → ${to}`).toBeNull();
            continue;
          }
          checked++;
          expect(path?.hops.length, `${from} → ${to}`).toBe(hops);
          expectAddressPath(path!, from, to, 'out', oracle);
          const back = await store.shortestPath({ kind: 'address', id: to }, { kind: 'address', id: from }, { maxHops: 4, direction: 'in' });
          expect(back?.hops.length).toBe(hops);
          expectAddressPath(back!, to, from, 'in', oracle);
        }
      }
      expect(checked).toBeGreaterThan(0);
    });

    it('returns block headers by hash and by height', async () => {
      for (const loaded of [early[0]!, early[170]!, jan2019]) {
        expect(await store.blockHeader(loaded.header.hash)).toEqual(loaded.header);
        expect(await store.blockHeader(loaded.height)).toEqual(loaded.header);
      }
    });

    it('names block 589 as the chain tip: block 556977 is stored without its parent', async () => {
      const expected = expectedTip([...early.map((b) => b.header), jan2019.header]);
      expect(expected?.height).toBe(589);
      expect(await store.chainTip()).toEqual(expected);
    });

    describeEntities(() => ({ store, oracle, addresses: earlyAddresses }));
    describeTags(() => ({ store, oracle, addresses: earlyAddresses }));
  });
}

/**
 * Entities here are an arbitrary but fixed grouping of real addresses: the store must
 * aggregate whatever clustering it is given, so the grouping need not be a heuristic's.
 */
function describeEntities(context: () => { store: GraphStore; oracle: ChainOracle; addresses: string[] }): void {
  describe('entities', () => {
    const entityOf = new Map<string, string>();
    const members = new Map<string, string[]>();
    const links: ClusterLinkRecord[] = [];

    beforeAll(async () => {
      const { store, oracle, addresses } = context();
      addresses.forEach((address, i) => {
        if (i % 5 === 4) return; // left unclustered
        const entity = `entity-${i % 7}`;
        entityOf.set(address, entity);
        members.set(entity, [...(members.get(entity) ?? []), address]);
      });
      for (const list of members.values()) {
        for (let i = 1; i < list.length; i++) {
          links.push({ a: list[i - 1]!, b: list[i]!, heuristic: 'contract-chain', confidence: 90, txid: oracle.history(list[i]!)[0]!.txid });
        }
      }
      await store.writeClustering({ assignments: [...entityOf].map(([address, entityId]) => ({ address, entityId })), links });
      await store.writeEntityLabels([{ entityId: 'entity-3', label: 'Contract Exchange', category: 'exchange' }]);
    });

    it('summarises entities: size, label and totals of their members', async () => {
      const { store, oracle } = context();
      for (const [id, list] of members) {
        const entity = await store.getEntity(id);
        const totals = oracle.totals(new Set(list));
        expect(entity).toEqual({
          id,
          size: list.length,
          label: id === 'entity-3' ? 'Contract Exchange' : null,
          category: id === 'entity-3' ? 'exchange' : null,
          received: totals.received,
          sent: totals.sent,
          firstSeen: totals.firstSeen,
          lastSeen: totals.lastSeen,
        });
        expect((await store.addressSummary(list[0]!)).entityId).toBe(id);
      }
    });

    it('pages entity members in address order', async () => {
      const { store } = context();
      const list = members.get('entity-2')!;
      expect(await allPages((cursor) => store.entityMembers('entity-2', { limit: 7, cursor }))).toEqual([...list].sort());
    });

    it('explains why two addresses are one entity with a chain of links and their transactions', async () => {
      const { store } = context();
      const list = members.get('entity-1')!;
      const [a, b] = [list[0]!, list.at(-1)!];
      const explanation = await store.explainCluster(a, b);
      expect(explanation?.entityId).toBe('entity-1');
      expect(explanation!.links).toHaveLength(list.length - 1);
      let at = a;
      for (const link of explanation!.links) {
        expect(links).toContainEqual(link);
        expect([link.a, link.b]).toContain(at);
        at = link.a === at ? link.b : link.a;
      }
      expect(at).toBe(b);
      expect(await store.explainCluster(a, members.get('entity-2')![0]!)).toBeNull();
    });

    it('expands entities to the entities and unclustered addresses they paid and were paid by', async () => {
      const { store, oracle } = context();
      for (const [id, list] of members) {
        const result = await store.neighbours({ kind: 'entity', id }, { direction: 'both', limit: 10_000 });
        expectNeighbours(result.neighbours, oracle.memberEdges(new Set(list), entityOf), 'both', oracle);
      }
    });

    it('totals the flow from one entity to another, with its transactions', async () => {
      const { store, oracle } = context();
      for (const from of members.keys()) {
        const edges = oracle.memberEdges(new Set(members.get(from)), entityOf).filter((e) => e.direction === 'out' && e.kind === 'entity');
        for (const to of members.keys()) {
          if (to === from) continue;
          const edge = edges.find((e) => e.id === to);
          const flow = await store.entityFlow(from, to, { txLimit: 1000 });
          expect(flow.value).toBe(edge?.value ?? 0n);
          expect(flow.txCount).toBe(edge?.txids.size ?? 0);
          expect(new Set(flow.txids)).toEqual(edge?.txids ?? new Set());
        }
      }
    });

    it('finds shortest entity-level paths', async () => {
      const { store, oracle } = context();
      const nodeKey = (n: { kind: string; id: string }) => `${n.kind}|${n.id}`;
      const membersOf = (key: string) => {
        const [kind, id] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
        return new Set(kind === 'entity' ? members.get(id) : [id]);
      };
      const next = (key: string) => oracle.memberEdges(membersOf(key), entityOf).filter((e) => e.direction === 'out').map(nodeKey);
      let found = 0;
      for (const from of members.keys()) {
        for (const to of members.keys()) {
          if (from === to) continue;
          const hops = ChainOracle.shortestHops(`entity|${from}`, `entity|${to}`, 3, next);
          const path = await store.shortestPath({ kind: 'entity', id: from }, { kind: 'entity', id: to }, { maxHops: 3, direction: 'out' });
          expect(path?.hops.length ?? null, `${from} → ${to}`).toBe(hops);
          if (!path) continue;
          found++;
          for (const hop of path.hops) {
            const edge = oracle.memberEdges(membersOf(nodeKey(hop.from)), entityOf).find((e) => e.direction === 'out' && nodeKey(e) === nodeKey(hop.to));
            expect(hop.value).toBe(edge?.value);
            expect(hop.direction).toBe('out');
          }
        }
      }
      expect(found).toBeGreaterThan(0);
    });

    it('records CoinJoin verdicts on transactions and counts entities and links', async () => {
      const { store } = context();
      await store.writeClustering({ assignments: [], links: [], coinjoins: [{ txid: block170Payment, rule: 'contract-rule' }] });
      expect((await store.getTransaction(block170Payment)).coinjoin).toBe('contract-rule');
      const stats = await store.stats();
      expect(stats.entities).toBe(members.size);
      expect(stats.clusterLinks).toBe(links.length);
    });
  });
}

function describeTags(context: () => { store: GraphStore; oracle: ChainOracle; addresses: string[] }): void {
  describe('tags and search', () => {
    it('keeps tags idempotent by address, label and source, with their provenance', async () => {
      const { store, addresses } = context();
      const [first, second] = [addresses[0]!, addresses[1]!];
      const tag = { address: first, label: 'Satoshi Nakamoto', category: 'perpetrator', source: 'contract-pack', confidence: 'forensic_investigation', url: 'https://example.org/tag', lastmod: '2024-01-02', abuse: null, actor: 'satoshi', context: '{"note":"genesis"}' };
      await store.writeTags([tag, { ...tag, source: 'other-pack', confidence: 'web_crawl' }, { ...tag, address: second, label: 'Early miner', source: 'contract-pack' }]);
      await store.writeTags([{ ...tag, category: 'miner' }]);
      const tags = await store.tagsByAddress(first);
      expect(tags).toEqual([
        { ...tag, category: 'miner' },
        { ...tag, source: 'other-pack', confidence: 'web_crawl' },
      ]);
      expect(await store.tagsByAddress('1NotTaggedAnywhere')).toEqual([]);
      expect((await store.stats()).tags).toBe(3);
    });

    it('finds addresses by prefix, transactions by txid prefix and tags by label, case-insensitively', async () => {
      const { store, oracle, addresses } = context();
      const address = addresses[2]!;
      const prefix = address.slice(0, 6);
      const byAddress = await store.search({ text: prefix, limit: 50 });
      const expectedAddresses = oracle.addresses().filter((a) => a.startsWith(prefix));
      expect(byAddress.filter((r) => r.kind === 'address').map((r) => (r.kind === 'address' ? r.address : ''))).toEqual(expectedAddresses.slice(0, 50));

      const byTxid = await store.search({ text: block170Payment.slice(0, 7).toUpperCase(), limit: 10 });
      const expectedTxids = [...oracle.txs.keys()].filter((t) => t.startsWith(block170Payment.slice(0, 7))).sort();
      expect(byTxid.filter((r) => r.kind === 'tx')).toEqual(expectedTxids.map((txid) => ({ kind: 'tx', txid })));

      const byLabel = await store.search({ text: 'nakaMOTO', limit: 10 });
      expect(byLabel.filter((r) => r.kind === 'tag')).toEqual([
        { kind: 'tag', address: addresses[0], label: 'Satoshi Nakamoto', category: 'miner', source: 'contract-pack' },
        { kind: 'tag', address: addresses[0], label: 'Satoshi Nakamoto', category: 'perpetrator', source: 'other-pack' },
      ]);
      expect(await store.search({ text: 'contract exch', limit: 10 })).toContainEqual({ kind: 'entity', entityId: 'entity-3', label: 'Contract Exchange' });
      expect(await store.search({ text: 'zz-no-such-thing', limit: 10 })).toEqual([]);
    });

    it("lists an entity's tags through its members", async () => {
      const { store, addresses } = context();
      const entityId = (await store.addressSummary(addresses[1]!)).entityId!;
      const tags = await store.tagsByEntity(entityId);
      expect(tags.map((t) => [t.address, t.label])).toEqual([[addresses[1], 'Early miner']]);
    });
  });
}

function describeWriteOrder(openFresh: () => Promise<GraphStore>): void {
  describe('write order', () => {
    it('gives the same store when children are written before their parents, in small batches', async () => {
      const { early } = realBlocks();
      const writes = early.flatMap((b) => b.writes);
      const oracle = new ChainOracle(writes);
      await withFreshStore(openFresh, async (store) => {
        const reversed = [...writes].reverse();
        for (let i = 0; i < reversed.length; i += 7) await store.writeTransactions(reversed.slice(i, i + 7));
        expect((await store.missingParents({ limit: 10 })).items).toEqual([]);
        for (const address of oracle.addresses()) {
          expect(await store.addressSummary(address)).toEqual({ address, scriptType: oracle.scriptTypeOf(address), entityId: null, ...oracle.totals(new Set([address])) });
        }
        for (const write of writes) expectStoredTx(await store.getTransaction(write.tx.txid), write, oracle);
      });
    });

    it('confirms a transaction first stored unconfirmed when it is written again with its block', async () => {
      const { early } = realBlocks();
      const write = early[170]!.writes[1]!;
      await withFreshStore(openFresh, async (store) => {
        await store.writeTransactions([{ tx: write.tx, raw: write.raw }]);
        const pending = await store.getTransaction(write.tx.txid);
        expect(pending.placement).toBeNull();
        expect(await store.writeTransactions([write])).toEqual({ transactions: 0 });
        expect((await store.getTransaction(write.tx.txid)).placement).toEqual(write.placement);
      });
    });

    it('replaces a clustering run whole: old assignments, links and CoinJoin verdicts are dropped', async () => {
      const { early } = realBlocks();
      const writes = early.slice(0, 200).flatMap((b) => b.writes);
      const [a, b, c] = writes.slice(0, 3).map((w) => w.tx.outputs[0]!.address!);
      await withFreshStore(openFresh, async (store) => {
        await store.writeTransactions(writes);
        const txid = writes[0]!.tx.txid;
        await store.writeClustering({
          assignments: [{ address: a!, entityId: 'old' }, { address: b!, entityId: 'old' }],
          links: [{ a: a!, b: b!, heuristic: 'cioh', confidence: 100, txid }],
          coinjoins: [{ txid, rule: 'generic' }],
        });
        await store.writeClustering({ mode: 'replace', assignments: [{ address: b!, entityId: 'new' }, { address: c!, entityId: 'new' }], links: [{ a: b!, b: c!, heuristic: 'cioh', confidence: 100, txid }] });
        expect((await store.addressSummary(a!)).entityId).toBeNull();
        expect((await store.getEntity('new')).size).toBe(2);
        await expect(store.getEntity('old')).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_FOUND' });
        expect((await store.getTransaction(txid)).coinjoin).toBeNull();
        expect((await store.stats()).clusterLinks).toBe(1);
      });
    });

    it('stores a batch whole: one bad transaction rejects the batch and stores none of it', async () => {
      const { early } = realBlocks();
      const writes = early.slice(0, 20).flatMap((b) => b.writes);
      await withFreshStore(openFresh, async (store) => {
        const bad = { ...writes[5]!, raw: 'not hex' };
        await expect(store.writeTransactions([...writes.slice(0, 5), bad, ...writes.slice(6)])).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_QUERY' });
        expect((await store.stats()).transactions).toBe(0);
      });
    });
  });
}

function describeTypedErrors(openFresh: () => Promise<GraphStore>): void {
  describe('typed errors', () => {
    it('rejects malformed txids, unknown keys, bad limits and use after close with stable codes', async () => {
      const { early } = realBlocks();
      const store = await openFresh();
      await store.writeTransactions(early.slice(0, 10).flatMap((b) => b.writes));
      const cases: [string, () => Promise<unknown>, string][] = [
        ['malformed txid', () => store.getTransaction('xyz'), 'CHAINTRAIL_BAD_TXID'],
        ['txid of 63 digits', () => store.getTransaction('a'.repeat(63)), 'CHAINTRAIL_BAD_TXID'],
        ['malformed txid in a node', () => store.neighbours({ kind: 'tx', id: "1' OR '1'='1" }, { direction: 'both', limit: 5 }), 'CHAINTRAIL_BAD_TXID'],
        ['unknown transaction', () => store.getTransaction('00'.repeat(32)), 'CHAINTRAIL_NOT_FOUND'],
        ['unknown address', () => store.addressSummary('1UnknownAddressxxxxxxxxxxxxxxxxxx'), 'CHAINTRAIL_NOT_FOUND'],
        ['unknown address history', () => store.addressHistory('1Unknown', { limit: 5 }), 'CHAINTRAIL_NOT_FOUND'],
        ['unknown address neighbours', () => store.neighbours({ kind: 'address', id: '1Unknown' }, { direction: 'in', limit: 5 }), 'CHAINTRAIL_NOT_FOUND'],
        ['unknown entity', () => store.getEntity('no-such-entity'), 'CHAINTRAIL_NOT_FOUND'],
        ['unknown case', () => store.getCase('no-such-case'), 'CHAINTRAIL_NOT_FOUND'],
        ['unknown block', () => store.blockHeader(999_999), 'CHAINTRAIL_NOT_FOUND'],
        ['zero limit', () => store.missingParents({ limit: 0 }), 'CHAINTRAIL_BAD_QUERY'],
        ['huge limit', () => store.search({ text: '1', limit: 1e9 }), 'CHAINTRAIL_BAD_QUERY'],
        ['forged cursor', () => store.addressHistory(early[9]!.writes[0]!.tx.outputs[0]!.address!, { limit: 5, cursor: 'DROP TABLE txs' }), 'CHAINTRAIL_BAD_QUERY'],
        ['path between a tx and an address', () => store.shortestPath({ kind: 'tx', id: early[1]!.writes[0]!.tx.txid }, { kind: 'address', id: 'x' }, { maxHops: 2, direction: 'out' }), 'CHAINTRAIL_BAD_QUERY'],
        ['too many hops', () => store.shortestPath({ kind: 'address', id: 'a' }, { kind: 'address', id: 'b' }, { maxHops: 99, direction: 'out' }), 'CHAINTRAIL_BAD_QUERY'],
      ];
      for (const [what, call, code] of cases) await expect(call(), what).rejects.toMatchObject({ code });
      await store.close();
      await expect(store.getTransaction(early[1]!.writes[0]!.tx.txid)).rejects.toMatchObject({ code: 'CHAINTRAIL_STORE_CLOSED' });
    });
  });
}

function expectStoredTx(stored: StoredTx, write: TxWrite, oracle: ChainOracle): void {
  const { tx } = write;
  expect(stored.txid).toBe(tx.txid);
  expect(stored.wtxid).toBe(tx.wtxid);
  expect(stored.raw).toBe(write.raw.toLowerCase());
  expect(stored.placement).toEqual(write.placement ?? null);
  expect([stored.version, stored.locktime, stored.isCoinbase, stored.hasWitness, stored.size, stored.weight, stored.vsize]).toEqual([
    tx.version,
    tx.locktime,
    tx.isCoinbase,
    tx.hasWitness,
    tx.size,
    tx.weight,
    tx.vsize,
  ]);
  expect(stored.outputs).toEqual(
    tx.outputs.map((o, vout) => ({
      txid: tx.txid,
      vout,
      value: o.value,
      scriptType: o.scriptType,
      scriptPubKey: o.scriptPubKey,
      address: o.address,
      spentBy: oracle.spenders.get(`${tx.txid}:${vout}`) ?? null,
    })),
  );
  expect(stored.inputs).toEqual(
    tx.inputs.map((input, vin) => {
      const spent = oracle.spentOutput(tx.txid, vin);
      return {
        vin,
        prevout: input.prevout,
        sequence: input.sequence,
        coinbase: tx.isCoinbase,
        resolved: spent !== undefined,
        address: spent?.address ?? null,
        value: spent?.value ?? null,
        scriptType: spent?.scriptType ?? null,
      };
    }),
  );
  expect(stored.fee).toBe(oracle.fee(tx.txid));
}

/** Same neighbours as the oracle's (as a set), in the documented order (by first time). */
function expectNeighbours(got: Neighbour[], edges: OracleEdge[], direction: 'in' | 'out' | 'both', oracle: ChainOracle): void {
  const times = (txids: Set<string>) => [...txids].map((t) => oracle.txs.get(t)!.time).filter((t): t is number => t !== null);
  const key = (n: { direction: string; kind: string; id: string }) => `${n.direction}|${n.kind}|${n.id}`;
  const want = edges
    .filter((e) => direction === 'both' || e.direction === direction)
    .map((e) => ({
      key: key(e),
      value: e.value,
      txCount: e.txids.size,
      firstTime: times(e.txids).length ? Math.min(...times(e.txids)) : null,
      lastTime: times(e.txids).length ? Math.max(...times(e.txids)) : null,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const have = got
    .map((n) => ({ key: key({ direction: n.direction, ...n.node }), value: n.value, txCount: n.txCount, firstTime: n.firstTime, lastTime: n.lastTime }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  expect(have).toEqual(want);
  for (let i = 1; i < got.length; i++) expect((got[i - 1]!.firstTime ?? Infinity) <= (got[i]!.firstTime ?? Infinity)).toBe(true);
}

/** Every hop of the path is a real one: the money moved between the two addresses in that tx. */
function expectAddressPath(path: GraphPath, from: string, to: string, direction: 'in' | 'out', oracle: ChainOracle): void {
  expect(path.nodes[0]).toEqual<NodeRef>({ kind: 'address', id: from });
  expect(path.nodes.at(-1)).toEqual<NodeRef>({ kind: 'address', id: to });
  path.hops.forEach((hop, i) => {
    expect(hop.from).toEqual(path.nodes[i]);
    expect(hop.to).toEqual(path.nodes[i + 1]);
    expect(hop.direction).toBe(direction);
    const real = oracle.addressHops(hop.from.id, direction).find((h) => h.to === hop.to.id && h.txid === hop.txid);
    expect(real, `hop ${hop.from.id} → ${hop.to.id} in ${hop.txid}`).toBeDefined();
    expect(hop.value).toBe(real!.value);
  });
}
