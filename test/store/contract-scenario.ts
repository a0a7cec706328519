/**
 * The contract on a generated scenario world (packages/scenario, 100 users): exchanges,
 * batched withdrawals, site sweeps, peel chains and CoinJoins, which the early mainnet
 * blocks lack. Entities come from common-input ownership computed here on the parsed
 * transactions (CoinJoins excluded by the world's ground truth); every expected value is
 * computed from the blocks by ChainOracle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterLinkRecord, GraphStore, TxWrite } from '@chaintrail/store';
import { ChainOracle } from './chain-oracle.js';
import { scenarioWorld, worldBlocks, worldTruth } from './scenario-world.js';

export function describeScenarioWorld(openFresh: () => Promise<GraphStore>): void {
  describe('scenario world (100 users)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chaintrail-store-world-'));
    let store: GraphStore;
    let oracle: ChainOracle;
    let writes: TxWrite[];
    const entityOf = new Map<string, string>();
    const members = new Map<string, string[]>();
    const links: ClusterLinkRecord[] = [];
    let siteDeposits: string[];
    let exchangeAddresses: Set<string>;

    beforeAll(async () => {
      const world = await scenarioWorld(dir, 100, 11);
      const truth = await worldTruth(world);
      store = await openFresh();
      writes = [];
      for (const block of worldBlocks(world)) {
        await store.writeTransactions(block.writes);
        writes.push(...block.writes);
      }
      oracle = new ChainOracle(writes);
      clusterByCommonInputs(oracle, new Set(truth.transactions.filter((t) => t.coinjoin).map((t) => t.txid)), entityOf, members, links);
      await store.writeClustering({ assignments: [...entityOf].map(([address, entityId]) => ({ address, entityId })), links });
      siteDeposits = truth.addresses.filter((a) => a.role === 'site-deposit').map((a) => a.address);
      exchangeAddresses = new Set(truth.addresses.filter((a) => a.role === 'exchange-hot' || a.role === 'exchange-deposit').map((a) => a.address));
    });
    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('holds every transaction with its inputs resolved and outputs spent as the blocks say', async () => {
      expect((await store.stats()).transactions).toBe(writes.length);
      for (const write of writes) {
        const tx = await store.getTransaction(write.tx.txid);
        expect(tx.fee, write.tx.txid).toBe(oracle.fee(write.tx.txid));
        expect(tx.outputs.map((o) => o.spentBy)).toEqual(write.tx.outputs.map((_o, vout) => oracle.spenders.get(`${write.tx.txid}:${vout}`) ?? null));
      }
      expect((await store.missingParents({ limit: 10 })).items).toEqual(oracle.missingParents().slice(0, 10));
    });

    it('summarises every address as the blocks say', async () => {
      for (const address of oracle.addresses()) {
        expect(await store.addressSummary(address), address).toEqual({
          address,
          scriptType: oracle.scriptTypeOf(address),
          entityId: entityOf.get(address) ?? null,
          ...oracle.totals(new Set([address])),
        });
      }
    });

    it('aggregates common-input entities: totals, flows to other entities and unclustered addresses', async () => {
      const multi = [...members].filter(([, list]) => list.length > 1);
      expect(multi.length).toBeGreaterThan(3);
      for (const [id, list] of multi) {
        const entity = await store.getEntity(id);
        const totals = oracle.totals(new Set(list));
        expect([entity.size, entity.received, entity.sent, entity.firstSeen, entity.lastSeen]).toEqual([list.length, totals.received, totals.sent, totals.firstSeen, totals.lastSeen]);
        const result = await store.neighbours({ kind: 'entity', id }, { direction: 'both', limit: 10_000 });
        const want = oracle.memberEdges(new Set(list), entityOf).map((e) => `${e.direction}|${e.kind}|${e.id}|${e.value}|${e.txids.size}`).sort();
        expect(result.neighbours.map((n) => `${n.direction}|${n.node.kind}|${n.node.id}|${n.value}|${n.txCount}`).sort()).toEqual(want);
      }
    });

    it('explains each entity by transactions whose inputs hold both linked addresses', async () => {
      for (const [id, list] of [...members].filter(([, l]) => l.length > 1)) {
        const explanation = await store.explainCluster(list[0]!, list.at(-1)!);
        expect(explanation?.entityId).toBe(id);
        let at = list[0]!;
        for (const link of explanation!.links) {
          const inputs = oracle.txs.get(link.txid)!.write.tx.inputs.map((_i, vin) => oracle.spentOutput(link.txid, vin)?.address);
          expect(inputs).toContain(link.a);
          expect(inputs).toContain(link.b);
          at = link.a === at ? link.b : link.a;
        }
        expect(at).toBe(list.at(-1));
      }
    });

    it('follows the money from site deposits to exchanges in the fewest hops', async () => {
      const next = (a: string) => oracle.addressHops(a, 'out').map((h) => h.to);
      let found = 0;
      for (const deposit of siteDeposits.slice(0, 12)) {
        const target = [...exchangeAddresses].find((x) => ChainOracle.shortestHops(deposit, x, 6, next) !== null);
        if (!target) continue;
        const hops = ChainOracle.shortestHops(deposit, target, 6, next);
        const path = await store.shortestPath({ kind: 'address', id: deposit }, { kind: 'address', id: target }, { maxHops: 6, direction: 'out' });
        expect(path?.hops.length).toBe(hops);
        for (const hop of path!.hops) {
          expect(oracle.addressHops(hop.from.id, 'out').some((h) => h.to === hop.to.id && h.txid === hop.txid && h.value === hop.value)).toBe(true);
        }
        found++;
      }
      expect(found).toBeGreaterThan(0);
    });
  });
}

/**
 * Common-input ownership (Meiklejohn et al. 2013), written out plainly: every non-CoinJoin
 * transaction links its first input address with each other one.
 */
function clusterByCommonInputs(
  oracle: ChainOracle,
  coinjoins: ReadonlySet<string>,
  entityOf: Map<string, string>,
  members: Map<string, string[]>,
  links: ClusterLinkRecord[],
): void {
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let root = a;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(a, root);
    return root;
  };
  for (const { write } of oracle.txs.values()) {
    const { tx } = write;
    if (tx.isCoinbase || coinjoins.has(tx.txid)) continue;
    const inputs = [...new Set(tx.inputs.map((_i, vin) => oracle.spentOutput(tx.txid, vin)?.address).filter((a): a is string => !!a))];
    for (const address of inputs) if (!parent.has(address)) parent.set(address, address);
    for (const other of inputs.slice(1)) {
      const [ra, rb] = [find(inputs[0]!), find(other)];
      if (ra === rb) continue;
      parent.set(rb, ra);
      links.push({ a: inputs[0]!, b: other, heuristic: 'cioh', confidence: 100, txid: tx.txid });
    }
  }
  for (const address of [...parent.keys()].sort()) {
    const entity = `cioh:${find(address)}`;
    entityOf.set(address, entity);
    members.set(entity, [...(members.get(entity) ?? []), address]);
  }
}
