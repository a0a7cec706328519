/**
 * `exportEvidenceBundle`: a case (or a view of it) as an evidence bundle that another expert
 * can verify offline (DESIGN.md, "Evidence bundle"; layout in bundle-layout.ts).
 *
 * Reproducible: nothing in it depends on the clock or the machine's state. Who exported and
 * when are inputs; without them the bundle says "not stated" and takes the time of the
 * case's last job, so the same case exported twice gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { nodeHasher } from '@chaintrail/chain';
import { checkProofOfWork, COINJOIN_RULES, type Network } from '@chaintrail/core';
import type { GraphStore, JobCheckpoint, JsonValue } from '@chaintrail/store';
import { publishedAccuracy, type CitedAccuracy } from './accuracy-file.js';
import { buildTables, type BuiltTables } from './build-tables.js';
import { BundleDirectory } from './bundle-directory.js';
import {
  ACCURACY_FILE,
  FIGURE_PNG_FILE,
  FIGURE_SVG_FILE,
  GEXF_FILE,
  GRAPHML_FILE,
  MANIFEST_FILE,
  README_FILE,
  REPORT_HTML_FILE,
  REPORT_PDF_FILE,
  SUMS_FILE,
  TABLES,
  merkleProofPath,
  rawTxPath,
  type TableName,
} from './bundle-layout.js';
import { bundleReadme } from './bundle-readme.js';
import { findChromium, renderPdf, renderPng } from './chromium-render.js';
import { collectEvidence, type CollectedEvidence } from './collect-evidence.js';
import { collectProofs, proofsByBlock, type CollectedProofs } from './collect-proofs.js';
import { csvText } from './csv-table.js';
import { writeDeterministicZip } from './deterministic-zip.js';
import { buildEntityFigure, entityFigureSvg, FIGURE_HEIGHT, FIGURE_WIDTH } from './entity-figure.js';
import { buildEvidenceGraph } from './evidence-graph.js';
import { BadExportOptionError, BundleOutputExistsError } from './evidence-errors.js';
import { toGexf, toGraphMl } from './graph-files.js';
import { heuristicInfo } from './heuristic-catalog.js';
import { manifestSchema, type EvidenceManifest, type ManifestHeuristic, type ManifestModel, type ManifestVeto } from './manifest.js';
import type { ProofSource } from './proof-source.js';
import { recordedVetoes } from './recorded-vetoes.js';
import { reportHtml } from './report-html.js';
import { buildReportSections, type BuiltSection, type ReportName } from './report-sections.js';

export interface ExportScope {
  readonly kind: 'case' | 'view' | 'report';
  /** The view's or report's name; null for the whole case. */
  readonly name: string | null;
  readonly description: string;
  readonly txids: AsyncIterable<string> | Iterable<string>;
  readonly notes?: readonly string[];
}

export interface ExportOptions {
  readonly store: GraphStore;
  readonly caseId: string;
  readonly scope: ExportScope;
  /** A folder to create, or a path ending in `.zip`. Must not exist. */
  readonly out: string;
  /** Merkle proofs, headers and the tip; null to export without (the bundle then says the proofs are missing). */
  readonly source: ProofSource | null;
  /** Why there is no source, for the manifest. */
  readonly noSourceReason?: string;
  readonly toolVersion: string;
  readonly network: Network;
  readonly exportedBy?: string | null;
  /** ISO 8601. */
  readonly exportedAt?: string | null;
  readonly tipHeight?: number;
  /** Default 50,000 (4 MB of headers). */
  readonly maxHeaders?: number;
  /** Default 5,000. */
  readonly linkExplanations?: number;
  /** Tag files whose SHA-256 goes into the manifest, matched to tag sources by file name. */
  readonly tagFiles?: readonly string[];
  /**
   * Published error rates to cite and embed: undefined for the ones shipped with this
   * package (published-accuracy.json), null for none.
   */
  readonly accuracy?: CitedAccuracy | null;
  /** Reports to include (@chaintrail/report); the transactions they cite join the scope. */
  readonly reports?: readonly ReportName[];
  /** Chromium for the PDF and PNG: a path, null to look for one, false to skip them. */
  readonly chromium?: string | null | false;
  /** Requests in flight against the source. Default 8. */
  readonly concurrency?: number;
  /** Options to record in the manifest as given (the CLI's flags). */
  readonly parameters?: Readonly<Record<string, JsonValue>>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (stage: string, done: number, total: number | null) => void;
}

