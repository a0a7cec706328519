/**
 * Payer identification on a hand-made world in a real SQLite store: one seed address per
 * kind of payment an investigator meets (straight from an exchange, through the payer's
 * wallet, through a CoinJoin, from two exchanges, partly from nowhere known, from beyond
 * the data, a long chain, a sanctioned payer, an entity whose tags disagree), and the
 * site's own sweep, which is not a payment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayerReport, payerPaymentsCsv, payerServicesCsv, reportJson, type PayerReport, type PaymentRow } from '@chaintrail/report';
import type { CaseRecord, GraphStore } from '@chaintrail/store';
import { startHarness } from '../api/api-harness.js';
import { BTC, HandWorld, blockHash, expectedComputedAt } from './hand-world.js';

interface World {
  readonly store: GraphStore;
  readonly record: CaseRecord;
  readonly seeds: readonly string[];
  readonly txids: Readonly<Record<string, string>>;
}

async function handWorld(): Promise<World> {
  const w = new HandWorld();
  const a = (name: string) => w.address(name);
  const seeds = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'].map(a);
  const [S1, S2, S3, S4, S5, S6, S7, S8] = seeds as [string, string, string, string, string, string, string, string];
  const [H1, H2, F1, M, Z, K1, K2] = ['hot-1', 'hot-2', 'other-hot', 'miner', 'sanctioned', 'conflict-1', 'conflict-2'].map(a) as [string, string, string, string, string, string, string];
  const [U1, U1c, U2, U3, U4, V1, V2, V3, Q] = ['u1', 'u1-change', 'u2', 'u3', 'u4', 'v1', 'v2', 'v3', 'stranger'].map(a) as [string, string, string, string, string, string, string, string, string];

  const hot1 = w.coinbase('hot-1', [{ to: H1, value: 50 * BTC }], 100);
  const other = w.coinbase('other', [{ to: F1, value: 50 * BTC }], 100);
  const mined = w.coinbase('miner', [{ to: M, value: 50 * BTC }], 100);
  const sanctionedFunds = w.coinbase('sanctioned', [{ to: Z, value: 10 * BTC }], 100);
  const conflictFunds = w.coinbase('conflict', [{ to: K1, value: 5 * BTC }, { to: K2, value: 5 * BTC }], 100);

  // 1. The payer's wallet: the exchange withdraws to U1, who pays S1 (hops 2).
  const w1 = w.tx([hot1.out(0)], [{ to: U1, value: BTC }, { to: H2, value: 49 * BTC - 10_000 }], 101);
  const p1 = w.tx([w1.out(0)], [{ to: S1, value: BTC / 2 }, { to: U1c, value: BTC / 2 - 5_000 }], 102);
  // 2. Straight from the exchange (hops 1), in a batch that also funds U3, U4 and the chain V1 → V2 → V3.
  const w2 = w.tx(
    [w1.out(1)],
    [
      { to: S2, value: 20_000_000 },
      { to: U3, value: 30_000_000 },
      { to: U4, value: 10_000_000 },
      { to: V1, value: 40_000_000 },
      { to: H1, value: 49 * BTC - 100_000_000 - 20_000 },
    ],
    102,
  );
  // 3. Through a CoinJoin: U2's coin comes out of a flagged mix.
  const mix = w.tx([other.out(0), mined.out(0)], [{ to: U2, value: 25 * BTC }, { to: Q, value: 25 * BTC }, { to: F1, value: 50 * BTC - 20_000 }], 101);
  w.coinjoin(mix, 'generic-equal-output');
  const p3 = w.tx([mix.out(0)], [{ to: S3, value: 25 * BTC - 1_000 }], 102);
  // 4. From two exchanges: 0.3 BTC from Hand Exchange and 0.1 BTC from Other Exchange, paid together.
  const fw = w.tx([mix.out(2)], [{ to: U3, value: 10_000_000 }, { to: F1, value: 50 * BTC - 10_030_000 }], 103);
  const p4 = w.tx([w2.out(1), fw.out(0)], [{ to: S4, value: 40_000_000 }], 104);
  // 5. Mostly from a miner nobody tagged: 0.1 BTC from the exchange, 0.9 BTC from mined coins.
  const minedToU4 = w.tx([w.coinbase('miner-2', [{ to: M, value: 50 * BTC }], 101).out(0)], [{ to: U4, value: 90_000_000 }, { to: M, value: 50 * BTC - 90_010_000 }], 102);
  const p5 = w.tx([w2.out(2), minedToU4.out(0)], [{ to: S5, value: 100_000_000 }], 103);
  // 6. Paid from a transaction the store does not hold.
  const p6 = w.tx([{ txid: 'ab'.repeat(32), vout: 3 }], [{ to: S6, value: 7_000_000 }], 103);
  // 7. A chain: exchange → V1 → V2 → V3 → S7 (hops 4).
  const v2 = w.tx([w2.out(3)], [{ to: V2, value: 40_000_000 - 1_000 }], 103);
  const v3 = w.tx([v2.out(0)], [{ to: V3, value: 40_000_000 - 2_000 }], 104);
  const p7 = w.tx([v3.out(0)], [{ to: S7, value: 40_000_000 - 3_000 }], 105);
  // 8. A sanctioned payer, and an entity whose tags name two different actors, both pay S8.
  const p8a = w.tx([sanctionedFunds.out(0)], [{ to: S8, value: 3 * BTC }, { to: Z, value: 7 * BTC - 1_000 }], 105);
  const p8b = w.tx([conflictFunds.out(0), conflictFunds.out(1)], [{ to: S8, value: BTC }, { to: K1, value: 9 * BTC - 1_000 }], 105);
  // The site sweeps S1 and S2 into its wallet address S1: not a payment.
  const sweep = w.tx([p1.out(0), w2.out(0)], [{ to: S1, value: 70_000_000 - 2_000 }], 106);

  w.entity('Eexchange', H1, H2);
  w.tag(H1, 'Hand Exchange', 'exchange');
  w.entity('Eother', F1);
  w.tag(F1, '=Other Exchange', 'exchange', 'tagpack:other.yaml');
  w.entity('Esanctioned', Z);
  w.tag(Z, 'OFAC SDN', 'sanction', 'ofac:sanctioned_addresses_XBT.txt');
  w.entity('Econflict', K1, K2);
  w.tag(K1, 'Alpha', 'exchange');
  w.tag(K2, 'Beta', 'exchange');
  w.entity('Esite', S1, S2);
  for (const [id, addr] of [['Eu1', U1], ['Eu2', U2], ['Eu3', U3], ['Eu4', U4], ['Ev1', V1], ['Ev2', V2], ['Ev3', V3], ['Eminer', M]] as const) w.entity(id, addr);
  const { store, record } = await w.open(seeds);
  return { store, record, seeds, txids: { w1: w1.txid, w2: w2.txid, p1: p1.txid, p3: p3.txid, p4: p4.txid, p5: p5.txid, p6: p6.txid, p7: p7.txid, p8a: p8a.txid, p8b: p8b.txid, sweep: sweep.txid, mix: mix.txid } };
}

describe('payer identification on a hand-made world', () => {
  let world: World;
  let report: PayerReport;
  const payment = (txid: string | undefined): PaymentRow => report.payments.find((p) => p.txid === txid) as PaymentRow;

  beforeAll(async () => {
    world = await handWorld();
    report = await buildPayerReport(world.store, world.record);
  });
  afterAll(async () => {
    await world?.store.close();
  });

  it('lists every payment to every seed, with time, block and amount, and leaves out the site paying itself', () => {
    expect(report.summary).toMatchObject({ seeds: 9, seedsPaid: 8, payments: 9, excluded: 1 });
    expect(report.excluded).toEqual([{ seed: world.seeds[0], txid: world.txids['sweep'], vout: 0, value: 69_998_000n, reason: 'from-the-site' }]);
    const p1 = payment(world.txids['p1']);
    expect(p1).toMatchObject({ vout: 0, height: 102, blockHash: blockHash(102), time: 1_600_000_000 + 102 * 600, value: 50_000_000n, btc: '0.50000000' });
    expect(p1.seed).toMatchObject({ address: world.seeds[0], line: 1, file: 'seized.txt' });
  });

  it("attributes a payment from the payer's wallet to the exchange behind it, two hops back, with the path", () => {
    const p1 = payment(world.txids['p1']);
    expect(p1).toMatchObject({ status: 'attributed', reason: null });
    expect(p1.fundedBy).toMatchObject({ node: { kind: 'entity', id: 'Eu1' }, label: null, amount: 50_000_000n, share: 1 });
    expect(p1.attribution).toMatchObject({ service: 'Hand Exchange', category: 'exchange', amount: 50_000_000n, share: 1, hops: 2 });
    expect(p1.attribution?.path.map((s) => [s.txid, s.vout])).toEqual([
      [world.txids['p1'], 0],
      [world.txids['w1'], 0],
    ]);
    expect(p1.attribution?.entities[0]?.tags).toEqual([{ label: 'Hand Exchange', category: 'exchange', source: 'tagpack:hand.yaml', confidence: 'service_data', addresses: 1, example: expect.any(String) as string }]);
  });

  it('attributes a withdrawal straight to the seed at hop 1', () => {
    const p2 = report.payments.find((p) => p.txid === world.txids['w2']);
    expect(p2).toMatchObject({ status: 'attributed', attribution: { service: 'Hand Exchange', hops: 1, share: 1 } });
  });

  it('flags a payment whose money came out of a CoinJoin and does not guess through it', () => {
    const p3 = payment(world.txids['p3']);
    expect(p3).toMatchObject({ status: 'coinjoin', reason: 'coinjoin', attribution: null, candidates: [] });
    expect(p3.flags).toContain('coinjoin');
    expect(p3.sources).toEqual([expect.objectContaining({ kind: 'coinjoin', amount: p3.value, hops: 2, coinjoin: { txid: world.txids['mix'], rule: 'generic-equal-output' } })]);
  });

  it('shows both exchanges with their shares when a payment combines them, and attributes to neither', () => {
    const p4 = payment(world.txids['p4']);
    expect(p4).toMatchObject({ status: 'ambiguous', reason: 'several-services' });
    expect(p4.candidates.map((c) => [c.service, c.amount, c.share])).toEqual([
      ['Hand Exchange', 30_000_000n, 0.75],
      ['=Other Exchange', 10_000_000n, 0.25],
    ]);
  });

  it('calls a payment partial when the exchange paid only a tenth of it; the rest came from coins mined by an untagged miner', () => {
    const p5 = payment(world.txids['p5']);
    expect(p5).toMatchObject({ status: 'partial', reason: 'below-share', attribution: { service: 'Hand Exchange', amount: 10_000_000n, share: 0.1 } });
    expect(p5.sources.map((s) => [s.kind, s.amount])).toEqual([
      ['service', 10_000_000n],
      ['coinbase', 90_000_000n],
    ]);
  });

  it('says when the money came from beyond the data', () => {
    expect(payment(world.txids['p6'])).toMatchObject({ status: 'unattributed', reason: 'not-ingested', fundedBy: null });
  });

  it('follows a chain through untagged entities within the hop limit, and stops at it', async () => {
    expect(payment(world.txids['p7'])).toMatchObject({ status: 'attributed', attribution: { service: 'Hand Exchange', hops: 4, share: 1 } });
    const short = await buildPayerReport(world.store, world.record, { hopLimit: 3 });
    expect(short.payments.find((p) => p.txid === world.txids['p7'])).toMatchObject({ status: 'unattributed', reason: 'hop-limit', sources: [expect.objectContaining({ kind: 'hop-limit', hops: 3 })] });
    expect(short.parameters).toMatchObject({ hopLimit: 3 });
  });

  it('names a sanctioned payer with its source, and refuses to pick between conflicting tags', () => {
    const sanctioned = payment(world.txids['p8a']);
    expect(sanctioned).toMatchObject({ status: 'attributed', attribution: { service: 'OFAC SDN', category: 'sanction', hops: 1 } });
    expect(sanctioned.flags).toEqual(['category:sanction']);
    const conflicted = payment(world.txids['p8b']);
    expect(conflicted).toMatchObject({ status: 'ambiguous', reason: 'tag-conflict', attribution: { service: 'Econflict (conflicting tags)' } });
    expect(conflicted.flags).toContain('tag-conflict');
    expect(conflicted.attribution?.entities[0]?.conflicts[0]?.field).toBe('label');
  });

  it('groups the payments by service: the list to send each exchange, certain ones counted apart', () => {
    const hand = report.services.find((s) => s.service === 'Hand Exchange');
    expect(hand).toMatchObject({ category: 'exchange', payments: 5, attributed: 3, payers: 5, attributedAmount: 50_000_000n + 20_000_000n + 39_997_000n, tagSources: ['tagpack:hand.yaml'] });
    expect(hand?.entities.map((e) => e.node.id)).toEqual(['Eexchange']);
    // Each request names the exchange's own transaction output: the withdrawal to ask about.
    const withdrawals = hand?.requests.map((r) => `${r.withdrawal.txid}:${r.withdrawal.vout} ${r.status}`).sort();
    expect(withdrawals).toEqual(
      [`${world.txids['w1']}:0 attributed`, `${world.txids['w2']}:0 attributed`, `${world.txids['w2']}:1 ambiguous`, `${world.txids['w2']}:2 partial`, `${world.txids['w2']}:3 attributed`].sort(),
    );
    // Services with the most money attributed with certainty come first.
    expect(report.services.map((s) => s.service)).toEqual(['OFAC SDN', 'Hand Exchange', 'Econflict (conflicting tags)', '=Other Exchange']);
    expect(report.tagSources).toEqual(['ofac:sanctioned_addresses_XBT.txt', 'tagpack:hand.yaml', 'tagpack:other.yaml']);
  });

  it('adds up: every payment is split over its sources to the satoshi', () => {
    for (const p of report.payments) expect(p.sources.reduce((a, s) => a + s.amount, 0n), p.txid).toBe(p.value);
    const byStatus = Object.values(report.summary.byStatus);
    expect(byStatus.reduce((a, s) => a + s.payments, 0)).toBe(report.payments.length);
    expect(report.summary.byStatus).toMatchObject({ attributed: { payments: 4 }, partial: { payments: 1 }, ambiguous: { payments: 2 }, coinjoin: { payments: 1 }, unattributed: { payments: 1 } });
  });

  it('records what it was computed at and how, and gives the same bytes when run again', async () => {
    expect(report.computedAt).toEqual(expectedComputedAt(106));
    expect(report.methods.map((m) => `${m.name} v${m.version}`)).toEqual(['payer-attribution v1']);
    expect(report.parameters).toEqual({ hopLimit: 8, minShare: 0.9, maxTxsPerPayment: 2000 });
    expect(reportJson(await buildPayerReport(world.store, world.record))).toBe(reportJson(report));
  });

  it('writes CSV for spreadsheets, with formula-like labels defused', () => {
    const rows = payerPaymentsCsv(report).split('\r\n');
    expect(rows[0]?.split(',').slice(0, 4)).toEqual(['seed_line', 'seed_address', 'txid', 'vout']);
    expect(rows.length).toBe(report.payments.length + 2);
    expect(rows.find((r) => r.includes(world.txids['p1'] as string))).toContain(',attributed,,Eu1,,Hand Exchange,exchange,Eexchange,50000000,1,2,');
    const services = payerServicesCsv(report);
    expect(services).toContain("\r\n'=Other Exchange,exchange,Eother,");
    expect(services).not.toMatch(/(^|\r\n)=/);
  });

  it('serves the same report over the API', async () => {
    const harness = await startHarness(world.store);
    try {
      const answer = await harness.call('GET', `/api/cases/${world.record.id}/reports/payers`);
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual(JSON.parse(reportJson(report)));
      const bad = await harness.call('GET', `/api/cases/${world.record.id}/reports/payers?minShare=2`);
      expect(bad.status).toBe(400);
    } finally {
      await harness.close();
    }
  });
});
