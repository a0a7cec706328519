import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import { FLOW_MODEL_NAMES, isFlowModelName, type FlowModelName } from '@chaintrail/core';
import {
  buildFlowReport,
  buildPayerReport,
  FLOW_DEFAULTS,
  flowDestinationsCsv,
  PAYER_DEFAULTS,
  payerPaymentsCsv,
  payerServicesCsv,
  type FlowModelResult,
  type FlowReport,
  type PayerReport,
  type ReportHeader,
} from '@chaintrail/report';
import type { NodeRef } from '@chaintrail/store';
import type { CliApp, CommandContext } from '../cli-app.js';
import { openCase, withStore } from '../case-stores.js';
import { UsageError } from '../cli-errors.js';
import { formatBtc, formatTable } from '../format.js';
import { positiveInt } from '../option-parsers.js';

/** `--min-share 0.9`: a share above 0 and at most 1. */
function shareArgument(value: string): number {
  const share = Number(value);
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(value.trim()) || !(share > 0)) throw new InvalidArgumentError(`--min-share takes a share above 0 and at most 1 (e.g. 0.9), not "${value}".`);
  return share;
}

/** `--model haircut,fifo` or `all`. */
function modelList(value: string): FlowModelName[] {
  if (value.trim() === 'all') return [...FLOW_MODEL_NAMES];
  const items = value.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  for (const item of items) if (!isFlowModelName(item)) throw new InvalidArgumentError(`--model: unknown "${item}"; choose from ${FLOW_MODEL_NAMES.join(', ')} or all.`);
  return items as FlowModelName[];
}

function csvTable(value: string | boolean | undefined, allowed: readonly string[]): string | null {
  if (value === undefined || value === false) return null;
  const table = value === true ? (allowed[0] as string) : value;
  if (!allowed.includes(table)) throw new UsageError(`--csv takes ${allowed.join(' or ')}, not "${table}"`);
  return table;
}

export function registerReportCommand(program: Command, app: CliApp): void {
  const report = program
    .command('report')
    .description('investigator reports: who paid the seized addresses (payers) and where the site’s money went (flows); every figure traceable to transactions');

  report
    .command('payers')
    .description('for every seed address: each payment, the entity that paid it and the nearest tagged service behind it; then the subpoena list per service')
    .requiredOption('--case <name>', 'the case')
    .option('--hop-limit <n>', `transactions walked back from each payment (default ${PAYER_DEFAULTS.hopLimit})`, positiveInt('--hop-limit'))
    .option('--min-share <share>', `share of a payment one service must account for to be attributed (default ${PAYER_DEFAULTS.minShare})`, shareArgument)
    .option('--max-txs <n>', `transactions read per payment before giving up (default ${PAYER_DEFAULTS.maxTxsPerPayment})`, positiveInt('--max-txs'))
    .option('--csv [table]', 'print CSV instead of tables: payments (default) or services (the subpoena list)')
    .addHelpText(
      'after',
      [
        '',
        'A payment is attributed only when one tagged service accounts for at least --min-share of it and no CoinJoin',
        'is on its trail; the others are listed as partial, ambiguous, coinjoin (flagged, not traced through) or',
        'unattributed, with the reason. The report records the chain tip, its parameters and the tag sources it used.',
        '',
        'Examples:',
        '  $ chaintrail report payers --case wtv',
        '  $ chaintrail report payers --case wtv --csv services > subpoenas.csv',
        '  $ chaintrail report payers --case wtv --json > payers.json',
      ].join('\n'),
    )
    .action((options, command) => app.run(command, (ctx) => runPayerReport(ctx, options)));

  report
    .command('flows')
    .description('forward from the site’s entity: where its money went, hop by hop, by poison, haircut or FIFO; what still sits unspent and which tagged services hold it')
    .requiredOption('--case <name>', 'the case')
    .option('--from <entity...>', 'entity ids, or addresses standing for their entities, to trace from')
    .option('--from-seeds', 'trace from the entity (or lone address) of every seed of the case')
    .option('--model <list>', `flow models, comma-separated, or all (default all: ${FLOW_MODEL_NAMES.join(', ')})`, modelList)
    .option('--hop-limit <n>', `transactions from the site after which money is not followed (default ${FLOW_DEFAULTS.hopLimit})`, positiveInt('--hop-limit'))
    .option('--max-txs <n>', `transactions processed per model before stopping (default ${FLOW_DEFAULTS.maxTxs})`, positiveInt('--max-txs'))
    .option('--csv', 'print the destinations as CSV (one row per destination and model)')
    .addHelpText(
      'after',
      [
        '',
        'Totals reconcile to the satoshi: received (+ returned, + contaminated under poison) = traced out + fees + unspent.',
        'Courts prefer the most conservative model, so all three are computed side by side unless --model narrows them.',
        '',
        'Examples:',
        '  $ chaintrail report flows --case wtv --from E459b2c80bcfee331e11dd2ce',
        '  $ chaintrail report flows --case wtv --from-seeds --model fifo --csv > fifo.csv',
      ].join('\n'),
    )
    .action((options, command) => app.run(command, (ctx) => runFlowReport(ctx, options)));
}