export interface ExportResult {
  readonly out: string;
  readonly kind: 'folder' | 'zip';
  readonly manifest: EvidenceManifest;
  readonly files: number;
  /** SHA-256 of the zip, or of SHA256SUMS for a folder: the bundle's fingerprint. */
  readonly sha256: string;
  readonly bytes: number;
}

const DEFAULT_MAX_HEADERS = 50_000;
const DEFAULT_LINK_EXPLANATIONS = 5_000;

export async function exportEvidenceBundle(options: ExportOptions): Promise<ExportResult> {
  const zip = options.out.toLowerCase().endsWith('.zip');
  if (existsSync(options.out)) throw new BundleOutputExistsError(options.out);
  const staging = `${options.out}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const progress = options.onProgress ?? (() => undefined);

  const record = await options.store.getCase(options.caseId);
  const jobs = (await options.store.listCheckpoints(options.caseId)).sort((a, b) => (a.jobId < b.jobId ? -1 : 1));
  const exported = exportedFacts(options, record.createdAt, jobs);
  const accuracy = options.accuracy === undefined ? publishedAccuracy() : options.accuracy;
  const vetoes = await recordedVetoes(options.store);
  const storeTip = await options.store.chainTip();

  progress('reports', 0, null);
  const sections = await buildReportSections(options.store, record, options.reports ?? []);
  progress('collect', 0, null);
  const evidence = await collectEvidence({
    store: options.store,
    caseId: options.caseId,
    txids: withReportTxids(options.scope.txids, sections),
    linkExplanations: options.linkExplanations ?? DEFAULT_LINK_EXPLANATIONS,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (stage, done) => progress(`collect ${stage}`, done, null),
  });

  const requests = [...evidence.txs.values()].map(({ tx }) => ({ txid: tx.txid, placement: tx.placement }));
  progress('proofs', 0, requests.length);
  const proofs = await collectProofs({
    store: options.store,
    source: options.source,
    ...(options.noSourceReason ? { noSourceReason: options.noSourceReason } : {}),
    requests,
    ...(options.tipHeight !== undefined ? { tipHeight: options.tipHeight } : {}),
    maxHeaders: options.maxHeaders ?? DEFAULT_MAX_HEADERS,
    concurrency: options.concurrency ?? 8,
    hasher: nodeHasher,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => progress('proofs', done, total),
  });
  const tables = buildTables(evidence, proofs);

  const dir = new BundleDirectory(staging);
  try {
    progress('write', 0, null);
    for (const name of Object.keys(TABLES) as TableName[]) dir.write(TABLES[name].file, csvText(name, tables.rows[name]));
    for (const { tx } of tables.order) dir.write(rawTxPath(tx.txid), `${tx.raw}\n`);
    for (const [blockHash, block] of proofsByBlock(proofs)) dir.write(merkleProofPath(blockHash), `${JSON.stringify(block, null, 2)}\n`);
    for (const section of sections) for (const file of section.files) dir.write(file.path, file.content);
    if (accuracy !== null) dir.write(ACCURACY_FILE, accuracy.bytes);

    const title = `Case ${record.name}: ${options.scope.description}`;
    const graph = buildEvidenceGraph(evidence, tables);
    dir.write(GRAPHML_FILE, toGraphMl(graph, title));
    dir.write(GEXF_FILE, toGexf(graph, title, `chaintrail ${options.toolVersion}`));
    const figureSvg = entityFigureSvg(buildEntityFigure(evidence, tables), title);
    dir.write(FIGURE_SVG_FILE, figureSvg);

    const chromium = options.chromium === false ? null : findChromium(options.chromium ?? null);
    const skipped = options.chromium === false ? 'skipped at export: rendering was turned off (--no-render)' : 'no Chromium was found (install Debian\'s chromium, or pass --chromium PATH)';
    let png = { included: false, how: skipped };
    if (chromium !== null) {
      progress('render figure', 0, null);
      try {
        dir.write(FIGURE_PNG_FILE, await renderPng(chromium, figureSvg, FIGURE_WIDTH, FIGURE_HEIGHT));
        png = { included: true, how: `rasterised from ${FIGURE_SVG_FILE} by ${chromium} (headless)` };
      } catch (error) {
        png = { included: false, how: `rendering failed: ${(error as Error).message}` };
      }
    }
    let pdf = { included: chromium !== null, how: chromium !== null ? `printed from ${REPORT_HTML_FILE} by ${chromium} (headless)` : skipped };
    const manifestFor = (): EvidenceManifest =>
      buildManifest(options, { record, jobs, exported, evidence, proofs, tables, sections, accuracy, vetoes, storeTip: storeTip && { height: storeTip.height, hash: storeTip.hash } }, [
        { path: FIGURE_PNG_FILE, ...png },
        { path: REPORT_PDF_FILE, ...pdf },
      ]);
    let manifest = manifestFor();
    let html = reportHtml({ manifest, evidence, tables, figureSvg, sections });
    if (chromium !== null) {
      progress('render report', 0, null);
      try {
        dir.write(REPORT_PDF_FILE, await renderPdf(chromium, html, manifest.exported.at));
      } catch (error) {
        pdf = { included: false, how: `printing failed: ${(error as Error).message}` };
        manifest = manifestFor();
        html = reportHtml({ manifest, evidence, tables, figureSvg, sections });
      }
    }
    dir.write(REPORT_HTML_FILE, html);
    dir.write(MANIFEST_FILE, `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`);
    dir.write(README_FILE, bundleReadme(record.name, options.toolVersion));
    const sumsHash = dir.finish();
    const paths = [SUMS_FILE, MANIFEST_FILE, README_FILE, ...dir.paths().filter((p) => p !== MANIFEST_FILE && p !== README_FILE)];

    if (zip) {
      progress('zip', 0, null);
      const partialZip = `${options.out}.partial.zip`;
      await writeDeterministicZip(staging, paths, partialZip);
      renameSync(partialZip, options.out);
      rmSync(staging, { recursive: true, force: true });
      const bytes = readFileSync(options.out);
      return { out: options.out, kind: 'zip', manifest, files: paths.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    }
    renameSync(staging, options.out);
    const bytes = paths.reduce((sum, p) => sum + statSync(join(options.out, ...p.split('/'))).size, 0);
    return { out: options.out, kind: 'folder', manifest, files: paths.length, sha256: sumsHash, bytes };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(`${options.out}.partial.zip`, { force: true });
    throw error;
  }
}

interface ExportedFacts {
  readonly by: string;
  readonly byBasis: string;
  readonly at: string;
  readonly atBasis: string;
}

function exportedFacts(options: ExportOptions, caseCreatedAt: string, jobs: readonly JobCheckpoint[]): ExportedFacts {
  let at: string;
  let atBasis: string;
  if (options.exportedAt) {
    const parsed = new Date(options.exportedAt);
    if (Number.isNaN(parsed.getTime())) throw new BadExportOptionError('--exported-at', `"${options.exportedAt}" is not an ISO 8601 time (e.g. 2024-05-01T09:30:00Z)`);
    at = parsed.toISOString();
    atBasis = 'given by the exporter';
  } else {
    const last = jobs.map((j) => j.updatedAt).sort().at(-1);
    at = new Date(last ?? caseCreatedAt).toISOString();
    atBasis =
      last !== undefined
        ? "not given; the time of the case's last job, so that exporting the same case again gives the same bytes (pass --exported-at to state the export time)"
        : 'not given; the time the case was created (pass --exported-at to state the export time)';
  }
  const by = options.exportedBy?.trim();
  return by ? { by, byBasis: 'given by the exporter', at, atBasis } : { by: 'not stated', byBasis: 'no exporter was named (pass --exported-by)', at, atBasis };
}

/** Headers that meet the network's proof-of-work limit are checked against it; regtest-difficulty headers (generated worlds) are named as such. */
function proofOfWorkNetwork(network: Network, proofs: CollectedProofs, notes: string[]): Network {
  const headers = proofs.headers.map((h) => h.header);
  if (headers.every((h) => checkProofOfWork(h, { network, hasher: nodeHasher }))) return network;
  if (network !== 'regtest' && headers.every((h) => checkProofOfWork(h, { network: 'regtest', hasher: nodeHasher }))) {
    notes.push(`the block headers do not meet ${network}'s proof-of-work limit, only regtest's: this is a generated chain (such as a scenario world) or a test network, and its headers prove no real work`);
    return 'regtest';
  }
  notes.push(`some block headers do not meet ${network}'s proof-of-work limit`);
  return network;
}

