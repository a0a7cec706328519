/**
 * `verifyEvidenceBundle`: checks a bundle offline, with no store and no network, trusting
 * nothing in it but arithmetic: file hashes, txids from raw bytes, every cited amount and
 * address from the raw transactions, merkle proofs against headers, and the header chain's
 * links and proof of work. The verdict is `pass`, `incomplete` (every check passes but the
 * manifest declares proofs missing, or parents absent) or `fail`, with every finding named by file and line.
 */
import { createHash } from 'node:crypto';
import { MANIFEST_FILE, TABLES } from '../bundle-layout.js';
import { manifestSchema, type EvidenceManifest } from '../manifest.js';
import { openBundle, rememberingReader } from './bundle-reader.js';
import { Findings, findingText, type Finding } from './findings.js';
import { loadDeclaredAbsentParents, verifyInputTable, verifyOutputTable, verifyTransactionTable, type TxRow } from './verify-chain-tables.js';
import type { VerifyContext } from './verify-context.js';
import { verifyAddressTable, verifyEntitiesAndLinks, verifyPaymentTable, verifyTagTable } from './verify-derived-tables.js';
import { verifyFileHashes } from './verify-files.js';
import { verifyHeaders, verifyMerkleProofs } from './verify-proofs.js';
import { verifyRawTransactions } from './verify-raw.js';
import { verifyReportSections } from './verify-reports.js';

export type Verdict = 'pass' | 'incomplete' | 'fail';

export interface VerifyReport {
  readonly bundle: string;
  readonly kind: 'folder' | 'zip';
  readonly verdict: Verdict;
  /** What is not what it claims to be. */
  readonly failures: readonly Finding[];
  /** What the manifest declares missing: figures that rest on a claim rather than a proof. */
  readonly gaps: readonly Finding[];
  /**
   * Figures stated for inputs whose parent transaction the manifest declares absent
   * (parents.absent): "not recomputable: parent tx X absent from the bundle". Not tampering,
   * but not proven either, so the verdict is at best `incomplete`.
   */
  readonly notRecomputable: readonly Finding[];
  /** Documented absences (a PDF not produced) and caveats (proof of work of a test network). */
  readonly notes: readonly string[];
  readonly case: string | null;
  readonly exportedAt: string | null;
  readonly tip: { readonly height: number; readonly hash: string } | null;
  /** What the manifest declares about its proofs, so that a bundle without them says so plainly; null without a readable manifest. */
  readonly proofs: ProofSummary | null;
  readonly checked: {
    readonly files: number;
    readonly transactions: number;
    readonly merkleProofs: number;
    readonly headers: number;
    readonly clusterLinks: number;
    readonly paymentsToSeeds: number;
    readonly tags: number;
    /** Outputs described by the included reports, checked against the raw bytes. */
    readonly reportOutputs: number;
  };
}

export interface ProofSummary {
  readonly complete: boolean;
  readonly transactions: number;
  /** Transactions without a merkle proof, grouped by the reason the manifest gives. */
  readonly missingMerkle: number;
  readonly missingReasons: ReadonlyArray<{ readonly reason: string; readonly transactions: number }>;
  readonly headerGaps: number;
  readonly tipKnown: boolean;
  /** The chain source the proofs came from, as the manifest names it. */
  readonly source: string | null;
}

function proofSummary(m: EvidenceManifest): ProofSummary {
  const reasons = new Map<string, number>();
  for (const missing of m.proofs.merkle.missing) reasons.set(missing.reason, (reasons.get(missing.reason) ?? 0) + 1);
  return {
    complete: m.proofs.complete,
    transactions: m.proofs.merkle.expected,
    missingMerkle: m.proofs.merkle.missing.length,
    missingReasons: [...reasons].map(([reason, transactions]) => ({ reason, transactions })).sort((a, b) => b.transactions - a.transactions || (a.reason < b.reason ? -1 : 1)),
    headerGaps: m.proofs.headers.gaps.length,
    tipKnown: m.chain.tip !== null,
    source: m.chain.source,
  };
}

export async function verifyEvidenceBundle(path: string): Promise<VerifyReport> {
  const opened = await openBundle(path);
  const reader = rememberingReader(opened);
  try {
    const findings = new Findings();
    const files = await verifyFileHashes({ reader, findings });
    const manifest = readManifest(reader.has(MANIFEST_FILE) ? (await reader.read(MANIFEST_FILE)).toString('utf8') : null, findings);
    const ctx: VerifyContext = { reader, findings, manifest, network: manifest?.chain.network ?? 'mainnet', raw: new Map(), claimed: new Map() };

    await verifyRawTransactions(ctx);
    await loadDeclaredAbsentParents(ctx);
    const headers = await verifyHeaders(ctx);
    const { proofs, entries } = await verifyMerkleProofs(ctx, headers);
    const txRows = await verifyTransactionTable(ctx, headers, proofs);
    await verifyInputTable(ctx, txRows);
    await verifyOutputTable(ctx);
    const addresses = await verifyAddressTable(ctx, txRows);
    const payments = await verifyPaymentTable(ctx, txRows, addresses);
    const links = await verifyEntitiesAndLinks(ctx, addresses);
    const tags = await verifyTagTable(ctx, addresses);
    const reportOutputs = await verifyReportSections(ctx);
    if (manifest) {
      checkManifestClaims(ctx, manifest, txRows, proofs.size, entries, headers.count);
      await checkCitedAccuracy(ctx, manifest);
    }

    if (findings.notRecomputable.length > 0) {
      const first = findings.notRecomputable[0] as Finding;
      findings.note(`${findings.notRecomputable.length} figures are not recomputable because the manifest declares their parent transactions absent (parents.absent); they rest on the exporting store's word. First: ${findingText(first)}`);
    }
    const verdict: Verdict = findings.failures.length > 0 ? 'fail' : findings.gaps.length > 0 || findings.notRecomputable.length > 0 ? 'incomplete' : 'pass';
    return {
      bundle: path,
      kind: reader.kind,
      verdict,
      failures: findings.failures,
      gaps: findings.gaps,
      notRecomputable: findings.notRecomputable,
      notes: findings.notes,
      case: manifest?.case.name ?? null,
      exportedAt: manifest?.exported.at ?? null,
      tip: manifest?.chain.tip ?? null,
      proofs: manifest ? proofSummary(manifest) : null,
      checked: { files, transactions: ctx.raw.size, merkleProofs: proofs.size, headers: headers.count, clusterLinks: links, paymentsToSeeds: payments, tags, reportOutputs },
    };
  } finally {
    await opened.close();
  }
}

