/**
 * Both reports on a generated world with known truth, ingested through the ingest
 * pipeline: payers attributed to the exchange they really bought at (the target:
 * at least 95% of users whose exchange is tagged and who did not mix, none wrongly
 * presented as certain), and forfeiture totals that reconcile to the satoshi under every
 * model and match the world's own books. Then the `chaintrail report` command prints the
 * same bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFlowReport, buildPayerReport, reportJson, type FlowReport, type PayerReport } from '@chaintrail/report';
import { generateWorld, readTruth, type Truth } from '@chaintrail/scenario';
import { chaintrail } from '../e2e/cli-binary.js';
import { ingestCase, type IngestedCase } from './report-world.js';
import { scoreFlows, scorePayers, usersWithTaggedFunder } from './truth-score.js';

describe('reports on a scenario world of 250 users', () => {
  const home = mkdtempSync(join(tmpdir(), 'chaintrail-report-world-'));
  const dir = join(home, 'world');
  let truth: Truth;
  let ingested: IngestedCase;
  let payers: PayerReport;
  let flows: FlowReport;

  beforeAll(async () => {
    await generateWorld({ users: 250, seed: 11 }, dir);
    truth = await readTruth(join(dir, 'truth.json'));
    ingested = await ingestCase({ home: join(home, 'case'), blocks: join(dir, 'blocks'), seeds: join(dir, 'seized-addresses.txt'), tagFiles: [join(dir, 'tags.yaml')], hopsBack: 3, hopsForward: 10 });
    payers = await buildPayerReport(ingested.store, ingested.record);
    flows = await buildFlowReport(ingested.store, ingested.record, { fromSeeds: true, hopLimit: 12 });
  }, 600_000);

  afterAll(async () => {
    await ingested?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('attributes at least 95% of the users who bought at a tagged exchange and did not mix, and none wrongly', async () => {
    const score = scorePayers(payers, truth, await usersWithTaggedFunder(ingested.store, truth));
    expect(score.payments.inReport).toBe(truth.payments.length);
    expect(score.eligibleUsers).toBeGreaterThan(30);
    expect(score.eligibleCorrect / score.eligibleUsers).toBeGreaterThanOrEqual(0.95);
    expect(score.wrong).toBe(0);
    expect(score.payments.wrong).toBe(0);
    // Users who mixed are flagged, never attributed.
    expect(score.unattributedBy.coinjoin).toBe(new Set(truth.payments.filter((p) => p.route === 'whirlpool' || p.route === 'wasabi').map((p) => p.user)).size);
  });

  it("lists exactly the world's payments, and leaves out the site's own sweeps into its wallet address", () => {
    const reported = payers.payments.map((p) => `${p.txid}:${p.vout}`).sort();
    expect(reported).toEqual(truth.payments.map((p) => `${p.txid}:${p.vout}`).sort());
    const siteOwn = new Set(truth.transactions.filter((t) => t.kind === 'site-sweep' || t.kind === 'site-to-operator').map((t) => t.txid));
    expect(payers.excluded.length).toBeGreaterThan(0);
    for (const e of payers.excluded) expect(siteOwn.has(e.txid)).toBe(true);
  });

  it('reconciles to the satoshi under every model and matches the books of the world', () => {
    const scores = scoreFlows(flows, truth);
    expect(scores.map((s) => s.model)).toEqual(['poison', 'haircut', 'fifo']);
    for (const s of scores) {
      expect(s.balanced, s.model).toBe(true);
      expect(s.received, s.model).toBe(s.truthReceived);
      // The site's and the operator's money is all the site's: every model must find every exit and holding exactly.
      expect(s.exitsToExchanges, s.model).toBe(s.truthExitsToExchanges);
      expect(s.exchangesExact, s.model).toBe(s.exchanges);
      expect(s.held, s.model).toBe(s.truthHeld);
    }
  });

  it('gives the same bytes when run again, and through the chaintrail command', async () => {
    expect(reportJson(await buildPayerReport(ingested.store, ingested.record))).toBe(reportJson(payers));
    const run = await chaintrail(['--json', '--quiet', '--store', `sqlite:${join(home, 'case', 'case.sqlite')}`, 'report', 'payers', '--case', 'site'], { home: join(home, 'cli-home') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(reportJson(payers));
  });
});
