import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { Clusterer } from './clusterer.js';
import type { ResolvedTx } from './resolved-tx.js';
import { entityIdFor } from './entity-id.js';
import fixtures from './fixtures/coinjoin.json' with { type: 'json' };
import { resolvedFromFixture, type FixtureTx } from './fixtures/fixture-tx.js';
import { shuffled, walletWorld } from './fixtures/wallet-world.js';

/** A transaction spending one output from each input address and paying the outputs given. */
function tx(txid: string, inputs: string[], outputs: Array<[string, number]> = [['payee-of-' + txid, 1_000]], fundingTxid = 'fund'): ResolvedTx {
  return {
    txid,
    blockHeight: 700_000,
    locktime: 0,
    isCoinbase: false,
    inputs: inputs.map((address, i) => ({ txid: `${fundingTxid}-${txid}-${i}`, vout: 0, address, value: 50_000, scriptType: 'p2wpkh' as const })),
    outputs: outputs.map(([address, value]) => ({ address, value, scriptType: 'p2wpkh' as const })),
  };
}

function assignments(c: Clusterer): Map<string, string> {
  return new Map([...c.assignments()].map((a) => [a.address, a.entityId]));
}

describe('common-input ownership', () => {
  test('joins the inputs of a transaction and keeps one link per joined address', () => {
    const c = new Clusterer();
    const batch = c.add([tx('t1', ['A', 'B', 'C', 'B'])]);
    expect(batch.links.map((l) => [l.a, l.b, l.heuristic, l.txid])).toEqual([
      ['A', 'B', 'cioh', 't1'],
      ['A', 'C', 'cioh', 't1'],
    ]);
    expect(c.membersOf('C')).toEqual(['A', 'B', 'C']);
    expect(c.entityOf('payee-of-t1')).not.toBe(c.entityOf('A'));
    expect(c.entityCount).toBe(2);
  });

  test('links a P2SH input to the address its redeem script wraps', () => {
    const c = new Clusterer();
    const t: ResolvedTx = { ...tx('t1', ['3P2sh']), inputs: [{ txid: 'f', vout: 0, address: '3P2sh', value: 1, scriptType: 'p2sh', wrappedAddress: 'bc1qinner' }] };
    const batch = c.add([t]);
    expect(batch.links.map((l) => [l.a, l.b, l.heuristic])).toEqual([['3P2sh', 'bc1qinner', 'cioh:p2sh-wrapped']]);
  });

  test('links nothing in a coinbase or in a CoinJoin, and stores the CoinJoin verdict', () => {
    const whirlpool = (fixtures.cases as unknown as Array<{ name: string; tx: FixtureTx }>).find((x) => x.name.startsWith('Whirlpool 0.01'))!;
    const mix = resolvedFromFixture(whirlpool.tx);
    const c = new Clusterer();
    const batch = c.add([mix]);
    expect(batch.links).toEqual([]);
    expect(batch.verdicts.map((v) => [v.txid, v.rule])).toEqual([[mix.txid, 'whirlpool']]);
    expect(c.coinjoinVerdict(mix.txid)?.isCoinJoin).toBe(true);
    const postMix = tx('spend-mix', [mix.outputs[0]!.address!, mix.outputs[1]!.address!]);
    const spend: ResolvedTx = { ...postMix, inputs: postMix.inputs.map((i, vout) => ({ ...i, txid: mix.txid, vout })) };
    expect(c.add([spend]).postMix).toEqual(['spend-mix']);
  });

  test('skips transactions it has seen: feeding a batch twice changes nothing', () => {
    const c = new Clusterer();
    c.add([tx('t1', ['A', 'B']), tx('t2', ['B', 'C'])]);
    const again = c.add([tx('t2', ['B', 'C']), tx('t1', ['A', 'B'])]);
    expect(again).toMatchObject({ processed: 0, alreadySeen: 2, links: [], merges: 0 });
    expect([...c.links()].length).toBe(2);
  });
});

