/**
 * The human report an investigator can file: summary, method (data source, parameters,
 * heuristics with versions, confidence and published error rates), findings, the figure,
 * every cited transaction, and every limitation the manifest records. Self-contained HTML
 * (inline CSS and SVG, no scripts, nothing fetched), printable to PDF.
 */
import type { BuiltTables } from './build-tables.js';
import type { CollectedEvidence } from './collect-evidence.js';
import type { EvidenceManifest } from './manifest.js';
import type { BuiltSection } from './report-sections.js';
import { formatBtc } from './btc-text.js';
import { utc } from './build-tables.js';
import { xmlEscape as esc } from './xml-text.js';

/** Rows shown in the report's findings tables; the CSV files hold them all. */
const SHOWN_ROWS = 200;

const STYLE = `
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #111; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 4pt; } h2 { font-size: 13pt; border-bottom: 1px solid #999; margin-top: 18pt; } h3 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 8pt; }
th, td { border: 1px solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; word-break: break-all; }
.warn { border-left: 4px solid #c0392b; padding: 4pt 8pt; background: #fbeeee; }
.ok { border-left: 4px solid #1e8449; padding: 4pt 8pt; background: #eef8f0; }
.figure svg { width: 100%; height: auto; border: 1px solid #ccc; }
.meta td:first-child { width: 32%; font-weight: bold; }
pre.cited { font-family: "DejaVu Sans Mono", monospace; font-size: 5.6pt; line-height: 1.25; white-space: pre; }
`;

