import type { Command } from '@commander-js/extra-typings';
import type { ChangeHeuristicName } from '@chaintrail/core';
import { journalClusterInputs, JournalOutOfStepError, runClustering, storedVetoes, type CaseVeto, type ClusterRunReport } from '@chaintrail/ingest';
import { NotFoundError, type CaseRecord, type GraphStore, type JsonValue } from '@chaintrail/store';
import type { CliApp, CommandContext } from '../cli-app.js';
import { openCase, openStoreAt, storeLabel, withStore, type OpenedStore } from '../case-stores.js';
import { UsageError } from '../cli-errors.js';
import { formatTable } from '../format.js';
import { CHANGE_HEURISTIC_NAMES, changeHeuristicList, positiveInt } from '../option-parsers.js';

export const DEFAULT_SUPER_CLUSTER_THRESHOLD = 100;

export function registerCluster(program: Command, app: CliApp): void {
  program
    .command('cluster')
    .description("cluster the store's addresses into entities (common-input ownership, CoinJoins excluded, optional change heuristics) and lift tags to entities")
    .requiredOption('--case <name>', 'the case whose store to cluster')
    .option('--change-heuristics <list>', `comma-separated, off by default (${CHANGE_HEURISTIC_NAMES.join(', ')})`, changeHeuristicList)
    .option('--super-cluster-threshold <n>', `list entities of at least this many addresses, with the transactions that merged them (default ${DEFAULT_SUPER_CLUSTER_THRESHOLD})`, positiveInt('--super-cluster-threshold'))
    .addHelpText(
      'after',
      [
        '',
        'Every link keeps the transaction and heuristic that justify it: see `chaintrail explain`.',
        'Change heuristics have error rates of their own and are marked on every link they make.',
        'A few false links can collapse many owners into one super-cluster: the report lists each large',
        'entity with the merges that built it, likeliest false links first. Veto a link with',
        '`chaintrail veto --case NAME --txid TXID --reason TEXT`; vetoes recorded in the store apply to every run.',
        '',
        'Examples:',
        '  $ chaintrail cluster --case wtv',
        '  $ chaintrail cluster --case wtv --super-cluster-threshold 50',
        '  $ chaintrail cluster --case wtv --change-heuristics change:address-reuse,change:one-time --json',
      ].join('\n'),
    )
    .action((options, command) =>
      app.run(command, (ctx) => runClusterCommand(ctx, options.case, options.changeHeuristics ?? [], { superClusterThreshold: options.superClusterThreshold }).then(() => undefined), { interruptible: true }),
    );

  program
    .command('explain')
    .description('why are these two addresses one entity? The chain of links between them, each with its transaction and heuristic, and any vetoed links that touch them')
    .argument('<a>', 'an address')
    .argument('<b>', 'another address')
    .option('--case <name>', 'the case whose store to ask (needed unless --store is given)')
    .addHelpText('after', '\nExamples:\n  $ chaintrail explain 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 12c6DSiU4Rq3P4ZxziKxzrGPNXt6vC8B1 --case wtv\n  $ chaintrail --store sqlite:case.sqlite explain ADDR_A ADDR_B --json')
    .action((a, b, options, command) => app.run(command, (ctx) => explain(ctx, a, b, options.case)));
}

export interface ClusterCommandOptions {
  readonly superClusterThreshold?: number | undefined;
}

/** What `cluster` prints and returns: the run's report, the super-cluster threshold and the vetoes the run applied. */
export interface ClusterCommandResult extends ClusterRunReport {
  readonly superClusterThreshold: number;
  readonly vetoes: readonly CaseVeto[];
}

export async function runClusterCommand(ctx: CommandContext, caseName: string, heuristics: readonly ChangeHeuristicName[], options: ClusterCommandOptions = {}): Promise<ClusterCommandResult> {
  const { opened, record } = await openCase(ctx.config, caseName);
  return withStore(opened, async (open) => {
    const result = await clusterOpenStore(ctx, open, record, heuristics, options);
    ctx.out.result({ case: record.name, ...result }, () => clusterLines(result, record.name));
    return result;
  });
}

/** Clusters an open store (the `cluster` command, and `veto` after it records a veto) and checkpoints the run. */
export async function clusterOpenStore(ctx: CommandContext, opened: OpenedStore, record: CaseRecord, heuristics: readonly ChangeHeuristicName[], options: ClusterCommandOptions = {}): Promise<ClusterCommandResult> {
  const superClusterThreshold = options.superClusterThreshold ?? DEFAULT_SUPER_CLUSTER_THRESHOLD;
  const { store } = opened;
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
    largeEntity: superClusterThreshold,
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
  await store.setCheckpoint({ jobId: `cluster:${record.id}`, caseId: record.id, kind: 'cluster', state: { status: 'done', finishedAt: new Date().toISOString(), superClusterThreshold, report } as unknown as JsonValue });
  return { ...report, superClusterThreshold, vetoes: await storedVetoes(store) };
}