/** What the manifest is built from, besides the options. */
interface ManifestInputs {
  readonly record: { id: string; name: string; description: string | null; createdAt: string; seedCount: number };
  readonly jobs: readonly JobCheckpoint[];
  readonly exported: ExportedFacts;
  readonly evidence: CollectedEvidence;
  readonly proofs: CollectedProofs;
  readonly tables: BuiltTables;
  readonly sections: readonly BuiltSection[];
  readonly accuracy: CitedAccuracy | null;
  readonly vetoes: { readonly vetoes: readonly ManifestVeto[]; readonly notes: readonly string[] };
  readonly storeTip: EvidenceManifest['chain']['storeTip'];
}

function buildManifest(options: ExportOptions, inputs: ManifestInputs, optionalFiles: EvidenceManifest['optionalFiles']): EvidenceManifest {
  const { record, jobs, exported, evidence, proofs, tables, sections, accuracy, vetoes, storeTip } = inputs;
  const chainNotes = [...proofs.notes];
  const powNetwork = proofOfWorkNetwork(options.network, proofs, chainNotes);
  const roleCount = (role: 'scope' | 'link' | 'parent'): number => [...evidence.txs.values()].filter((t) => t.roles.has(role)).length;
  const headersComplete = proofs.gaps.length === 0 && proofs.tip !== null;
  return {
    format: 'chaintrail-evidence-bundle',
    formatVersion: 1,
    tool: { name: 'chaintrail', version: options.toolVersion },
    case: { id: record.id, name: record.name, description: record.description, createdAt: record.createdAt, seedCount: record.seedCount },
    scope: { kind: options.scope.kind, name: options.scope.name, description: options.scope.description, notes: [...(options.scope.notes ?? []), ...evidence.notes, ...vetoes.notes] },
    exported,
    chain: { network: options.network, proofOfWorkNetwork: powNetwork, source: options.source?.description ?? null, tip: proofs.tip, tipBasis: proofs.tipBasis, storeTip, notes: chainNotes },
    parameters: {
      export: {
        ...(options.parameters ?? {}),
        maxHeaders: options.maxHeaders ?? DEFAULT_MAX_HEADERS,
        linkExplanations: options.linkExplanations ?? DEFAULT_LINK_EXPLANATIONS,
        tipHeight: options.tipHeight ?? null,
      },
      jobs: jobs.map((j) => ({ jobId: j.jobId, kind: j.kind, updatedAt: j.updatedAt, state: j.state })),
    },
    heuristics: heuristicsOf(evidence, jobs, accuracy),
    models: modelsOf(sections, accuracy),
    accuracy:
      accuracy === null
        ? null
        : { file: ACCURACY_FILE, name: accuracy.name, sha256: accuracy.sha256, basis: accuracy.basis, chaintrailVersion: accuracy.figures.chaintrailVersion ?? null, measuredAt: accuracy.figures.measuredAt ?? null },
    vetoes: [...vetoes.vetoes],
    tagSources: tagSourcesOf(evidence, options.tagFiles ?? []),
    contents: {
      transactions: evidence.txs.size,
      scopeTransactions: roleCount('scope'),
      linkTransactions: roleCount('link'),
      parentTransactions: roleCount('parent'),
      inputs: tables.rows.inputs.length,
      outputs: tables.rows.outputs.length,
      addresses: tables.rows.addresses.length,
      entities: tables.rows.entities.length,
      clusterLinks: tables.rows.clusterLinks.length,
      tags: tables.rows.tags.length,
      paymentsToSeeds: tables.rows.paymentsToSeeds.length,
    },
    parents: {
      basis: 'transactions whose outputs the scope and link transactions spend: context, not findings, included so that their inputs can be recomputed from raw bytes; their own inputs are left empty (resolved "not-cited") where their parents are not in the bundle',
      contextTransactions: [...evidence.txs.values()].filter((t) => t.roles.size === 1 && t.roles.has('parent')).length,
      absent: evidence.absentParents.map((a) => ({ ...a })),
    },
    sections: [
      { id: 'payments-to-seeds', title: 'Payments to seized addresses', included: true, files: [TABLES.paymentsToSeeds.file], reason: null },
      ...sections.map((x) => x.section),
    ],
    proofs: {
      complete: proofs.missing.length === 0 && headersComplete,
      merkle: { expected: evidence.txs.size, included: proofs.proofs.size, missing: [...proofs.missing] },
      headers: {
        fromHeight: proofs.headers[0]?.height ?? null,
        toHeight: proofs.headers.at(-1)?.height ?? null,
        count: proofs.headers.length,
        complete: headersComplete,
        gaps: [...proofs.gaps],
      },
    },
    optionalFiles,
  };
}