function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set(), mono: ReadonlySet<number> = new Set()): string {
  const head = `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.has(i) ? ' class="n"' : mono.has(i) ? ' class="mono"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

function rates(errorRates: Readonly<Record<string, unknown>> | null): string {
  return errorRates === null ? 'not measured' : Object.entries(errorRates).map(([k, v]) => `${k}: ${String(v)}`).join('; ');
}

function more(total: number, file: string): string {
  return total > SHOWN_ROWS ? `<p>The first ${SHOWN_ROWS} of ${total.toLocaleString('en-US')} rows; all are in <code>${esc(file)}</code>.</p>` : '';
}

export interface ReportInput {
  readonly manifest: EvidenceManifest;
  readonly evidence: CollectedEvidence;
  readonly tables: BuiltTables;
  readonly figureSvg: string;
  readonly sections: readonly BuiltSection[];
}

export function reportHtml({ manifest, evidence, tables, figureSvg, sections: built }: ReportInput): string {
  const m = manifest;
  const n = (v: number): string => v.toLocaleString('en-US');
  const seedsPaid = new Set(tables.payments.map((p) => p.seed)).size;
  const proofStatus = m.proofs.complete
    ? `<p class="ok">Every confirmed transaction of this bundle has a merkle proof, and the block headers run unbroken from the lowest cited block (height ${m.proofs.headers.fromHeight}) to the tip (height ${m.chain.tip?.height}, ${esc(m.chain.tip?.hash ?? '')}).</p>`
    : `<p class="warn">The proofs are incomplete: ${m.proofs.merkle.missing.length} transactions have no merkle proof${m.proofs.headers.gaps.length > 0 ? ` and the header chain has ${m.proofs.headers.gaps.length} gaps` : ''}. They are listed under "Limitations"; figures resting on them are claims of the chain source, not proven.</p>`;

  const ingest = m.parameters.jobs.find((j) => j.kind === 'ingest')?.state as Record<string, unknown> | undefined;
  const scope = ingest?.['scope'] as Record<string, unknown> | undefined;
  const cuts = ingest?.['cuts'] as Record<string, unknown> | undefined;

  const heuristicRows = m.heuristics.map((h) => [
    h.name,
    h.kind,
    h.version === null ? 'unknown' : String(h.version),
    h.confidence === null ? '-' : `${h.confidence}%`,
    n(h.uses),
    rates(h.errorRates),
    h.source,
  ]);
  const modelRows = m.models.map((x) => [x.name, String(x.version), x.section, rates(x.errorRates)]);
  const accuracySource = m.accuracy
    ? `<p>Error rates: <code>${esc(m.accuracy.file)}</code> in this bundle (${esc(m.accuracy.name)}, SHA-256 ${esc(m.accuracy.sha256)}), ${esc(m.accuracy.basis)}. They are measured on generated worlds whose true owners are known (<code>pnpm accuracy</code>); the worlds are described in the file. They say how often a rule errs there, not that a given link is right.</p>`
    : '<p class="warn">No published error rates were available to this export: the rules and models above are cited without them. Run <code>pnpm accuracy</code> and export again, or pass <code>--accuracy FILE</code>.</p>';
  const vetoRows = m.vetoes.map((v) => [v.txid, v.heuristic ?? 'every link', v.reason ?? '', v.recordedAt, v.by ?? '']);

  const payments = tables.payments.slice(0, SHOWN_ROWS).map((p) => [p.seed, p.txid, String(p.vout), formatBtc(p.value), p.height === null ? 'unconfirmed' : String(p.height)]);

  const members = new Map<string, number>();
  for (const id of evidence.entityOf.values()) if (id !== null) members.set(id, (members.get(id) ?? 0) + 1);
  const entityRows = [...evidence.entities.values()]
    .map((f) => ({ f, inBundle: members.get(f.entity.id) ?? 0 }))
    .filter((e) => e.f.entity.label !== null || e.inBundle > 1)
    .sort((a, b) => b.inBundle - a.inBundle || (a.f.entity.id < b.f.entity.id ? -1 : 1));
  const entities = entityRows.slice(0, SHOWN_ROWS).map(({ f, inBundle }) => [f.entity.id, f.entity.label ?? '', f.entity.category ?? '', n(f.entity.size), n(inBundle), f.linksComplete || inBundle <= 1 ? 'yes' : 'no']);

  const tags = evidence.tags.slice(0, SHOWN_ROWS).map((t) => [t.address, t.label, t.category ?? '', t.source, t.confidence ?? '']);

  // One preformatted line per transaction: thousands of them print in seconds, where a table would take minutes.
  const cited = tables.order.map(({ tx, placement, proven }) =>
    [
      (placement === null ? 'unconfirmed' : String(placement.blockHeight)).padEnd(11),
      tx.txid,
      (utc(placement?.blockTime ?? null) ?? '').padEnd(20),
      (proven ? 'proven' : 'NOT PROVEN').padEnd(10),
      [...(evidence.txs.get(tx.txid)?.roles ?? [])].sort().join(','),
    ].join(' '),
  );

  const sections = m.sections.map((s) => [s.title, s.included ? 'included' : 'not included', s.included ? s.files.join(', ') : (s.reason ?? '')]);
  const limitations = [
    ...m.scope.notes,
    ...m.chain.notes,
    ...m.proofs.merkle.missing.slice(0, SHOWN_ROWS).map((x) => `No merkle proof for ${x.txid}: ${x.reason}`),
    ...(m.proofs.merkle.missing.length > SHOWN_ROWS ? [`... and ${m.proofs.merkle.missing.length - SHOWN_ROWS} more transactions without proof (manifest.json, proofs.merkle.missing).`] : []),
    ...m.proofs.headers.gaps.map((g) => `Headers ${g.fromHeight} to ${g.toHeight} not included: ${g.reason}`),
    ...m.tagSources.filter((t) => t.sha256 === null).map((t) => `Tag source ${t.source}: ${t.note}`),
    ...m.optionalFiles.filter((f) => !f.included).map((f) => `${f.path} not produced: ${f.how}`),
  ];

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`Evidence report: case ${m.case.name}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Evidence report: case ${esc(m.case.name)}</h1>
<table class="meta">
<tr><td>Scope</td><td>${esc(m.scope.description)}</td></tr>
<tr><td>Exported by</td><td>${esc(m.exported.by)} <small>(${esc(m.exported.byBasis)})</small></td></tr>
<tr><td>Exported at</td><td>${esc(m.exported.at)} <small>(${esc(m.exported.atBasis)})</small></td></tr>
<tr><td>Tool</td><td>${esc(`${m.tool.name} ${m.tool.version}`)}</td></tr>
<tr><td>Chain source</td><td>${esc(m.chain.source ?? 'none')}</td></tr>
<tr><td>Chain tip</td><td>${m.chain.tip ? esc(`height ${m.chain.tip.height}, block ${m.chain.tip.hash}`) : 'unknown'} <small>(${esc(m.chain.tipBasis)})</small></td></tr>
<tr><td>Analysis computed at</td><td>${m.chain.storeTip ? esc(`height ${m.chain.storeTip.height}, block ${m.chain.storeTip.hash}`) : 'unknown'} <small>(the store's chain tip at export: what the clustering and reports stand on)</small></td></tr>
<tr><td>Network</td><td>${esc(m.chain.network)}${m.chain.proofOfWorkNetwork !== m.chain.network ? esc(` (headers checked against ${m.chain.proofOfWorkNetwork} proof of work)`) : ''}</td></tr>
</table>

<h2>1. Summary</h2>
<p>This bundle cites ${n(m.contents.transactions)} transactions (${n(m.contents.scopeTransactions)} in the scope, ${n(m.contents.linkTransactions)} that justify cluster links, ${n(m.contents.parentTransactions)} whose outputs they spend), ${n(m.contents.addresses)} addresses in ${n(m.contents.entities)} entities, and ${n(m.contents.tags)} tags. ${n(m.parents.contextTransactions)} of them are context, not findings: parents included only so that every input amount and address can be recomputed from raw bytes.${m.parents.absent.length > 0 ? ` ${n(m.parents.absent.length)} inputs spend outputs of parents the store did not hold: their figures are stated from the store and cannot be recomputed from this bundle (manifest.json, parents.absent).` : ''}</p>
<p>${n(m.contents.paymentsToSeeds)} payments in these transactions reached ${n(seedsPaid)} of the case's ${n(m.case.seedCount)} seized addresses, ${formatBtc(tables.paidToSeeds)} BTC in all.</p>
${proofStatus}
<p>Every figure here can be checked without chaintrail or a blockchain service: each raw transaction in <code>raw/</code> hashes (double SHA-256) to its txid, every amount and address in <code>tables/</code> is read from those bytes, each merkle proof in <code>proofs/merkle/</code> leads to the merkle root of a header in <code>proofs/headers.csv</code>, and the headers link to each other and meet their proof-of-work targets. <code>chaintrail verify</code> does all of it; README.txt says how to do it by hand.</p>

<h2>2. Method</h2>
<h3>Data</h3>
<p>Transactions were read from ${esc(m.chain.source ?? 'the store')}${scope ? esc(`, ${String(scope['hopsBack'])} hops backward and ${String(scope['hopsForward'])} forward from the seized addresses, minimum value ${String(scope['minValue'])} sat, at most ${String(scope['maxTxsPerAddress'])} transactions per address`) : ''}.${cuts ? esc(` Limits cut: ${String(cuts['truncatedSeeds'])} seeds with more transactions than the limit, ${String(cuts['backEdgeParents'])} parents beyond the last backward hop, ${String(cuts['forwardEdgeTxs'])} transactions at the last forward hop not followed further.`) : ''} Every parameter is in manifest.json (parameters).</p>
<h3>Heuristics</h3>
${table(['rule', 'kind', 'version', 'confidence', 'uses in bundle', 'published error rates', 'source'], heuristicRows, new Set([4]))}
<p>Common-input ownership is not applied to transactions judged CoinJoin-like. Change heuristics are off unless listed above. Confidence is the rule's own stated confidence; error rates are measured on generated data with known owners (<code>pnpm accuracy</code>).</p>
${modelRows.length > 0 ? `<h3>Report models</h3>\n${table(['model', 'version', 'report', 'published error rates'], modelRows)}` : ''}
${accuracySource}
<h3>Vetoed cluster links</h3>
${vetoRows.length > 0 ? `<p>An investigator rejected the cluster links of these transactions; no entity in this bundle rests on them.</p>\n${table(['transaction', 'links vetoed', 'reason', 'recorded', 'by'], vetoRows, new Set(), new Set([0]))}` : '<p>None: every link the heuristics made was applied.</p>'}
<h3>Report sections</h3>
${table(['section', 'status', 'files or reason'], sections)}

<h2>3. Findings</h2>
<h3>Payments to seized addresses</h3>
${payments.length > 0 ? table(['seized address', 'txid', 'output', 'BTC', 'block'], payments, new Set([2, 3, 4]), new Set([1])) : '<p>No payment to a seized address is among the cited transactions.</p>'}
${more(tables.payments.length, 'tables/payments-to-seeds.csv')}
${built
  .filter((b) => b.section.included)
  .map((b) => `<h3>${esc(b.section.title)}</h3>\n<ul>\n${b.summary.map((l) => `<li>${esc(l)}</li>`).join('\n')}\n</ul>\n<p>Every row is in ${b.section.files.map((f) => `<code>${esc(f)}</code>`).join(', ')}. The transactions and outputs these files cite are in the bundle and checked by <code>chaintrail verify</code>; the shares and amounts a model derives from them are the model's results, stated with its version in the file.</p>`)
  .join('\n')}
<h3>Entities</h3>
${entities.length > 0 ? table(['entity', 'label', 'category', 'addresses (store)', 'addresses in bundle', 'links complete'], entities, new Set([3, 4]), new Set([0])) : '<p>No labelled or multi-address entity.</p>'}
${more(entityRows.length, 'tables/entities.csv')}
<h3>Tags</h3>
${tags.length > 0 ? table(['address', 'label', 'category', 'source', 'confidence'], tags, new Set(), new Set([0])) : '<p>No cited address is tagged.</p>'}
${more(evidence.tags.length, 'tables/tags.csv')}
<h3>Figure</h3>
<div class="figure">${figureSvg.replace(/^<\?xml[^>]*>\s*/, '')}</div>

<h2>4. Cited transactions</h2>
<p>All ${n(cited.length)} transactions whose raw bytes are in the bundle, in chain order.</p>
<pre class="cited">${esc(['block       txid                                                             time (UTC)           merkle     role', ...cited].join('\n'))}</pre>

<h2>5. Limitations</h2>
${limitations.length > 0 ? `<ul>\n${limitations.map((l) => `<li>${esc(l)}</li>`).join('\n')}\n</ul>` : '<p>None recorded.</p>'}
</body>
</html>
`;
}
