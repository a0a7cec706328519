/**
 * Report accuracy, measured (issue 9, METHODS.md "Evaluation"): a scenario world with known
 * truth is made into a case through the ingest pipeline (seized list, exchange tags, block
 * files, clustering), then
 * - payer identification is scored per paying user against the exchange they really bought
 *   at: attributed correctly, wrongly attributed with certainty, or unattributed and why
 *   (CoinJoin, an exchange untagged where it paid them, hop limit, beyond the data). The
 *   baseline, measured in the same run, is the same report limited to one hop: only the
 *   entity whose inputs paid the site, as a first look at the site's payers gives.
 * - forfeiture tracing is scored per flow model: receipts, exits to each exchange and the
 *   site's and operator's unspent holdings against the world's books, and the totals'
 *   reconciliation.
 * One labelled figure a line. `CHAINTRAIL_ACCURACY_USERS` and `CHAINTRAIL_ACCURACY_SEED`
 * choose the world (default 1,000 users, seed 7); it is cached in bench/out/.
 *
 * The figures are published: each model's go into the `models` section of
 * @chaintrail/evidence's published-accuracy.json, which every evidence bundle cites.
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFlowReport, buildPayerReport } from '@chaintrail/report';
import { PUBLISHED_ACCURACY_FILE, recordAccuracySection, type AccuracyFigures } from '@chaintrail/evidence';
import { generateWorld, readTruth } from '@chaintrail/scenario';
import { ingestCase } from '../test/report/report-world.js';
import { scoreFlows, scorePayers, UNATTRIBUTED_REASONS, usersWithTaggedFunder, type PayerScore } from '../test/report/truth-score.js';
import { chaintrailVersion, rounded } from './published-accuracy.js';
import type { BenchReporter } from './reporter.js';

const USERS = Number(process.env['CHAINTRAIL_ACCURACY_USERS'] ?? 1_000);
const SEED = Number(process.env['CHAINTRAIL_ACCURACY_SEED'] ?? 7);
/** Only the default world's figures are published; a world chosen for a quick look is not. */
const PUBLISH = process.env['CHAINTRAIL_ACCURACY_USERS'] === undefined && process.env['CHAINTRAIL_ACCURACY_SEED'] === undefined;
/** Deep enough that ingestion, not the report, is what limits a trace in a world this small. */
const HOPS_BACK = 4;
const HOPS_FORWARD = 10;

