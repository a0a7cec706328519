/**
 * The flow models of METHODS.md on hand-made transactions in a real SQLite store: the
 * site's 3 BTC and a stranger's 7 BTC meet at one address, which spends them on. Every
 * expected figure follows from the rules by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildFlowReport, type FlowModelResult, type FlowReport } from '@chaintrail/report';
import type { GraphStore } from '@chaintrail/store';
import { BTC, HandWorld, blockHash, blockTime, expectedComputedAt } from './hand-world.js';

let stores: GraphStore[] = [];
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
});

interface Meeting {
  /** Which coin reaches X first. */
  readonly first: 'tainted' | 'clean';
  /** X's spend: input order, and the outputs it pays. */
  readonly inputOrder: readonly ('tainted' | 'clean')[];
  readonly outputs: readonly number[];
}

/**
 * A payer pays the site S 3 BTC; S passes it whole to X; a stranger C pays X 7 BTC; X spends
 * both coins to Y1 (and Y2). S is the origin.
 */
async function meeting(m: Meeting): Promise<{ report: FlowReport; world: HandWorld; spend: string }> {
  const w = new HandWorld();
  const [P, S, X, C] = ['payer', 'site', 'x', 'stranger'].map((n) => w.address(n)) as [string, string, string, string];
  const Y = m.outputs.map((_, i) => w.address(`y${i + 1}`));
  const funds = w.coinbase('payer', [{ to: P, value: 10 * BTC }], 100);
  const payment = w.tx([funds.out(0)], [{ to: S, value: 3 * BTC }, { to: P, value: 7 * BTC - 10_000 }], 101);
  const strangerFunds = w.coinbase('stranger', [{ to: C, value: 7 * BTC }], 101);
  const deliver = (kind: 'tainted' | 'clean', height: number) =>
    kind === 'tainted' ? w.tx([payment.out(0)], [{ to: X, value: 3 * BTC }], height) : w.tx([strangerFunds.out(0)], [{ to: X, value: 7 * BTC }], height);
  const firstTx = deliver(m.first, 102);
  const secondTx = deliver(m.first === 'tainted' ? 'clean' : 'tainted', 103);
  const coinOf = (kind: 'tainted' | 'clean') => ((kind === m.first ? firstTx : secondTx)).out(0);
  const spend = w.tx(m.inputOrder.map(coinOf), m.outputs.map((value, i) => ({ to: Y[i] as string, value })), 104);
  w.entity('Esite', S);
  w.entity('Ex', X);
  w.entity('Epayer', P);
  w.entity('Estranger', C);
  Y.forEach((y, i) => w.entity(`Ey${i + 1}`, y));
  const { store, record } = await w.open([S]);
  stores.push(store);
  return { report: await buildFlowReport(store, record, { from: [S] }), world: w, spend: spend.txid };
}

function result(report: FlowReport, model: string): FlowModelResult {
  return report.results.find((r) => r.model.name === model) as FlowModelResult;
}

function received(r: FlowModelResult, entityId: string): bigint {
  return r.destinations.find((d) => d.entity.node.id === entityId)?.received ?? 0n;
}