export function clusterLines(report: ClusterRunReport & Partial<Pick<ClusterCommandResult, 'superClusterThreshold' | 'vetoes'>>, caseName?: string): string[] {
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = [
    `Clustered ${n(report.transactions)} transactions: ${n(report.addresses)} addresses in ${n(report.entities)} entities, ${n(report.links)} links (${report.heuristics.join(', ')}).`,
    `  CoinJoin-like transactions excluded: ${n(report.coinjoins)}${report.coinjoins > 0 ? ` (${Object.entries(report.coinjoinsByRule).map(([r, c]) => `${r} ${c}`).join(', ')})` : ''}; CoinJoin hits vetoed: ${n(report.coinjoinVetoes)}; post-mix spends: ${n(report.postMix)}.`,
    `  Entities labelled from tags: ${n(report.labelled)}${report.tagConflicts > 0 ? `; ${n(report.tagConflicts)} with conflicting tags left unlabelled` : ''}.`,
  ];
  if (report.vetoes !== undefined && report.vetoes.length > 0) lines.push(`  Vetoed links applied: ${n(report.vetoes.length)} (chaintrail veto list${caseName ? ` --case ${caseName}` : ''}).`);
  lines.push(...superClusterLines(report.largest, report.superClusterThreshold, caseName));
  return lines;
}

/** The super-cluster guard: each large entity with the merges that built it, likeliest false links first. */
export function superClusterLines(largest: ClusterRunReport['largest'], threshold: number | undefined, caseName: string | undefined): string[] {
  const n = (v: number): string => v.toLocaleString('en-US');
  const title = `Entities of ${threshold === undefined ? 'many' : `${n(threshold)} or more`} addresses`;
  if (largest.length === 0) return threshold === undefined ? [] : ['', `${title}: none.`];
  const lines = ['', `${title} (check the transactions that built them before relying on them; those joining the largest parts first, the likeliest false links):`];
  for (const entity of largest) {
    lines.push(`  ${entity.entityId}: ${n(entity.size)} addresses`);
    const rows = entity.topMerges.map((m) => [m.txid, m.heuristic, `${n(m.sizes[0])} + ${n(m.sizes[1])}`, n(m.unions ?? 1)]);
    lines.push(...formatTable(['merged by transaction', 'heuristic', 'largest join', 'unions'], rows).map((l) => `    ${l}`));
  }
  lines.push('', `A link you judge false: chaintrail veto --case ${caseName ?? 'NAME'} --txid TXID --reason "why"   (the entity is split at once and stays split)`);
  return lines;
}

async function explain(ctx: CommandContext, a: string, b: string, caseName: string | undefined): Promise<void> {
  if (caseName === undefined && ctx.config.store === null) throw new UsageError('explain needs --case NAME (or --store SPEC) to know which store to ask');
  const opened = caseName !== undefined ? (await openCase(ctx.config, caseName)).opened : await openStoreAt(ctx.config.store as string, ctx.config.home);
  await withStore(opened, async ({ store }) => {
    const explanation = await store.explainCluster(a, b);
    const vetoes = await vetoesTouching(store, [a, b]);
    ctx.out.result({ a, b, sameEntity: explanation !== null, store: storeLabel(opened.spec), ...(explanation ?? {}), vetoes }, () => {
      const lines: string[] = [];
      if (explanation === null) lines.push(`${a} and ${b} are not in one entity in ${storeLabel(opened.spec)}.`);
      else if (explanation.links.length === 0) lines.push(`${a} and ${b} are the same address (entity ${explanation.entityId}).`);
      else {
        lines.push(
          `${a} and ${b} are one entity (${explanation.entityId}) through ${explanation.links.length} link${explanation.links.length === 1 ? '' : 's'}:`,
          ...explanation.links.map((l, i) => `  ${i + 1}. ${l.a} — ${l.b}: ${l.heuristic} (confidence ${l.confidence}) in transaction ${l.txid}`),
          '',
          'Each transaction can be checked on any block explorer: for cioh, both addresses sign inputs of it.',
        );
      }
      if (vetoes.length > 0) {
        lines.push('', 'Vetoed links touching these addresses (never applied by clustering):');
        lines.push(...vetoes.map((v) => `  ${v.txid}: ${v.heuristic ?? 'every heuristic'}${v.reason ? `, "${v.reason}"` : ''} (recorded ${v.recordedAt}${v.by ? ` by ${v.by}` : ''})`));
      }
      return lines;
    });
  });
}

/** The store's vetoes whose transaction pays or spends from any of `addresses`. */
async function vetoesTouching(store: GraphStore, addresses: readonly string[]): Promise<CaseVeto[]> {
  const wanted = new Set(addresses);
  const touching: CaseVeto[] = [];
  for (const veto of await storedVetoes(store)) {
    const tx = await store.getTransaction(veto.txid).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (tx === null) continue;
    if ([...tx.inputs, ...tx.outputs].some((x) => x.address !== null && wanted.has(x.address))) touching.push(veto);
  }
  return touching;
}
