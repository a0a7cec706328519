import { resolve } from 'node:path';
import { type Command } from '@commander-js/extra-typings';
import type { ChainSource } from '@chaintrail/chain';
import { exportEvidenceBundle, findView, readAccuracyFile, REPORT_NAMES, viewTxids, type ExportResult, type ExportScope, type ReportName } from '@chaintrail/evidence';
import { ingestJobId, readIngestState, type JobJournal } from '@chaintrail/ingest';
import type { CaseRecord, GraphStore } from '@chaintrail/store';
import type { CliApp, CommandContext } from '../cli-app.js';
import { openCase, withStore } from '../case-stores.js';
import { openChainSource } from '../chain-source-spec.js';
import { cliVersion } from '../cli-version.js';
import { UsageError } from '../cli-errors.js';
import { nonNegativeInt, positiveInt } from '../option-parsers.js';

export interface ExportFlags {
  readonly case: string;
  readonly out: string;
  readonly report?: string;
  readonly source?: string | boolean;
  readonly tip?: number;
  readonly maxHeaders?: number;
  readonly linkExplanations?: number;
  readonly maxAddressTxs?: number;
  readonly exportedBy?: string;
  readonly exportedAt?: string;
  readonly tagFile?: string[];
  readonly accuracy?: string;
  readonly render?: boolean;
  readonly chromium?: string;
}

export function registerExportCommand(program: Command, app: CliApp): void {
  program
    .command('export')
    .description('write an evidence bundle (folder or zip) that another expert can verify offline: tables, raw transactions, merkle proofs, headers, graph, figure, report')
    .requiredOption('--case <name>', 'the case')
    .requiredOption('--out <path>', 'a folder to create, or FILE.zip')
    .option('--report <what>', 'what to export: payers, flows, or view:NAME (a saved view); default the whole case with both reports')
    .option('--source <spec>', 'chain source for merkle proofs, headers and the tip (default: the one the case was ingested from)')
    .option('--no-source', 'export without a chain source: the bundle states that its proofs are missing')
    .option('--tip <height>', 'prove against this block height instead of the source’s current tip (reproducible bundles from a live source)', nonNegativeInt('--tip'))
    .option('--max-headers <n>', 'headers between the lowest cited block and the tip beyond which only the cited blocks’ are included (default 50000)', positiveInt('--max-headers'))
    .option('--link-explanations <n>', 'store searches spent explaining cluster links (default 5000)', positiveInt('--link-explanations'))
    .option('--max-address-txs <n>', 'view:NAME: transactions cited per address node (default 1000)', positiveInt('--max-address-txs'))
    .option('--exported-by <name>', 'who exports (default $CHAINTRAIL_EXPORTED_BY; otherwise the bundle says "not stated")')
    .option('--exported-at <iso>', 'when (ISO 8601; default the time of the case’s last job, so that the same case gives the same bytes)')
    .option('--tag-file <path...>', 'tag files used, to record their SHA-256 in the manifest')
    .option('--accuracy <file>', 'error rates to cite in the report’s method section, in place of those published with this chaintrail (the JSON `pnpm accuracy` writes)')
    .option('--no-render', 'skip the PDF report and the PNG figure (they need Chromium)')
    .option('--chromium <path>', 'the Chromium to render them with (default $CHAINTRAIL_CHROMIUM or /usr/bin/chromium)')
    .addHelpText(
      'after',
      [
        '',
        'The bundle holds manifest.json, tables/*.csv, raw/<txid>.hex, proofs/, graph/ (GraphML, GEXF),',
        'figure/, report/ (HTML, PDF), method/accuracy.json (the published error rates the report cites) and',
        'SHA256SUMS. Check it with `chaintrail verify BUNDLE`. Vetoed cluster links are listed in the manifest.',
        'Exporting the same case twice with the same options gives the same bytes.',
        '',
        'Examples:',
        '  $ chaintrail export --case wtv --out wtv-evidence.zip --exported-by "J. Doe, NCA" --exported-at 2024-05-01T09:00:00Z',
        '  $ chaintrail export --case wtv --report payers --out payers-bundle',
        '  $ chaintrail export --case wtv --report view:exchanges --out view.zip --tag-file packs/exchanges.yaml',
        '  $ chaintrail export --case wtv --out wtv.zip --accuracy our-lab-accuracy.json',
      ].join('\n'),
    )
    .action((options, command) => app.run(command, (ctx) => runExport(ctx, options).then(() => undefined), { interruptible: true }));
}

