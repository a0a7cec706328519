import { describe, expect, it } from 'vitest';
import type { PayerReportJson, PaymentStatusJson } from '../api/report-wire-types.js';
import { formatBtc } from '../graph/btc-amount.js';
import payersFixture from './fixtures/payers-report.json' with { type: 'json' };
import { paymentRows, payerSummaryText, serviceGroups, STATUS_LABELS } from './payer-rows.js';
import { formatShare } from './report-format.js';

const payers = payersFixture as unknown as PayerReportJson;

describe('payers report rows', () => {
  it('gives one row per payment with its amount in sats, the funder, the nearest service and the status', () => {
    const rows = paymentRows(payers);
    expect(rows.map((r) => r.id)).toEqual(payers.payments.map((p) => `${p.txid}:${p.vout}`));
    rows.forEach((row, i) => {
      const p = payers.payments[i]!;
      expect(row.amount).toBe(BigInt(p.value));
      expect(formatBtc(row.amount)).toBe(p.btc);
      expect(row.status).toBe(p.status);
      expect(row.service?.name ?? null).toBe(p.attribution?.service ?? null);
      expect(row.coinjoin).toBe(p.flags.includes('coinjoin'));
    });
  });

  it('points a CoinJoin row at the mixing transaction, not at a guessed payer', () => {
    const row = paymentRows(payers).find((r) => r.status === 'coinjoin')!;
    const source = payers.payments.find((p) => p.status === 'coinjoin')!.sources.find((s) => s.kind === 'coinjoin')!;
    expect(row.coinjoin).toBe(true);
    expect(row.service).toBeNull();
    expect(row.path?.focus).toEqual({ kind: 'tx', id: source.coinjoin!.txid });
    expect(row.path?.source).toEqual([]);
    expect(row.path?.steps.at(-1)?.address).toBe(row.seed);
  });

  it('shows an unattributed row as far as the walk went', () => {
    const payment = payers.payments.find((p) => p.status === 'unattributed')!;
    const row = paymentRows(payers).find((r) => r.status === 'unattributed')!;
    expect(row.reason).toBe(payment.reason);
    expect(row.path?.steps.length).toBe(Math.max(...payment.sources.map((s) => s.path.length)));
    expect(row.path?.description).toContain(payment.reason!);
  });

  it('groups the requests by service with the totals the report states', () => {
    const [group] = serviceGroups(payers);
    const wire = payers.services[0]!;
    expect(group).toMatchObject({ service: wire.service, payments: wire.payments, attributed: wire.attributed, payers: wire.payers, amount: BigInt(wire.amount), attributedAmount: BigInt(wire.attributedAmount) });
    for (const request of group!.requests) {
      expect(request.path.source).toEqual(wire.entities.map((e) => e.node));
      // The service's own output is the path's first step: where the money left the service.
      expect(request.path.steps[0]).toEqual(request.withdrawal);
      expect(request.path.steps.at(-1)?.address).toBe(request.seed);
    }
  });

  it('says the totals by status in one sentence, in BTC from the sats, leaving out empty statuses', () => {
    const text = payerSummaryText(payers.summary);
    expect(text).toContain(`${payers.summary.payments} payments (${formatBtc(BigInt(payers.summary.value))} BTC) to ${payers.summary.seedsPaid} of ${payers.summary.seeds} seized addresses`);
    for (const [status, { payments, value }] of Object.entries(payers.summary.byStatus)) {
      const phrase = `${payments} ${STATUS_LABELS[status as PaymentStatusJson]} (${formatBtc(BigInt(value))} BTC)`;
      if (payments > 0) expect(text).toContain(phrase);
      else expect(text).not.toContain(STATUS_LABELS[status as PaymentStatusJson]);
    }
    expect(text).toContain(`${payers.summary.excluded} outputs paid by the site itself left out`);
  });

  it.each([
    [0.9, '90.00 %'],
    [1, '100.00 %'],
    [0.0001, '0.01 %'],
    [0, '0.00 %'],
    [0.3447, '34.47 %'],
    [283.6585, '28,365.85 %'],
  ])('shows the share %s as %s', (share, text) => {
    expect(formatShare(share)).toBe(text);
  });
});