describe('entity ids', () => {
  test('are E and the first 96 bits of SHA-256 of the anchor address in UTF-8', () => {
    for (const anchor of ['bc1qs604c7jv6amk4cxqlnvuxv26hv3e48cds4m0ew', 'script:00', 'адрес-€-😀']) {
      expect(entityIdFor(anchor)).toBe(`E${createHash('sha256').update(anchor, 'utf8').digest('hex').slice(0, 24)}`);
    }
  });

  test('are derived from the smallest member address', () => {
    const c = new Clusterer();
    c.add([tx('t1', ['m', 'k', 'z'])]);
    expect(c.entityOf('z')).toBe(entityIdFor('k'));
    expect(entityIdFor('k')).toMatch(/^E[0-9a-f]{24}$/);
  });

  test('are the same whatever the order and batching of the transactions', () => {
    const world = walletWorld(7, 40, 600);
    const once = new Clusterer();
    once.add(world.txs);
    const expected = assignments(once);
    for (const seed of [1, 2, 3]) {
      const order = shuffled(world.txs, seed);
      const inBatches = new Clusterer();
      for (let i = 0; i < order.length; i += 37) inBatches.add(order.slice(i, i + 37));
      expect(assignments(inBatches)).toEqual(expected);
    }
    expect(new Set(expected.values()).size).toBeLessThan(expected.size);
  });

  test('common-input ownership never joins two wallets of the generated world', () => {
    const world = walletWorld(11, 30, 500);
    const c = new Clusterer();
    c.add(world.txs);
    const ownersOf = new Map<string, Set<number>>();
    for (const { address, entityId } of c.assignments()) {
      const owners = ownersOf.get(entityId) ?? new Set();
      owners.add(world.owner.get(address)!);
      ownersOf.set(entityId, owners);
    }
    expect([...ownersOf.values()].every((owners) => owners.size === 1)).toBe(true);
  });

  test('when entities merge, the one whose anchor sorts first keeps its id and the other is reported retired', () => {
    const c = new Clusterer();
    c.add([tx('t1', ['b1', 'b2']), tx('t2', ['a1', 'a2'])]);
    const [idA, idB] = [c.entityOf('a1')!, c.entityOf('b1')!];
    const batch = c.add([tx('t3', ['b2', 'x-new', 'a2'])]);
    expect(c.entityOf('b1')).toBe(idA);
    expect(batch.retired).toEqual([{ entityId: idB, into: idA }]);
    expect(batch.merges).toBe(2);
  });
});

describe('change heuristics', () => {
  const payment = tx('pay', ['A1', 'A2'], [['shop', 1_000_000], ['A-change', 12_345]]);

  test('are off by default', () => {
    const c = new Clusterer();
    c.add([payment]);
    expect(c.entityOf('A-change')).not.toBe(c.entityOf('A1'));
  });

  test('link the change to the payer when switched on, named and with their confidence', () => {
    const c = new Clusterer({ change: ['change:round-value'] });
    const batch = c.add([payment]);
    expect(batch.links.find((l) => l.heuristic === 'change:round-value')).toEqual({ a: 'A1', b: 'A-change', heuristic: 'change:round-value', version: 1, confidence: 30, txid: 'pay' });
    expect(c.entityOf('A-change')).toBe(c.entityOf('A1'));
    expect(c.entityOf('shop')).not.toBe(c.entityOf('A1'));
  });
});

describe('explanations', () => {
  test('give the shortest chain of transactions between two members', () => {
    const c = new Clusterer();
    c.add([tx('t1', ['A', 'B']), tx('t2', ['B', 'C']), tx('t3', ['C', 'D']), tx('t4', ['D', 'E']), tx('t5', ['A', 'E'])]);
    expect(c.explain('A', 'D')!.map((l) => l.txid)).toEqual(['t5', 't4']);
    expect(c.explain('B', 'C')!.map((l) => [l.a, l.b, l.txid])).toEqual([['B', 'C', 't2']]);
    expect(c.explain('A', 'A')).toEqual([]);
  });

  test('are null for addresses of different entities or never seen', () => {
    const c = new Clusterer();
    c.add([tx('t1', ['A', 'B']), tx('t2', ['C', 'D'])]);
    expect(c.explain('A', 'D')).toBeNull();
    expect(c.explain('A', 'nowhere')).toBeNull();
  });
});