interface PayerFlags {
  readonly case: string;
  readonly hopLimit?: number;
  readonly minShare?: number;
  readonly maxTxs?: number;
  readonly csv?: string | boolean;
}

async function runPayerReport(ctx: CommandContext, flags: PayerFlags): Promise<void> {
  const table = csvTable(flags.csv, ['payments', 'services']);
  if (table !== null && ctx.out.json) throw new UsageError('choose one of --json and --csv');
  const { opened, record } = await openCase(ctx.config, flags.case);
  const report = await withStore(opened, ({ store }) =>
    buildPayerReport(store, record, {
      ...(flags.hopLimit !== undefined ? { hopLimit: flags.hopLimit } : {}),
      ...(flags.minShare !== undefined ? { minShare: flags.minShare } : {}),
      ...(flags.maxTxs !== undefined ? { maxTxsPerPayment: flags.maxTxs } : {}),
    }),
  );
  if (table !== null) {
    ctx.io.out.write(table === 'services' ? payerServicesCsv(report) : payerPaymentsCsv(report));
    return;
  }
  ctx.out.result(report, () => payerLines(report));
}

interface FlowFlags {
  readonly case: string;
  readonly from?: string[];
  readonly fromSeeds?: boolean;
  readonly model?: FlowModelName[];
  readonly hopLimit?: number;
  readonly maxTxs?: number;
  readonly csv?: boolean;
}

async function runFlowReport(ctx: CommandContext, flags: FlowFlags): Promise<void> {
  if (flags.csv === true && ctx.out.json) throw new UsageError('choose one of --json and --csv');
  if ((flags.from ?? []).length === 0 && flags.fromSeeds !== true) throw new UsageError('report flows needs --from ENTITY (an entity id, or an address of it) or --from-seeds');
  const { opened, record } = await openCase(ctx.config, flags.case);
  const report = await withStore(opened, ({ store }) =>
    buildFlowReport(store, record, {
      from: flags.from ?? [],
      fromSeeds: flags.fromSeeds === true,
      ...(flags.model !== undefined ? { models: flags.model } : {}),
      ...(flags.hopLimit !== undefined ? { hopLimit: flags.hopLimit } : {}),
      ...(flags.maxTxs !== undefined ? { maxTxs: flags.maxTxs } : {}),
    }),
  );
  if (flags.csv === true) {
    ctx.io.out.write(flowDestinationsCsv(report));
    return;
  }
  ctx.out.result(report, () => flowLines(report));
}

const n = (v: number): string => v.toLocaleString('en-US');
const pct = (share: number): string => `${(share * 100).toFixed(2)}%`;
const short = (id: string): string => (id.length > 20 ? `${id.slice(0, 16)}…` : id);
const nodeText = (node: NodeRef | null, label: string | null = null): string => (node === null ? 'the site' : `${label ?? short(node.id)}${label ? ` (${short(node.id)})` : ''}`);

