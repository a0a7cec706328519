import type { Command } from '@commander-js/extra-typings';
import { SourceUnsupportedError, type ChainSource } from '@chaintrail/chain';
import type { ChangeHeuristicName } from '@chaintrail/core';
import { resolveIngestSettings, runIngest, type IngestProgress, type IngestResult } from '@chaintrail/ingest';
import type { CliApp, CommandContext } from '../cli-app.js';
import { openCase, withStore } from '../case-stores.js';
import { openChainSource } from '../chain-source-spec.js';
import { formatTable } from '../format.js';
import { CHANGE_HEURISTIC_NAMES, changeHeuristicList, nonNegativeInt, positiveInt } from '../option-parsers.js';
import { clusterLines } from './cluster.js';

export interface IngestFlags {
  readonly case: string;
  readonly source: string;
  readonly hopsBack?: number;
  readonly hopsForward?: number;
  readonly minValue?: number;
  readonly maxTxsPerAddress?: number;
  readonly concurrency?: number;
  readonly rps?: number;
  readonly retries?: number;
  readonly cluster?: boolean;
  readonly changeHeuristics?: ChangeHeuristicName[];
}

export function registerIngest(program: Command, app: CliApp): void {
  program
    .command('ingest')
    .description("fetch every transaction of a case's seeds, expand backward and forward, write them to the store, and cluster")
    .requiredOption('--case <name>', 'the case to ingest')
    .requiredOption('--source <spec>', 'blocks:DIR_OR_FILE | esplora:URL | core:URL')
    .option('--hops-back <n>', 'hops backward from the seeds (who paid)', nonNegativeInt('--hops-back'))
    .option('--hops-forward <n>', 'hops forward from the seeds (where the money went)', nonNegativeInt('--hops-forward'))
    .option('--min-value <sats>', 'do not follow inputs or outputs worth less than this', nonNegativeInt('--min-value'))
    .option('--max-txs-per-address <n>', 'read at most this many transactions of any address (exchange hot wallets); cuts are reported', positiveInt('--max-txs-per-address'))
    .option('--concurrency <n>', 'requests in flight against the source', positiveInt('--concurrency'))
    .option('--retries <n>', 'retries of a failed request to an HTTP source, with backoff (default 6)', nonNegativeInt('--retries'))
    .option('--rps <n>', 'requests per second against an HTTP source (default 8, polite to public servers; raise it for your own)', positiveInt('--rps'))
    .option('--no-cluster', 'skip the clustering run at the end')
    .option('--change-heuristics <list>', `comma-separated change heuristics for the clustering run (${CHANGE_HEURISTIC_NAMES.join(', ')})`, changeHeuristicList)
    .addHelpText(
      'after',
      [
        '',
        'Resumable: after a crash or Ctrl-C, run the same command again and it continues where it',
        'stopped. Defaults come from CHAINTRAIL_HOPS_BACK, CHAINTRAIL_HOPS_FORWARD, CHAINTRAIL_MIN_VALUE,',
        'CHAINTRAIL_MAX_TXS_PER_ADDRESS, CHAINTRAIL_CONCURRENCY, CHAINTRAIL_RPS and CHAINTRAIL_RETRIES when set.',
        '',
        'Examples:',
        '  $ chaintrail ingest --case wtv --source blocks:~/.bitcoin/blocks',
        '  $ chaintrail ingest --case wtv --source esplora:https://blockstream.info/api --hops-back 3 --max-txs-per-address 500',
        '  $ chaintrail ingest --case wtv --source esplora:http://127.0.0.1:3002 --min-value 10000 --json',
      ].join('\n'),
    )
    .action((options, command) => app.run(command, (ctx) => runIngestCommand(ctx, options).then(() => undefined), { interruptible: true }));
}

const PHASE_LABEL: Record<IngestProgress['phase'], string> = { seeds: 'seeds', back: 'back hop', forward: 'forward hop', cluster: 'cluster', done: 'done' };