async function cachedWorld(): Promise<string> {
  const dir = join(import.meta.dirname, 'out', `report-accuracy-${USERS}-s${SEED}`);
  if (existsSync(join(dir, 'truth.json'))) return dir;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  await generateWorld({ users: USERS, seed: SEED }, partial);
  renameSync(partial, dir);
  return dir;
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function btc(sats: bigint): string {
  return `${sats / 100_000_000n}.${(sats % 100_000_000n).toString().padStart(8, '0')}`;
}

/** What the payers report's error rates are, as the published accuracy file states them. */
function payerPublished(s: PayerScore, firstHop: PayerScore): AccuracyFigures {
  return {
    attributionRateWhenExchangeTaggedAndNoCoinJoin: rounded(rate(s.eligibleCorrect, s.eligibleUsers)),
    attributionRateAllPayingUsers: rounded(rate(s.correct, s.payingUsers)),
    wronglyAttributedShare: rounded(rate(s.wrong, s.payingUsers)),
    unattributedShare: rounded(rate(s.unattributed, s.payingUsers)),
    ...Object.fromEntries(UNATTRIBUTED_REASONS.map((reason) => [`unattributedShare:${reason}`, rounded(rate(s.unattributedBy[reason], s.payingUsers))])),
    paymentsAttributedToTrueExchange: rounded(rate(s.payments.right, s.payments.total)),
    paymentsWronglyAttributed: s.payments.wrong,
    payingUsers: s.payingUsers,
    baselineFirstHopOnlyAttributionRate: rounded(rate(firstHop.eligibleCorrect, firstHop.eligibleUsers)),
  };
}

function payerFigures(report: BenchReporter, s: PayerScore): void {
  report.metric('payer attribution rate', Number(rate(s.eligibleCorrect, s.eligibleUsers).toFixed(4)), '', `${s.eligibleCorrect} of ${s.eligibleUsers} users whose exchange is tagged where it paid them and who did not mix; target >= 0.95`);
  report.metric('payer attribution rate, all paying users', Number(rate(s.correct, s.payingUsers).toFixed(4)), '', `${s.correct} of ${s.payingUsers}`);
  report.metric('payers wrongly attributed', Number(rate(s.wrong, s.payingUsers).toFixed(4)), '', `${s.wrong} users; target 0: no wrong attribution presented as certain`);
  report.metric('payers unattributed', Number(rate(s.unattributed, s.payingUsers).toFixed(4)), '', `${s.unattributed} users`);
  for (const reason of UNATTRIBUTED_REASONS) {
    const n = s.unattributedBy[reason];
    if (n > 0 || reason === 'coinjoin' || reason === 'untagged-exchange' || reason === 'hop-limit') report.metric(`payers unattributed, ${reason.replace('-', ' ')}`, Number(rate(n, s.payingUsers).toFixed(4)), '', `${n} users`);
  }
  report.metric('payments attributed to the true exchange', Number(rate(s.payments.right, s.payments.total).toFixed(4)), '', `${s.payments.right} of ${s.payments.total}; wrong: ${s.payments.wrong}`);
}

export async function run(report: BenchReporter): Promise<void> {
  const dir = await cachedWorld();
  const truth = await readTruth(join(dir, 'truth.json'));
  const home = mkdtempSync(join(tmpdir(), 'chaintrail-report-accuracy-'));
  try {
    const started = performance.now();
    const ingested = await ingestCase({ home, blocks: join(dir, 'blocks'), seeds: join(dir, 'seized-addresses.txt'), tagFiles: [join(dir, 'tags.yaml')], hopsBack: HOPS_BACK, hopsForward: HOPS_FORWARD });
    const ingestSeconds = (performance.now() - started) / 1000;
    try {
      const { store, record } = ingested;
      report.section(
        `report accuracy: scenario world (seed ${SEED}, ${truth.summary.users.toLocaleString('en-US')} users, ${truth.summary.payingUsers.toLocaleString('en-US')} paying, ${truth.summary.payments.toLocaleString('en-US')} payments), ingested ${HOPS_BACK} hops back and ${HOPS_FORWARD} forward`,
      );
      report.metric('ingest, tag and cluster', ingestSeconds, 's');
      const taggedFunders = await usersWithTaggedFunder(store, truth);

      let t = performance.now();
      const payers = await buildPayerReport(store, record);
      report.metric('payer report', (performance.now() - t) / 1000, 's', `${payers.payments.length} payments`);
      const score = scorePayers(payers, truth, taggedFunders);
      payerFigures(report, score);
      const firstHop = scorePayers(await buildPayerReport(store, record, { hopLimit: 1 }), truth, taggedFunders);
      report.metric('baseline (first hop only): payer attribution rate', Number(rate(firstHop.eligibleCorrect, firstHop.eligibleUsers).toFixed(4)), '', `${firstHop.eligibleCorrect} of ${firstHop.eligibleUsers}`);
      report.ratio('payers attributed: chaintrail vs first hop only', rate(score.eligibleCorrect, Math.max(1, firstHop.eligibleCorrect)), { target: '>= 1' });

      t = performance.now();
      const flows = await buildFlowReport(store, record, { fromSeeds: true, hopLimit: 12 });
      report.metric('forfeiture report (3 models)', (performance.now() - t) / 1000, 's');
      const published: Record<string, AccuracyFigures> = { 'payer-attribution': payerPublished(score, firstHop) };
      for (const s of scoreFlows(flows, truth)) {
        published[s.model] = {
          reconcilesToTheSatoshi: s.balanced,
          receiptsTracedOverTruth: rounded(rate(Number(s.received), Number(s.truthReceived))),
          exitsToExchangesTracedOverTruth: rounded(rate(Number(s.exitsToExchanges), Number(s.truthExitsToExchanges))),
          exchangesExactToTheSatoshi: s.exchangesExact,
          exchanges: s.exchanges,
          unspentHoldingsTracedOverTruth: rounded(rate(Number(s.held), Number(s.truthHeld))),
        };
        report.metric(`forfeiture ${s.model}: reconciles to the satoshi`, s.balanced ? 1 : 0, '', s.balanced ? 'yes' : 'NO');
        report.metric(`forfeiture ${s.model}: receipts traced / truth`, Number(rate(Number(s.received), Number(s.truthReceived)).toFixed(6)), '', `${btc(s.received)} of ${btc(s.truthReceived)} BTC`);
        report.metric(`forfeiture ${s.model}: exits to exchanges traced / truth`, Number(rate(Number(s.exitsToExchanges), Number(s.truthExitsToExchanges)).toFixed(6)), '', `${btc(s.exitsToExchanges)} of ${btc(s.truthExitsToExchanges)} BTC; ${s.exchangesExact} of ${s.exchanges} exchanges to the satoshi`);
        report.metric(`forfeiture ${s.model}: unspent holdings traced / truth`, Number(rate(Number(s.held), Number(s.truthHeld)).toFixed(6)), '', `${btc(s.held)} of ${btc(s.truthHeld)} BTC`);
      }
      for (const r of flows.results) {
        // Past the exits the models differ: what each says reached the exchanges' own wallets.
        report.metric(`forfeiture ${r.model.name}: at tagged services`, Number(r.reconciliation.downstream.atServices) / 1e8, 'BTC', `${r.services.length} services`);
      }
      if (!PUBLISH) {
        report.note(`not published (a world other than the default was chosen): ${PUBLISHED_ACCURACY_FILE} is unchanged`);
        return;
      }
      const changed = recordAccuracySection({
        section: 'models',
        figures: published,
        world: { generator: '@chaintrail/scenario', seed: SEED, users: truth.summary.users, payingUsers: truth.summary.payingUsers, payments: truth.summary.payments, hopsBack: HOPS_BACK, hopsForward: HOPS_FORWARD },
        chaintrailVersion: chaintrailVersion(),
        measuredAt: new Date().toISOString().slice(0, 10),
      });
      report.note(`${changed ? 'wrote' : 'unchanged (same figures)'}: the models section of ${PUBLISHED_ACCURACY_FILE}`);
    } finally {
      await ingested.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