describe('flow models on the METHODS.md example (3 BTC tainted, then 7 BTC clean, into one address)', () => {
  it('one 10 BTC output: poison 10 BTC, haircut 3 BTC, FIFO 3 BTC', async () => {
    const { report } = await meeting({ first: 'tainted', inputOrder: ['clean', 'tainted'], outputs: [10 * BTC] });
    expect(report.results.map((r) => r.model.name)).toEqual(['poison', 'haircut', 'fifo']);
    expect(received(result(report, 'poison'), 'Ey1')).toBe(BigInt(10 * BTC));
    expect(received(result(report, 'haircut'), 'Ey1')).toBe(BigInt(3 * BTC));
    expect(received(result(report, 'fifo'), 'Ey1')).toBe(BigInt(3 * BTC));
    for (const r of report.results) {
      expect(r.reconciliation.received).toBe(BigInt(3 * BTC));
      expect(received(r, 'Ex')).toBe(BigInt(3 * BTC));
      expect(r.destinations.find((d) => d.entity.node.id === 'Ex')?.passedOn).toBe(BigInt(3 * BTC));
    }
    // Poison counts the stranger's 7 BTC as tainted; the books say so.
    expect(result(report, 'poison').reconciliation.downstream.contaminated).toBe(BigInt(7 * BTC));
    expect(result(report, 'haircut').reconciliation.downstream.contaminated).toBe(0n);
  });

  it('split 4 BTC / 5.9999 BTC with a 10,000 sat fee: each model as the fixture table says', async () => {
    const { report, spend } = await meeting({ first: 'tainted', inputOrder: ['clean', 'tainted'], outputs: [4 * BTC, 6 * BTC - 10_000] });
    const expected = { poison: [4 * BTC, 6 * BTC - 10_000, 10_000], haircut: [120_000_000, 179_997_000, 3_000], fifo: [3 * BTC, 0, 0] };
    for (const [model, [y1, y2, fee]] of Object.entries(expected) as [string, [number, number, number]][]) {
      const r = result(report, model);
      expect([received(r, 'Ey1'), received(r, 'Ey2'), r.reconciliation.downstream.fees], model).toEqual([BigInt(y1), BigInt(y2), BigInt(fee)]);
      // What reached Y1 and Y2 is unspent there: seizable, listed output by output.
      const held = r.holdings.filter((h) => h.txid === spend).sort((a, b) => a.vout - b.vout);
      expect(held.map((h) => [h.vout, h.tainted]), model).toEqual(
        [
          [0, BigInt(y1)],
          [1, BigInt(y2)],
        ].filter(([, t]) => t !== 0n),
      );
    }
  });

  it('FIFO follows the order the address received its coins, not the input order', async () => {
    // The clean 7 BTC reached X first, so it leaves first: Y1 is clean, Y2 and the fee carry the taint.
    const { report } = await meeting({ first: 'clean', inputOrder: ['tainted', 'clean'], outputs: [4 * BTC, 6 * BTC - 10_000] });
    const fifo = result(report, 'fifo');
    expect([received(fifo, 'Ey1'), received(fifo, 'Ey2'), fifo.reconciliation.downstream.fees]).toEqual([0n, BigInt(3 * BTC - 10_000), 10_000n]);
    expect(received(result(report, 'haircut'), 'Ey1')).toBe(120_000_000n);
  });

  it('reconciles to the satoshi under every model: received = traced out + fees + unspent', async () => {
    const { report } = await meeting({ first: 'tainted', inputOrder: ['clean', 'tainted'], outputs: [4 * BTC, 6 * BTC - 10_000] });
    for (const r of report.results) {
      const c = r.reconciliation;
      expect(c.balanced && c.downstream.balanced, r.model.name).toBe(true);
      expect(c.received + c.returned + c.contaminated).toBe(c.tracedOut + c.fees + c.unspent + c.walkLimit);
      const d = c.downstream;
      expect(c.tracedOut + d.contaminated).toBe(d.returned + d.atServices + d.unspent + d.beyondHopLimit + d.intoCoinjoin + d.fees + d.unspendable + d.walkLimit);
    }
  });
});