function headerLines(title: string, report: ReportHeader): string[] {
  const tip = report.computedAt;
  const at = tip.height === null ? 'no confirmed block read' : `block ${n(tip.height)}${tip.hash ? ` ${tip.hash}` : ''} (${tip.basis === 'store-tip' ? 'chain tip in the store' : 'highest block read'})`;
  return [`${title}, case ${report.case.name}; computed at ${at}`];
}

function footerLines(report: ReportHeader): string[] {
  return [
    '',
    `Parameters: ${Object.entries(report.parameters).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') || '-' : String(v)}`).join(' ')}`,
    `Clustering: ${report.clustering.heuristics?.join(', ') ?? 'not recorded'}${report.clustering.coinjoinRulesMet.length > 0 ? `; CoinJoin rules met: ${report.clustering.coinjoinRulesMet.join(', ')}` : ''}`,
    `Tag sources: ${report.tagSources.join(', ') || 'none'}`,
    ...report.methods.map((m) => `Method ${m.name} v${m.version}: ${m.rule} (${m.source})`),
    `${report.generator}. --json gives every path and figure; rerunning on the same data gives the same bytes.`,
  ];
}

export function payerLines(report: PayerReport): string[] {
  const s = report.summary;
  const status = (k: keyof PayerReport['summary']['byStatus']): string => `${k} ${n(s.byStatus[k].payments)} (${formatBtc(s.byStatus[k].value)} BTC)`;
  const lines = [
    ...headerLines('Payer identification', report),
    `${n(s.payments)} payments to ${n(s.seedsPaid)} of ${n(s.seeds)} seed addresses, ${formatBtc(s.value)} BTC in all${s.excluded > 0 ? `; ${n(s.excluded)} outputs from the site itself left out` : ''}.`,
    `  ${status('attributed')}, ${status('partial')}, ${status('ambiguous')}, ${status('coinjoin')}, ${status('unattributed')}`,
    `  reasons: ${Object.entries(s.byReason).map(([r, v]) => `${r} ${n(v.payments)}`).join(', ') || 'none'}`,
    '',
    'Subpoena list: who to ask about which withdrawal (attributed = certain under the rule below; the rest are listed with their status)',
  ];
  lines.push(
    ...(report.services.length === 0
      ? ['  no tagged service found']
      : formatTable(
          ['service', 'category', 'payments', 'attributed', 'payers', 'BTC from it', 'attributed BTC', 'entities'],
          report.services.map((g) => [g.service, g.category ?? '-', n(g.payments), n(g.attributed), n(g.payers), formatBtc(g.amount), formatBtc(g.attributedAmount), g.entities.map((e) => short(e.node.id)).join(' ')]),
        ).map((l) => `  ${l}`)),
  );
  lines.push('', 'Payments');
  lines.push(
    ...formatTable(
      ['line', 'seed', 'payment', 'block', 'BTC', 'status', 'service', 'share', 'hops', 'paid by', 'flags'],
      report.payments.map((p) => [
        String(p.seed.line),
        p.seed.address,
        `${short(p.txid)}:${p.vout}`,
        p.height === null ? 'unconfirmed' : n(p.height),
        formatBtc(p.value),
        p.reason !== null && p.reason !== p.status ? `${p.status} (${p.reason})` : p.status,
        p.attribution?.service ?? '-',
        p.attribution ? pct(p.attribution.share) : '-',
        p.attribution ? String(p.attribution.hops) : '-',
        p.fundedBy ? nodeText(p.fundedBy.node, p.fundedBy.label) : '-',
        p.flags.join(' ') || '-',
      ]),
    ).map((l) => `  ${l}`),
  );
  return [...lines, ...footerLines(report)];
}

function modelLines(r: FlowModelResult): string[] {
  const c = r.reconciliation;
  const d = c.downstream;
  const lines = [
    '',
    `Model ${r.model.name} v${r.model.version}: ${r.model.rule}`,
    `  received ${formatBtc(c.received)} BTC in ${n(c.receipts)} receipts${c.returned > 0n ? `, ${formatBtc(c.returned)} came back` : ''}${c.contaminated > 0n ? `, ${formatBtc(c.contaminated)} clean BTC counted as tainted by the rule` : ''}`,
    `  = traced out ${formatBtc(c.tracedOut)} + fees ${formatBtc(c.fees)} + unspent at the site ${formatBtc(c.unspent)}${c.walkLimit > 0n ? ` + not processed (limit) ${formatBtc(c.walkLimit)}` : ''}: ${c.balanced ? 'reconciles to the satoshi' : 'DOES NOT RECONCILE (please report this)'}`,
    `  traced out: at tagged services ${formatBtc(d.atServices)}, unspent elsewhere ${formatBtc(d.unspent)}, beyond the hop limit ${formatBtc(d.beyondHopLimit)}, into CoinJoins ${formatBtc(d.intoCoinjoin)}, fees ${formatBtc(d.fees)}${d.walkLimit > 0n ? `, not processed ${formatBtc(d.walkLimit)}` : ''}${d.returned > 0n ? `, came back ${formatBtc(d.returned)}` : ''}${d.balanced ? '' : ' (DOES NOT RECONCILE)'}`,
  ];
  if (r.byHop.length > 0) lines.push(`  by hop: ${r.byHop.map((h) => `${h.hop}: ${formatBtc(h.amount)}`).join(', ')}`);
  if (r.services.length > 0) {
    lines.push('  Tagged services holding it:');
    lines.push(...formatTable(['service', 'category', 'BTC', 'share'], r.services.map((s) => [s.service, s.category ?? '-', formatBtc(s.amount), pct(s.share)])).map((l) => `    ${l}`));
  }
  lines.push('  Destinations:');
  lines.push(
    ...formatTable(
      ['entity', 'category', 'hops', 'BTC received', 'share', 'at service', 'unspent', 'passed on', 'beyond limit'],
      r.destinations.map((x) => [nodeText(x.entity.node, x.entity.label), x.entity.category ?? '-', String(x.hops), formatBtc(x.received), pct(x.share), formatBtc(x.atService), formatBtc(x.unspent), formatBtc(x.passedOn), formatBtc(x.beyondHopLimit)]),
    ).map((l) => `    ${l}`),
  );
  const seizable = r.holdings.slice(0, 50);
  lines.push(`  Unspent now (seizable), ${n(r.holdings.length)} outputs${r.holdings.length > seizable.length ? `, largest ${seizable.length} shown` : ''}:`);
  lines.push(...formatTable(['output', 'address', 'holder', 'tainted BTC', 'of value'], seizable.map((h) => [`${h.txid}:${h.vout}`, h.address ?? '-', nodeText(h.holder), formatBtc(h.tainted), formatBtc(h.value)])).map((l) => `    ${l}`));
  if (r.coinjoins.length > 0) lines.push(`  CoinJoins met (not traced through): ${r.coinjoins.map((j) => `${short(j.txid)} ${j.rule} ${formatBtc(j.amount)}`).join('; ')}`);
  if (r.estimated.length > 0) lines.push(`  ${n(r.estimated.length)} transactions had inputs not in the store; their value was taken as outputs minus known inputs (ingest more hops back to remove this).`);
  return lines;
}

export function flowLines(report: FlowReport): string[] {
  const shown = report.origin.entities.slice(0, 5).map((e) => nodeText(e.node, e.label));
  const more = report.origin.entities.length - shown.length;
  const origin = `${shown.join(', ')}${more > 0 ? ` and ${n(more)} more` : ''}`;
  return [
    ...headerLines('Forfeiture tracing', report),
    `From ${origin} (${n(report.origin.addresses)} addresses).`,
    ...report.results.flatMap(modelLines),
    ...footerLines(report),
  ];
}