/** What `--report` asks for. */
function parseReportFlag(value: string | undefined): { kind: 'case' } | { kind: 'report'; name: ReportName } | { kind: 'view'; name: string } {
  if (value === undefined) return { kind: 'case' };
  if (value.startsWith('view:') && value.length > 'view:'.length) return { kind: 'view', name: value.slice('view:'.length) };
  if ((REPORT_NAMES as readonly string[]).includes(value)) return { kind: 'report', name: value as ReportName };
  throw new UsageError(`--report takes ${REPORT_NAMES.join(', ')} or view:NAME, not "${value}"`);
}

/** Every transaction the case's ingestion wrote, from the job journal, in txid order. */
async function* journalTxids(journal: JobJournal): AsyncGenerator<string> {
  let after: string | null = null;
  for (;;) {
    const page = journal.storeTxids(after, 5_000);
    if (page.length === 0) return;
    yield* page;
    after = page.at(-1) as string;
    await Promise.resolve();
  }
}

async function scopeOf(ctx: CommandContext, store: GraphStore, journal: JobJournal, record: CaseRecord, flags: ExportFlags): Promise<{ scope: ExportScope; reports: ReportName[] }> {
  const wanted = parseReportFlag(flags.report);
  if (wanted.kind === 'view') {
    const view = await findView(store, record.id, record.name, wanted.name);
    const found = await viewTxids(store, view.state, flags.maxAddressTxs ?? 1000);
    const description = `saved view "${view.name}" (${found.nodes.txs} transaction, ${found.nodes.addresses} address and ${found.nodes.entities} entity nodes)`;
    return { scope: { kind: 'view', name: view.name, description, txids: found.txids, notes: found.notes }, reports: [] };
  }
  if (wanted.kind === 'report') {
    return { scope: { kind: 'report', name: wanted.name, description: `the ${wanted.name} report and every transaction it cites`, txids: [], notes: [] }, reports: [wanted.name] };
  }
  const total = journal.storeTxCount();
  const own = journal.caseTxCount(record.id);
  const notes = total > own ? [`the store's job journal lists ${total} transactions, ${own} of them ingested for this case; the bundle includes all ${total} (the journal does not list one case's alone)`] : [];
  if (total === 0) ctx.out.warn(`the job journal ${journal.path} lists no transaction: the bundle covers only what the reports cite (run ingest first)`);
  return { scope: { kind: 'case', name: null, description: `the whole case: every transaction its ingestion stored, and both reports`, txids: journalTxids(journal), notes }, reports: [...REPORT_NAMES] };
}

/** The chain source for proofs: `--source`, else the one the case was ingested from; null with the reason when there is none. */
async function proofSourceOf(ctx: CommandContext, store: GraphStore, caseId: string, flag: string | boolean | undefined): Promise<{ source: ChainSource | null; reason: string }> {
  if (flag === false) return { source: null, reason: 'the export was run with --no-source' };
  let spec = typeof flag === 'string' ? flag : null;
  if (spec === null) {
    const state = readIngestState((await store.getCheckpoint(ingestJobId(caseId)))?.state);
    if (state === null) return { source: null, reason: 'the case has no ingestion to name its chain source, and no --source was given' };
    spec = state.source;
  }
  ctx.progress.stage('open chain source', null);
  try {
    return { source: await openChainSource(spec, { home: ctx.config.home, network: ctx.config.network, requestsPerSecond: ctx.config.rps, retries: ctx.config.retries }), reason: '' };
  } catch (error) {
    throw new UsageError(`cannot open the chain source ${spec} for merkle proofs (${(error as Error).message}); pass --source SPEC, or --no-source to export without proofs`);
  } finally {
    ctx.progress.stop();
  }
}