function readManifest(text: string | null, findings: Findings): EvidenceManifest | null {
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    findings.fail({ check: 'manifest', file: MANIFEST_FILE, message: `not valid JSON: ${(error as Error).message}` });
    return null;
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 20)) findings.fail({ check: 'manifest', file: MANIFEST_FILE, message: `${issue.path.join('.') || '(top)'}: ${issue.message}` });
    return null;
  }
  return parsed.data;
}

/** The error rates the report cites are the embedded file the manifest names, byte for byte. */
async function checkCitedAccuracy(ctx: VerifyContext, m: EvidenceManifest): Promise<void> {
  if (m.accuracy === null) {
    ctx.findings.note('the report cites no published error rates (none were available at export)');
    return;
  }
  if (!ctx.reader.has(m.accuracy.file)) {
    ctx.findings.fail({ check: 'manifest', file: m.accuracy.file, message: 'the manifest cites this error-rate file, but it is missing' });
    return;
  }
  const sha256 = createHash('sha256').update(await ctx.reader.read(m.accuracy.file)).digest('hex');
  if (sha256 !== m.accuracy.sha256) ctx.findings.fail({ check: 'manifest', file: m.accuracy.file, message: `its SHA-256 is ${sha256}, the manifest (accuracy.sha256) says ${m.accuracy.sha256}` });
  else ctx.findings.note(`error rates cited: ${m.accuracy.file} (${m.accuracy.name}, ${m.accuracy.basis})`);
}

/** What the manifest states about the bundle, held against what the bundle holds. */
function checkManifestClaims(ctx: VerifyContext, m: EvidenceManifest, txRows: ReadonlyMap<string, TxRow>, proofsVerified: number, proofEntries: number, headerCount: number): void {
  const fail = (message: string): void => ctx.findings.fail({ check: 'manifest', file: MANIFEST_FILE, message });
  const roles = { scope: 0, link: 0, parent: 0 };
  for (const { row } of txRows.values()) for (const r of row.roles.split(';')) if (r in roles) roles[r as keyof typeof roles]++;
  const claims: [string, number, number][] = [
    ['contents.transactions', m.contents.transactions, txRows.size],
    ['contents.scopeTransactions', m.contents.scopeTransactions, roles.scope],
    ['contents.linkTransactions', m.contents.linkTransactions, roles.link],
    ['contents.parentTransactions', m.contents.parentTransactions, roles.parent],
    ['parents.contextTransactions', m.parents.contextTransactions, [...txRows.values()].filter(({ row }) => row.roles === 'parent').length],
    ['proofs.merkle.expected', m.proofs.merkle.expected, txRows.size],
    ['proofs.merkle.included', m.proofs.merkle.included, proofEntries],
    ['proofs.headers.count', m.proofs.headers.count, headerCount],
  ];
  for (const [field, claimed, actual] of claims) if (claimed !== actual) fail(`${field} is ${claimed}, the bundle has ${actual}`);
  if (m.proofs.merkle.included + m.proofs.merkle.missing.length !== m.proofs.merkle.expected) fail(`proofs: ${m.proofs.merkle.included} included and ${m.proofs.merkle.missing.length} missing do not add up to ${m.proofs.merkle.expected}`);
  for (const missing of m.proofs.merkle.missing) {
    const row = txRows.get(missing.txid)?.row;
    if (!row) fail(`proofs.merkle.missing names ${missing.txid}, which is not in ${TABLES.transactions.file}`);
    else if (row.merkle_proof !== 'missing') fail(`proofs.merkle.missing names ${missing.txid}, whose row says its proof is ${row.merkle_proof}`);
  }
  const headersComplete = m.proofs.headers.gaps.length === 0 && m.chain.tip !== null;
  if (m.proofs.headers.complete !== headersComplete) fail(`proofs.headers.complete is ${m.proofs.headers.complete}, yet ${m.proofs.headers.gaps.length} gaps are declared and the tip is ${m.chain.tip === null ? 'unknown' : 'known'}`);
  if (m.proofs.complete !== (m.proofs.merkle.missing.length === 0 && headersComplete)) fail(`proofs.complete is ${m.proofs.complete}, which its own missing proofs and header gaps contradict`);
  if (proofsVerified < m.proofs.merkle.included && ctx.findings.failures.every((f) => f.check !== 'merkle')) fail(`${m.proofs.merkle.included} proofs are declared, ${proofsVerified} verified`);
  for (const optional of m.optionalFiles) {
    const present = ctx.reader.has(optional.path);
    if (optional.included && !present) ctx.findings.fail({ check: 'files', file: optional.path, message: 'the manifest says it was produced, but it is missing' });
    else if (!optional.included && present) ctx.findings.fail({ check: 'files', file: optional.path, message: 'present, though the manifest says it was not produced' });
    else if (!optional.included) ctx.findings.note(`${optional.path} was not produced (documented in the manifest: ${optional.how})`);
  }
}