describe('super-cluster guard', () => {
  /** Two wallets of `n` addresses each, then one transaction joining them. */
  function twoWalletsAndABridge(): { txs: ResolvedTx[]; bridge: ResolvedTx } {
    const left = Array.from({ length: 6 }, (_, i) => `L${i}`);
    const right = Array.from({ length: 4 }, (_, i) => `R${i}`);
    const txs = [tx('left', left), tx('right', right)];
    return { txs, bridge: tx('bridge', ['L3', 'R2']) };
  }

  test('reports entities that grew past the threshold in a run, with the merging transactions', () => {
    const { txs, bridge } = twoWalletsAndABridge();
    const c = new Clusterer();
    c.add(txs);
    c.beginRun();
    c.add([bridge, tx('small', ['S0', 'S1'])]);
    const report = c.growthReport(8);
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({ entityId: c.entityOf('L0'), size: 10, sizeBefore: 6 });
    expect(report[0]!.merges.map((m) => [m.link.txid, m.sizes])).toEqual([['bridge', [6, 4]]]);
    expect(c.growthReport(8, 5)).toEqual([]);
  });

  test('a veto splits the entity, and the piece holding the anchor keeps the id', () => {
    const { txs, bridge } = twoWalletsAndABridge();
    const c = new Clusterer();
    c.add([...txs, bridge]);
    const merged = c.entityOf('R0')!;
    expect(c.growthReport(8).map((e) => e.entityId)).toEqual([merged]);
    const [split] = c.veto([{ txid: 'bridge', reason: 'exchange deposit, not a co-spend' }]);
    expect(c.growthReport(8)).toEqual([]);
    expect(split).toMatchObject({ entityId: merged, size: 10 });
    expect(split!.vetoedLinks.map((l) => l.txid)).toEqual(['bridge']);
    expect(split!.pieces).toEqual([
      { entityId: entityIdFor('L0'), size: 6 },
      { entityId: entityIdFor('R0'), size: 4 },
    ]);
    expect(c.entityOf('L0')).toBe(merged);
    expect(c.explain('L0', 'R0')).toBeNull();
    expect([...c.links({ includeVetoed: true })].filter((l) => l.vetoed).map((l) => l.txid)).toEqual(['bridge']);
  });

  test('a vetoed link stays out of later batches and later sessions', () => {
    const { txs, bridge } = twoWalletsAndABridge();
    const c = new Clusterer();
    c.add(txs);
    c.veto([{ txid: 'bridge' }]);
    const batch = c.add([bridge]);
    expect(batch.vetoed.map((l) => l.txid)).toEqual(['bridge']);
    expect(c.entityOf('L0')).not.toBe(c.entityOf('R0'));
    const later = new Clusterer({ vetoes: c.vetoes() });
    later.add([bridge, ...txs]);
    expect(later.entityOf('L0')).not.toBe(later.entityOf('R0'));
  });

  test('a veto leaves the entity whole when another link still joins it', () => {
    const { txs, bridge } = twoWalletsAndABridge();
    const c = new Clusterer();
    c.add([...txs, bridge, tx('bridge-2', ['L5', 'R3'])]);
    const [split] = c.veto([{ txid: 'bridge', a: 'L3', b: 'R2' }]);
    expect(split!.pieces).toEqual([{ entityId: entityIdFor('L0'), size: 10 }]);
    expect(c.explain('L3', 'R2')!.map((l) => l.txid)).toContain('bridge-2');
  });
});