export async function runIngestCommand(ctx: CommandContext, flags: IngestFlags): Promise<IngestResult> {
  const base = ctx.config.ingest;
  const settings = resolveIngestSettings({
    ...base,
    network: ctx.config.network,
    ...(flags.hopsBack !== undefined ? { hopsBack: flags.hopsBack } : {}),
    ...(flags.hopsForward !== undefined ? { hopsForward: flags.hopsForward } : {}),
    ...(flags.minValue !== undefined ? { minValue: flags.minValue } : {}),
    ...(flags.maxTxsPerAddress !== undefined ? { maxTxsPerAddress: flags.maxTxsPerAddress } : {}),
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
  });
  const { opened, record } = await openCase(ctx.config, flags.case);
  return withStore(opened, async ({ store }) => {
    ctx.progress.stage('index block files', null);
    let source: ChainSource;
    try {
      source = await openChainSource(flags.source, {
        home: ctx.config.home,
        network: settings.network,
        // An HTTP source keeps its own polite default unless asked for more.
        ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
        requestsPerSecond: flags.rps ?? ctx.config.rps,
        retries: flags.retries ?? ctx.config.retries,
        onIndexProgress: (p) => ctx.progress.update(p.transactions),
      });
    } finally {
      ctx.progress.stop();
    }
    try {
      if (!source.capabilities.addressHistory) {
        throw new SourceUnsupportedError(source.description, 'list the transactions of an address', 'Seeds need address history: use esplora:URL (a self-hosted electrs) or blocks:<datadir>/blocks of the same node.');
      }
      let stage = '';
      const result = await runIngest({
        store,
        source,
        journal: opened.journal(),
        caseId: record.id,
        settings,
        cluster: flags.cluster !== false,
        changeHeuristics: flags.changeHeuristics ?? [],
        signal: ctx.signal,
        onRestart: (reason) => ctx.out.warn(`starting the ingestion over: ${reason}`),
        onProgress: (p) => {
          const label = p.phase === 'seeds' || p.phase === 'cluster' ? PHASE_LABEL[p.phase] : `${PHASE_LABEL[p.phase]} ${p.hop}`;
          if (label !== stage) {
            stage = label;
            ctx.progress.stage(label, p.total);
          }
          ctx.progress.update(p.done, p.total);
        },
      });
      ctx.progress.stop();
      ctx.out.result({ case: record.name, resumed: result.resumed, alreadyDone: result.alreadyDone, sourceStats: source.stats(), ...result.state }, () => ingestLines(record.name, result));
      return result;
    } finally {
      await source.close();
    }
  });
}

function ingestLines(caseName: string, result: IngestResult): string[] {
  const s = result.state;
  const c = s.counts;
  const cuts = s.cuts;
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = [
    result.alreadyDone ? `Case ${caseName} was already ingested with these options (finished ${s.finishedAt ?? '?'}); nothing to do.` : `Ingested case ${caseName} from ${s.source}${result.resumed ? ' (resumed from its checkpoint)' : ''}.`,
    `  hops back ${s.scope.hopsBack}, forward ${s.scope.hopsForward}, min value ${n(s.scope.minValue)} sat, at most ${n(s.scope.maxTxsPerAddress)} txs per address`,
    `  ${n(c.seedsDone)} seeds, ${n(c.seedTxs)} seed transactions, ${n(c.fetched)} transactions fetched in all`,
  ];
  const limits: string[][] = [];
  if (cuts.truncatedSeeds > 0) limits.push(['max-txs-per-address', `${n(cuts.truncatedSeeds)} seeds had more transactions than the limit`]);
  if (cuts.spenderSearchCut > 0) limits.push(['max-txs-per-address', `${n(cuts.spenderSearchCut)} outputs' spenders not found within the limit (${n(cuts.cutAddresses)} busy addresses)`]);
  if (cuts.backEdgeParents > 0) limits.push(['hops-back', `${n(cuts.backEdgeParents)} parent transactions past the last backward hop not fetched`]);
  if (cuts.forwardEdgeTxs > 0) limits.push(['hops-forward', `spenders of ${n(cuts.forwardEdgeTxs)} transactions at the last forward hop not followed`]);
  if (c.backInputsBelowMinimum + c.forwardOutputsBelowMinimum > 0) limits.push(['min-value', `${n(c.backInputsBelowMinimum)} inputs and ${n(c.forwardOutputsBelowMinimum)} outputs below the minimum not followed`]);
  if (limits.length > 0) lines.push('', 'Limits that cut something:', ...formatTable(['limit', 'what was cut'], limits).map((l) => `  ${l}`));
  const samples = [...cuts.samples.truncatedSeeds.map((x) => `  seed ${x.subject}: ${x.detail}`), ...cuts.samples.cutAddresses.slice(0, 5).map((x) => `  address ${x.subject}: ${x.detail}`)];
  if (samples.length > 0) lines.push('', 'Cut addresses (first of each kind):', ...samples.slice(0, 15));
  if (c.missing > 0) lines.push('', `${n(c.missing)} transactions were not in the source (e.g. ${cuts.samples.missing.slice(0, 3).map((m) => m.subject).join(', ')}).`);
  if (c.unplaced > 0) lines.push(`${n(c.unplaced)} confirmed transactions were stored without a block height (the source does not know it).`);
  if (s.cluster !== null) lines.push('', ...clusterLines(s.cluster as Parameters<typeof clusterLines>[0], caseName));
  lines.push('', `Next: chaintrail case show ${caseName}   chaintrail status --case ${caseName}`);
  return lines;
}

