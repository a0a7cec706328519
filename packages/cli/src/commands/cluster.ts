import type { Command } from '@commander-js/extra-typings';
import type { ChangeHeuristicName } from '@chaintrail/core';
import { journalClusterInputs, JournalOutOfStepError, runClustering, type ClusterRunReport } from '@chaintrail/ingest';
import type { JsonValue } from '@chaintrail/store';
import type { CliApp, CommandContext } from '../cli-app.js';
import { openCase, openStoreAt, storeLabel, withStore } from '../case-stores.js';
import { UsageError } from '../cli-errors.js';
import { formatTable } from '../format.js';
import { CHANGE_HEURISTIC_NAMES, changeHeuristicList } from '../option-parsers.js';

export function registerCluster(program: Command, app: CliApp): void {
  program
    .command('cluster')
    .description("cluster the store's addresses into entities (common-input ownership, CoinJoins excluded, optional change heuristics) and lift tags to entities")
    .requiredOption('--case <name>', 'the case whose store to cluster')
    .option('--change-heuristics <list>', `comma-separated, off by default (${CHANGE_HEURISTIC_NAMES.join(', ')})`, changeHeuristicList)
    .addHelpText(
      'after',
      [
        '',
        'Every link keeps the transaction and heuristic that justify it: see `chaintrail explain`.',
        'Change heuristics have error rates of their own and are marked on every link they make.',
        '',
        'Examples:',
        '  $ chaintrail cluster --case wtv',
        '  $ chaintrail cluster --case wtv --change-heuristics change:address-reuse,change:one-time --json',
      ].join('\n'),
    )
    .action((options, command) => app.run(command, (ctx) => runClusterCommand(ctx, options.case, options.changeHeuristics ?? []).then(() => undefined), { interruptible: true }));

  program
    .command('explain')
    .description('why are these two addresses one entity? The chain of links between them, each with its transaction and heuristic')
    .argument('<a>', 'an address')
    .argument('<b>', 'another address')
    .option('--case <name>', 'the case whose store to ask (needed unless --store is given)')
    .addHelpText('after', '\nExamples:\n  $ chaintrail explain 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 12c6DSiU4Rq3P4ZxziKxzrGPNXt6vC8B1 --case wtv\n  $ chaintrail --store sqlite:case.sqlite explain ADDR_A ADDR_B --json')
    .action((a, b, options, command) => app.run(command, (ctx) => explain(ctx, a, b, options.case)));
}

export async function runClusterCommand(ctx: CommandContext, caseName: string, heuristics: readonly ChangeHeuristicName[]): Promise<ClusterRunReport> {
  const { opened, record } = await openCase(ctx.config, caseName);
  return withStore(opened, async ({ store }) => {
    const journal = opened.journal();
    const stored = (await store.stats()).transactions;
    const listed = journal.storeTxCount();
    if (listed === 0 && stored > 0) throw new JournalOutOfStepError(journal.path, stored);
    if (listed < stored) ctx.out.warn(`${stored - listed} stored transactions are not in the job journal ${journal.path} and are left out of clustering; run ingest again to include them`);
    let stage = '';
    const report = await runClustering({
      store,
      ...journalClusterInputs(journal),
      total: listed,
      changeHeuristics: heuristics,
      network: ctx.config.network,
      signal: ctx.signal,
      onProgress: (p) => {
        if (p.stage !== stage) {
          stage = p.stage;
          ctx.progress.stage(`cluster: ${p.stage}`, p.total);
        }
        ctx.progress.update(p.done, p.total);
      },
    });
    ctx.progress.stop();
    await store.setCheckpoint({ jobId: `cluster:${record.id}`, caseId: record.id, kind: 'cluster', state: { status: 'done', finishedAt: new Date().toISOString(), report } as unknown as JsonValue });
    ctx.out.result({ case: record.name, ...report }, () => clusterLines(report));
    return report;
  });
}

export function clusterLines(report: ClusterRunReport): string[] {
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = [
    `Clustered ${n(report.transactions)} transactions: ${n(report.addresses)} addresses in ${n(report.entities)} entities, ${n(report.links)} links (${report.heuristics.join(', ')}).`,
    `  CoinJoin-like transactions excluded: ${n(report.coinjoins)}${report.coinjoins > 0 ? ` (${Object.entries(report.coinjoinsByRule).map(([r, c]) => `${r} ${c}`).join(', ')})` : ''}; CoinJoin hits vetoed: ${n(report.coinjoinVetoes)}; post-mix spends: ${n(report.postMix)}.`,
    `  Entities labelled from tags: ${n(report.labelled)}${report.tagConflicts > 0 ? `; ${n(report.tagConflicts)} with conflicting tags left unlabelled` : ''}.`,
  ];
  if (report.largest.length > 0) {
    lines.push('', 'Largest entities (check the merges that built them before relying on them):');
    lines.push(...formatTable(['entity', 'addresses', 'largest merge (tx, sizes joined)'], report.largest.map((e) => [e.entityId, n(e.size), e.topMerges[0] ? `${e.topMerges[0].txid} (${e.topMerges[0].sizes.join(' + ')})` : '-'])).map((l) => `  ${l}`));
  }
  return lines;
}

async function explain(ctx: CommandContext, a: string, b: string, caseName: string | undefined): Promise<void> {
  if (caseName === undefined && ctx.config.store === null) throw new UsageError('explain needs --case NAME (or --store SPEC) to know which store to ask');
  const opened = caseName !== undefined ? (await openCase(ctx.config, caseName)).opened : await openStoreAt(ctx.config.store as string, ctx.config.home);
  await withStore(opened, async ({ store }) => {
    const explanation = await store.explainCluster(a, b);
    ctx.out.result({ a, b, sameEntity: explanation !== null, store: storeLabel(opened.spec), ...(explanation ?? {}) }, () => {
      if (explanation === null) return [`${a} and ${b} are not in one entity in ${storeLabel(opened.spec)}.`];
      if (explanation.links.length === 0) return [`${a} and ${b} are the same address (entity ${explanation.entityId}).`];
      return [
        `${a} and ${b} are one entity (${explanation.entityId}) through ${explanation.links.length} link${explanation.links.length === 1 ? '' : 's'}:`,
        ...explanation.links.map((l, i) => `  ${i + 1}. ${l.a} — ${l.b}: ${l.heuristic} (confidence ${l.confidence}) in transaction ${l.txid}`),
        '',
        'Each transaction can be checked on any block explorer: for cioh, both addresses sign inputs of it.',
      ];
    });
  });
}
