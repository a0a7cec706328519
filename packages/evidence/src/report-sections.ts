/**
 * The investigator reports of @chaintrail/report as bundle sections: the payers report
 * (who paid each seized address, and the subpoena list) and the traced flows per model
 * (poison, haircut, FIFO, from the seeds' entities). Each is written as the report's own
 * JSON and CSV; the transactions it cites join the bundle, so that `verify` can check each
 * transaction and each output it describes. A report that cannot be built is left out
 * with the reason, never half-included.
 */
import { buildFlowReport, buildPayerReport, flowDestinationsCsv, payerPaymentsCsv, payerServicesCsv, reportJson } from '@chaintrail/report';
import type { CaseRecord, GraphStore } from '@chaintrail/store';
import type { ManifestSection } from './manifest.js';
import { reportClaims } from './report-claims.js';

export const REPORT_NAMES = ['payers', 'flows'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const REPORT_DIR = 'reports';

export interface BuiltSection {
  readonly section: ManifestSection;
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>;
  readonly citedTxids: ReadonlySet<string>;
  /** Lines for the human report's findings. */
  readonly summary: readonly string[];
  /** The report's models (payer attribution, flow models), whose error rates the method cites. */
  readonly methods: ReadonlyArray<{ readonly name: string; readonly version: number }>;
}

const TITLES: Record<ReportName, string> = {
  payers: 'Payers report: who paid each seized address, and the subpoena list per service',
  flows: 'Traced flows per model (poison, haircut, FIFO) from the seized addresses’ entities',
};

export async function buildReportSections(store: GraphStore, record: CaseRecord, wanted: readonly ReportName[]): Promise<BuiltSection[]> {
  const sections: BuiltSection[] = [];
  for (const name of REPORT_NAMES) {
    const base = { id: name, title: TITLES[name] };
    if (!wanted.includes(name)) {
      sections.push({ section: { ...base, included: false, files: [], reason: `not asked for (export with --report ${name}, or the whole case)` }, files: [], citedTxids: new Set(), summary: [], methods: [] });
      continue;
    }
    try {
      sections.push(name === 'payers' ? await payersSection(store, record, base) : await flowsSection(store, record, base));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      sections.push({ section: { ...base, included: false, files: [], reason: `the report could not be built: ${message}` }, files: [], citedTxids: new Set(), summary: [], methods: [] });
    }
  }
  return sections;
}

async function payersSection(store: GraphStore, record: CaseRecord, base: { id: string; title: string }): Promise<BuiltSection> {
  const report = await buildPayerReport(store, record);
  const json = reportJson(report);
  const files = [
    { path: `${REPORT_DIR}/payers.json`, content: json },
    { path: `${REPORT_DIR}/payers-payments.csv`, content: payerPaymentsCsv(report) },
    { path: `${REPORT_DIR}/payers-services.csv`, content: payerServicesCsv(report) },
  ];
  const s = report.summary;
  const summary = [
    `${s.payments} payments to ${s.seedsPaid} of ${s.seeds} seized addresses; ${s.byStatus.attributed.payments} attributed to a tagged service under the payers report's rule, ${s.byStatus.partial.payments} partly, ${s.byStatus.ambiguous.payments} ambiguous, ${s.byStatus.coinjoin.payments} through a CoinJoin, ${s.byStatus.unattributed.payments} unattributed.`,
    ...report.services.slice(0, 20).map((g) => `${g.service}${g.category ? ` (${g.category})` : ''}: ${g.payments} payments, ${g.attributed} attributed, from ${g.payers} seized addresses.`),
  ];
  return { section: { ...base, included: true, files: files.map((f) => f.path), reason: null }, files, citedTxids: reportClaims(JSON.parse(json)).txids, summary, methods: report.methods };
}

async function flowsSection(store: GraphStore, record: CaseRecord, base: { id: string; title: string }): Promise<BuiltSection> {
  const report = await buildFlowReport(store, record, { fromSeeds: true });
  const json = reportJson(report);
  const files = [
    { path: `${REPORT_DIR}/flows.json`, content: json },
    { path: `${REPORT_DIR}/flows-destinations.csv`, content: flowDestinationsCsv(report) },
  ];
  const summary = report.results.map((r) => {
    const c = r.reconciliation;
    return `${r.model.name} v${r.model.version}: received ${c.received} sat; traced out ${c.tracedOut}, fees ${c.fees}, unspent at the site ${c.unspent}; ${r.services.length} tagged services hold part of it${c.balanced ? '' : ' (does not reconcile)'}.`;
  });
  return { section: { ...base, included: true, files: files.map((f) => f.path), reason: null }, files, citedTxids: reportClaims(JSON.parse(json)).txids, summary, methods: report.methods };
}