function heuristicsOf(evidence: CollectedEvidence, jobs: readonly JobCheckpoint[], accuracy: CitedAccuracy | null): ManifestHeuristic[] {
  const uses = new Map<string, number>([['cioh', 0]]);
  for (const link of evidence.links) uses.set(link.heuristic, (uses.get(link.heuristic) ?? 0) + 1);
  // The clustering run's configured rules count even where this bundle has no link of theirs.
  for (const job of jobs) {
    const state = job.state as { report?: { heuristics?: unknown }; cluster?: { heuristics?: unknown } } | null;
    const configured = state?.report?.heuristics ?? state?.cluster?.heuristics;
    if (Array.isArray(configured)) for (const name of configured) if (typeof name === 'string' && !uses.has(name)) uses.set(name, 0);
  }
  const coinjoins = new Map<string, number>(COINJOIN_RULES.map((r) => [r.name, 0]));
  for (const { tx } of evidence.txs.values()) if (tx.coinjoin !== null) coinjoins.set(tx.coinjoin, (coinjoins.get(tx.coinjoin) ?? 0) + 1);
  const rows = [...[...uses].sort(([a], [b]) => (a < b ? -1 : 1)), ...coinjoins];
  return rows.map(([name, count]) => {
    const info = heuristicInfo(name);
    return { name, kind: info.kind, version: info.version, confidence: info.confidence, uses: count, source: info.source, errorRates: (accuracy?.figures.heuristics[name] as Record<string, JsonValue> | undefined) ?? null };
  });
}