export async function runExport(ctx: CommandContext, flags: ExportFlags): Promise<ExportResult> {
  const out = resolve(flags.out);
  const accuracy = flags.accuracy ? readAccuracyFile(flags.accuracy) : undefined;
  const { opened, record } = await openCase(ctx.config, flags.case);
  return withStore(opened, async ({ store }) => {
    const { scope, reports } = await scopeOf(ctx, store, opened.journal(), record, flags);
    const { source, reason } = await proofSourceOf(ctx, store, record.id, flags.source);
    let stage = '';
    try {
      const exportedBy = flags.exportedBy ?? ctx.io.env['CHAINTRAIL_EXPORTED_BY'] ?? null;
      const result = await exportEvidenceBundle({
        store,
        caseId: record.id,
        scope,
        reports,
        out,
        source,
        ...(source === null ? { noSourceReason: reason } : {}),
        toolVersion: cliVersion(),
        network: ctx.config.network,
        exportedBy,
        exportedAt: flags.exportedAt ?? null,
        ...(flags.tip !== undefined ? { tipHeight: flags.tip } : {}),
        ...(flags.maxHeaders !== undefined ? { maxHeaders: flags.maxHeaders } : {}),
        ...(flags.linkExplanations !== undefined ? { linkExplanations: flags.linkExplanations } : {}),
        tagFiles: (flags.tagFile ?? []).map((f) => resolve(f)),
        ...(accuracy ? { accuracy } : {}),
        chromium: flags.render === false ? false : (flags.chromium ?? null),
        parameters: { report: flags.report ?? null, source: typeof flags.source === 'string' ? flags.source : flags.source === false ? 'none' : 'as ingested', maxAddressTxs: flags.maxAddressTxs ?? null },
        signal: ctx.signal,
        onProgress: (label, done, total) => {
          if (label !== stage) {
            stage = label;
            ctx.progress.stage(`export: ${label}`, total);
          }
          ctx.progress.update(done, total);
        },
      });
      ctx.progress.stop();
      ctx.out.result({ case: record.name, out: result.out, kind: result.kind, files: result.files, bytes: result.bytes, sha256: result.sha256, manifest: result.manifest }, () => exportLines(result));
      return result;
    } finally {
      await source?.close();
    }
  });
}

function exportLines(result: ExportResult): string[] {
  const m = result.manifest;
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = [
    `Wrote the evidence bundle of case ${m.case.name} to ${result.out} (${result.kind}, ${n(result.files)} files, ${n(result.bytes)} bytes).`,
    `  SHA-256 of the ${result.kind === 'zip' ? 'zip' : 'SHA256SUMS file'}: ${result.sha256}`,
    `  scope: ${m.scope.description}`,
    `  ${n(m.contents.transactions)} transactions (${n(m.contents.scopeTransactions)} cited, ${n(m.contents.linkTransactions)} justifying links, ${n(m.contents.parentTransactions)} parents), ${n(m.contents.addresses)} addresses, ${n(m.contents.entities)} entities, ${n(m.contents.paymentsToSeeds)} payments to seized addresses`,
    `  chain tip: ${m.chain.tip ? `${n(m.chain.tip.height)} ${m.chain.tip.hash}` : 'unknown'} (${m.chain.tipBasis})`,
    `  analysis computed at: ${m.chain.storeTip ? `${n(m.chain.storeTip.height)} ${m.chain.storeTip.hash}` : 'unknown'} (the store's chain tip)`,
    m.proofs.complete
      ? `  proofs: complete (${n(m.proofs.merkle.included)} merkle proofs, headers ${m.proofs.headers.fromHeight} to ${m.proofs.headers.toHeight})`
      : `  proofs: INCOMPLETE: ${n(m.proofs.merkle.missing.length)} transactions without a merkle proof, ${m.proofs.headers.gaps.length} header gaps (see manifest.json)`,
  ];
  lines.push(m.accuracy ? `  error rates cited: ${m.accuracy.name}, ${m.accuracy.basis} (embedded as ${m.accuracy.file})` : '  error rates cited: none (this build ships no published-accuracy.json; pass --accuracy FILE)');
  if (m.vetoes.length > 0) lines.push(`  vetoed cluster links: ${n(m.vetoes.length)} (listed in manifest.json and the report)`);
  for (const section of m.sections) lines.push(`  ${section.title}: ${section.included ? 'included' : `not included (${section.reason ?? ''})`}`);
  for (const file of m.optionalFiles) if (!file.included) lines.push(`  ${file.path}: not produced (${file.how})`);
  for (const note of [...m.scope.notes, ...m.chain.notes].slice(0, 10)) lines.push(`  note: ${note}`);
  lines.push('', `Check it: chaintrail verify ${result.out}`);
  return lines;
}
