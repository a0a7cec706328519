/**
 * `chaintrail report` through the real binary on a small hand-made case: terminal tables,
 * CSV, JSON, and the exit statuses of a bad command line and of a start it cannot find.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFlowReport, reportJson } from '@chaintrail/report';
import { chaintrail } from '../e2e/cli-binary.js';
import { BTC, HandWorld } from './hand-world.js';

describe('chaintrail report', () => {
  const home = mkdtempSync(join(tmpdir(), 'chaintrail-report-cli-'));
  const storePath = join(home, 'hand.sqlite');
  const run = (args: readonly string[]) => chaintrail(['--store', `sqlite:${storePath}`, ...args], { home });
  let site: string;
  let flowsJson: string;

  beforeAll(async () => {
    const w = new HandWorld();
    const [H, U, S, O] = [w.address('hot'), w.address('user'), w.address('site'), w.address('operator')];
    const hot = w.coinbase('hot', [{ to: H, value: 10 * BTC }], 100);
    const withdrawal = w.tx([hot.out(0)], [{ to: U, value: BTC }, { to: H, value: 9 * BTC - 1_000 }], 101);
    const payment = w.tx([withdrawal.out(0)], [{ to: S, value: BTC / 2 }, { to: U, value: BTC / 2 - 1_000 }], 102);
    w.tx([payment.out(0)], [{ to: O, value: BTC / 2 - 1_000 }], 103);
    w.entity('Ehot', H);
    w.tag(H, 'Hand, Exchange', 'exchange');
    w.entity('Euser', U);
    w.entity('Esite', S);
    w.entity('Eoperator', O);
    const { store, record } = await w.open([S], storePath);
    flowsJson = reportJson(await buildFlowReport(store, record, { from: ['Esite'] }));
    await store.close();
    site = S;
  });

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('prints the payer report as tables, naming the service, the share, the hops and what it was computed at', async () => {
    const result = await run(['report', 'payers', '--case', 'hand']);
    expect(result.code).toBe(0);
    // The chain tip in the store (block 103) where the store can name it, else the highest block the report read (102).
    expect(result.stdout).toMatch(/^Payer identification, case hand; computed at block (103 \S+ \(chain tip in the store\)|102 \S+ \(highest block read\))$/m);
    expect(result.stdout).toMatch(/Hand, Exchange\s+exchange\s+1\s+1\s+1\s+0\.50000000\s+0\.50000000\s+Ehot/);
    expect(result.stdout).toMatch(new RegExp(`1\\s+${site}\\s+\\S+:0\\s+102\\s+0\\.50000000\\s+attributed\\s+Hand, Exchange\\s+100\\.00%\\s+2`));
    expect(result.stdout).toContain('Tag sources: tagpack:hand.yaml');
  });

  it('writes the subpoena list as CSV, quoting what needs quotes', async () => {
    const result = await run(['report', 'payers', '--case', 'hand', '--csv', 'services']);
    expect(result.code).toBe(0);
    const [header, row] = result.stdout.split('\r\n');
    expect(header).toMatch(/^service,category,entities,tag_sources,status,seed_address,payment_txid,/);
    expect(row).toMatch(new RegExp(`^"Hand, Exchange",exchange,Ehot,tagpack:hand.yaml,attributed,${site},`));
  });

  it('prints the flow report as the same JSON the library builds, and as tables per model', async () => {
    const json = await run(['--json', 'report', 'flows', '--case', 'hand', '--from', 'Esite']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(flowsJson);
    const text = await run(['report', 'flows', '--case', 'hand', '--from', site, '--model', 'fifo']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Model fifo v1');
    expect(text.stdout).not.toContain('Model haircut');
    expect(text.stdout).toContain('= traced out 0.49999000 + fees 0.00001000 + unspent at the site 0.00000000: reconciles to the satoshi');
  });

  it('exits 2 on a bad command line and 4 when the start is not in the store', async () => {
    expect((await run(['report', 'flows', '--case', 'hand'])).code).toBe(2);
    expect((await run(['report', 'flows', '--case', 'hand', '--model', 'lifo', '--from', 'Esite'])).code).toBe(2);
    const missing = await run(['report', 'flows', '--case', 'hand', '--from', 'Enowhere']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('"Enowhere" is neither an entity id nor an address');
  });
});