/** The models of the included report sections, each once, with its published error rates. */
function modelsOf(sections: readonly BuiltSection[], accuracy: CitedAccuracy | null): ManifestModel[] {
  const models: ManifestModel[] = [];
  for (const built of sections) {
    for (const method of built.methods) {
      if (models.some((m) => m.name === method.name)) continue;
      models.push({ name: method.name, section: built.section.id, version: method.version, errorRates: (accuracy?.figures.models?.[method.name] as Record<string, JsonValue> | undefined) ?? null });
    }
  }
  return models;
}

function tagSourcesOf(evidence: CollectedEvidence, tagFiles: readonly string[]): EvidenceManifest['tagSources'] {
  const counts = new Map<string, number>();
  for (const t of evidence.tags) counts.set(t.source, (counts.get(t.source) ?? 0) + 1);
  const files = new Map(tagFiles.map((f) => [basename(f), f]));
  return [...counts.keys()].sort().map((source) => {
    const file = files.get(source.slice(source.indexOf(':') + 1)) ?? null;
    if (file === null) return { source, tags: counts.get(source) as number, file: null, sha256: null, note: 'the tag file was not given to the export; pass it with --tag-file to record its SHA-256' };
    return {
      source,
      tags: counts.get(source) as number,
      file: basename(file),
      sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      note: `SHA-256 of ${basename(file)} as read at export from ${dirname(file)}; the file itself is not in the bundle`,
    };
  });
}

/** The scope's txids, then those the reports cite (collection skips repeats). */
async function* withReportTxids(txids: AsyncIterable<string> | Iterable<string>, sections: readonly BuiltSection[]): AsyncGenerator<string> {
  yield* txids;
  for (const section of sections) yield* [...section.citedTxids].sort();
}