describe('where traced money stops', () => {
  /**
   * The site S receives 5 BTC and pays: 1 BTC to a tagged exchange, 1 BTC to M who mixes it
   * in a CoinJoin, 1 BTC down a chain A1 → A2 → A3, 0.5 BTC to R who pays it back, and keeps
   * the change.
   */
  async function stops(): Promise<FlowReport> {
    const w = new HandWorld();
    const [P, S, D, M, A1, A2, A3, R, J] = [w.address('payer'), w.address('site'), w.address('deposit'), w.address('mixer-user'), w.address('a1'), w.address('a2'), w.address('a3'), w.address('r'), w.address('joiner')];
    const funds = w.coinbase('payer', [{ to: P, value: 5 * BTC }], 100);
    const pay = w.tx([funds.out(0)], [{ to: S, value: 5 * BTC }], 101);
    const out = w.tx([pay.out(0)], [{ to: D, value: BTC }, { to: M, value: BTC }, { to: A1, value: BTC }, { to: R, value: BTC / 2 }, { to: S, value: 1.5 * BTC - 20_000 }], 102);
    const other = w.coinbase('joiner', [{ to: J, value: BTC }], 102);
    const mix = w.tx([out.out(1), other.out(0)], [{ to: w.address('mixed-1'), value: BTC - 5_000 }, { to: w.address('mixed-2'), value: BTC - 5_000 }], 103);
    w.coinjoin(mix, 'whirlpool');
    const a2 = w.tx([out.out(2)], [{ to: A2, value: BTC - 1_000 }], 103);
    w.tx([a2.out(0)], [{ to: A3, value: BTC - 2_000 }], 104);
    w.tx([out.out(3)], [{ to: S, value: BTC / 2 }], 104);
    w.entity('Esite', S);
    w.entity('Eexchange', D);
    w.tag(D, 'Hand Exchange', 'exchange');
    for (const [id, a] of [['Em', M], ['Ea1', A1], ['Ea2', A2], ['Ea3', A3], ['Er', R], ['Ej', J]] as const) w.entity(id, a);
    const { store, record } = await w.open([S]);
    stores.push(store);
    return buildFlowReport(store, record, { from: ['Esite'], hopLimit: 2, models: ['haircut'] });
  }

  it('stops at a tagged service, at a CoinJoin, at the hop limit and at unspent outputs, and counts money coming back', async () => {
    const report = await stops();
    const r = report.results[0] as FlowModelResult;
    const row = (id: string) => r.destinations.find((d) => d.entity.node.id === id);
    expect(row('Eexchange')).toMatchObject({ received: BigInt(BTC), atService: BigInt(BTC), passedOn: 0n, hops: 1 });
    expect(row('Eexchange')?.entity.tags[0]).toMatchObject({ label: 'Hand Exchange', category: 'exchange', source: 'tagpack:hand.yaml' });
    expect(r.services).toEqual([{ service: 'Hand Exchange', category: 'exchange', entities: [{ kind: 'entity', id: 'Eexchange' }], amount: BigInt(BTC), share: 0.2 }]);
    expect(row('Em')).toMatchObject({ received: BigInt(BTC), intoCoinjoin: BigInt(BTC) });
    expect(r.coinjoins).toEqual([{ txid: expect.any(String) as string, rule: 'whirlpool', amount: BigInt(BTC) }]);
    expect(row('Ea1')).toMatchObject({ hops: 1, passedOn: BigInt(BTC) });
    expect(row('Ea2')).toMatchObject({ hops: 2, received: BigInt(BTC - 1_000), beyondHopLimit: BigInt(BTC - 1_000) });
    expect(row('Ea3')).toBeUndefined();
    expect(row('Er')).toMatchObject({ received: BigInt(BTC / 2), passedOn: BigInt(BTC / 2) });
    const c = r.reconciliation;
    expect(c).toMatchObject({ received: BigInt(5 * BTC), receipts: 1, returned: BigInt(BTC / 2), fees: 20_000n, unspent: BigInt(2 * BTC - 20_000), balanced: true });
    expect(c.tracedOut).toBe(BigInt(3.5 * BTC));
    expect(c.downstream).toMatchObject({ atServices: BigInt(BTC), intoCoinjoin: BigInt(BTC), beyondHopLimit: BigInt(BTC - 1_000), fees: 1_000n, balanced: true });
    // The site's own coins still unspent: its change and the 0.5 BTC that came back.
    expect(r.holdings.filter((h) => h.holder === null).map((h) => h.tainted).sort()).toEqual([BigInt(BTC / 2), BigInt(1.5 * BTC - 20_000)].sort());
    expect(report.computedAt).toEqual(expectedComputedAt(104));
    expect(report.tagSources).toEqual(['tagpack:hand.yaml']);
  });

  it('values an input the store does not hold as outputs minus known inputs, and says so', async () => {
    const w = new HandWorld();
    const [S, X, Y] = [w.address('site'), w.address('x'), w.address('y')];
    const paid = w.tx([w.coinbase('payer', [{ to: w.address('payer'), value: BTC }], 100).out(0)], [{ to: S, value: BTC }], 101);
    const out = w.tx([paid.out(0)], [{ to: X, value: BTC }], 102);
    // X adds a coin from a transaction never ingested: half a bitcoin, as far as the outputs tell.
    const mixed = w.tx([out.out(0), { txid: 'cd'.repeat(32), vout: 0 }], [{ to: Y, value: 1.5 * BTC }], 103);
    const { store, record } = await w.open([S]);
    stores.push(store);
    const report = await buildFlowReport(store, record, { from: [S], models: ['haircut', 'fifo'] });
    for (const r of report.results) {
      expect(r.estimated).toEqual([mixed.txid]);
      expect(r.holdings.map((h) => [h.txid, h.tainted])).toEqual([[mixed.txid, BigInt(BTC)]]);
      expect(r.reconciliation.balanced && r.reconciliation.downstream.balanced).toBe(true);
    }
  });

  it("records the store's chain tip, not the highest block it read, and the same tip whatever it traced", async () => {
    const w = new HandWorld();
    const [S, X] = [w.address('site'), w.address('x')];
    const paid = w.tx([w.coinbase('payer', [{ to: w.address('payer'), value: BTC }], 100).out(0)], [{ to: S, value: BTC }], 101);
    w.tx([paid.out(0)], [{ to: X, value: BTC }], 102);
    w.coinbase('later', [{ to: w.address('miner'), value: BTC }], 109);
    const { store, record } = await w.open([S]);
    stores.push(store);
    expect((await buildFlowReport(store, record, { from: [S] })).computedAt).toEqual(expectedComputedAt(109));
    expect((await buildFlowReport(store, record, { from: [S], hopLimit: 1 })).computedAt).toEqual(expectedComputedAt(109));
    // A later block stored moves the tip, and the report says so.
    await store.writeBlockHeaders([{ hash: blockHash(110), height: 110, version: 0x20000000, prevHash: blockHash(109), merkleRoot: '00'.repeat(32), time: blockTime(110), bits: 0x207fffff, nonce: 0 }]);
    expect((await buildFlowReport(store, record, { from: [S] })).computedAt).toEqual(expectedComputedAt(110));
  });

  it('falls back to the highest block it read, and says so, when the store holds no block header', async () => {
    const w = new HandWorld();
    const [S, X] = [w.address('site'), w.address('x')];
    const paid = w.tx([w.coinbase('payer', [{ to: w.address('payer'), value: BTC }], 100).out(0)], [{ to: S, value: BTC }], 101);
    w.tx([paid.out(0)], [{ to: X, value: BTC }], 102);
    w.coinbase('later', [{ to: w.address('miner'), value: BTC }], 109);
    const { store, record } = await w.open([S], ':memory:', { headers: false });
    stores.push(store);
    expect((await buildFlowReport(store, record, { from: [S] })).computedAt).toEqual({ height: 102, hash: null, time: null, basis: 'highest-block-read' });
  });

  it('names a start it cannot find, and refuses bad options', async () => {
    const w = new HandWorld();
    const S = w.address('site');
    w.coinbase('site', [{ to: S, value: BTC }], 100);
    const { store, record } = await w.open([S]);
    stores.push(store);
    await expect(buildFlowReport(store, record, { from: ['Enope'] })).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_FOUND', message: expect.stringContaining('"Enope"') as string });
    await expect(buildFlowReport(store, record, { from: [S], hopLimit: 0 })).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_REPORT_OPTIONS' });
    await expect(buildFlowReport(store, record, {})).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_REPORT_OPTIONS' });
  });
});
