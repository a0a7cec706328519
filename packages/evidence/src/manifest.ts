/**
 * `manifest.json`: what the bundle is, what it stands on and what it leaves out. One zod
 * schema serves the writer (so a manifest is never written half-formed) and the verifier
 * (which reads it as untrusted input).
 */
import { z } from 'zod';

const jsonValue: z.ZodType<unknown> = z.json();

const network = z.enum(['mainnet', 'testnet', 'signet', 'regtest']);

const missingProof = z.strictObject({ txid: z.string(), reason: z.string() });

const headerGap = z.strictObject({ fromHeight: z.number().int(), toHeight: z.number().int(), reason: z.string() });

export const manifestSchema = z.strictObject({
  format: z.literal('chaintrail-evidence-bundle'),
  formatVersion: z.literal(1),
  tool: z.strictObject({ name: z.literal('chaintrail'), version: z.string() }),
  case: z.strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    createdAt: z.string(),
    seedCount: z.number().int(),
  }),
  /** What part of the case the bundle covers. */
  scope: z.strictObject({
    kind: z.enum(['case', 'view', 'report']),
    /** The view's or report's name; null for the whole case. */
    name: z.string().nullable(),
    description: z.string(),
    notes: z.array(z.string()),
  }),
  /**
   * Who exported and when, with where each value came from. Both are inputs, never the
   * clock by default, so the same case exported twice gives the same bytes.
   */
  exported: z.strictObject({ by: z.string(), byBasis: z.string(), at: z.string(), atBasis: z.string() }),
  chain: z.strictObject({
    /** Network of the addresses. */
    network,
    /** Network whose proof-of-work limit the headers are checked against. */
    proofOfWorkNetwork: network,
    /** The chain source the proofs and headers came from (no credentials); null when none was used. */
    source: z.string().nullable(),
    /** The chain tip the analysis stands on; null when no source told it. */
    tip: z.strictObject({ height: z.number().int(), hash: z.string() }).nullable(),
    tipBasis: z.string(),
    /**
     * The store's chain tip at export (GraphStore.chainTip): the block the case's clustering
     * and reports stand on, which may lie below the proven tip; null when the store holds no header.
     */
    storeTip: z.strictObject({ height: z.number().int(), hash: z.string() }).nullable(),
    notes: z.array(z.string()),
  }),
  /** Every parameter: the export's own, and the case's jobs (ingest, clustering, imports) as checkpointed. */
  parameters: z.strictObject({
    export: z.record(z.string(), jsonValue),
    jobs: z.array(z.strictObject({ jobId: z.string(), kind: z.string(), updatedAt: z.string(), state: jsonValue })),
  }),
  heuristics: z.array(
    z.strictObject({
      name: z.string(),
      kind: z.enum(['clustering', 'change', 'coinjoin']),
      /** This chaintrail's version of the rule; null when the rule is unknown to it. */
      version: z.number().int().nullable(),
      /** 0 to 100; null for CoinJoin rules, which veto rather than link. */
      confidence: z.number().nullable(),
      /** Links (or CoinJoin verdicts) in this bundle made by the rule. */
      uses: z.number().int(),
      source: z.string(),
      /** Published error rates (`pnpm accuracy`), or null when none were supplied. */
      errorRates: z.record(z.string(), jsonValue).nullable(),
    }),
  ),
  /** Report models used (payer attribution, flow models), with their published error rates. */
  models: z.array(
    z.strictObject({
      name: z.string(),
      /** The report section that used it. */
      section: z.string(),
      version: z.number().int(),
      errorRates: z.record(z.string(), jsonValue).nullable(),
    }),
  ),
  /** The published error rates cited, embedded in the bundle at `file`; null when none were available. */
  accuracy: z
    .strictObject({
      file: z.string(),
      /** The file's name as given or shipped. */
      name: z.string(),
      sha256: z.string(),
      basis: z.string(),
      chaintrailVersion: z.string().nullable(),
      measuredAt: z.string().nullable(),
    })
    .nullable(),
  /** Cluster links an investigator vetoed (never applied by the clustering the bundle shows), from every case in the store. */
  vetoes: z.array(
    z.strictObject({
      caseId: z.string(),
      txid: z.string(),
      /** Only this heuristic's links; null for every link of the transaction. */
      heuristic: z.string().nullable(),
      reason: z.string().nullable(),
      recordedAt: z.string(),
      by: z.string().nullable(),
    }),
  ),
  tagSources: z.array(
    z.strictObject({
      source: z.string(),
      tags: z.number().int(),
      file: z.string().nullable(),
      sha256: z.string().nullable(),
      note: z.string(),
    }),
  ),
  contents: z.strictObject({
    transactions: z.number().int(),
    scopeTransactions: z.number().int(),
    linkTransactions: z.number().int(),
    parentTransactions: z.number().int(),
    inputs: z.number().int(),
    outputs: z.number().int(),
    addresses: z.number().int(),
    entities: z.number().int(),
    clusterLinks: z.number().int(),
    tags: z.number().int(),
    paymentsToSeeds: z.number().int(),
  }),
  /**
   * Transactions whose outputs the findings spend. They are context, not findings: included
   * (raw/, with merkle proofs where the source gives them) so that every input address and
   * amount, input total and fee of a finding can be recomputed from raw bytes.
   */
  parents: z.strictObject({
    basis: z.string(),
    /** Transactions in the bundle only as parents (role `parent` alone). */
    contextTransactions: z.number().int(),
    /**
     * Inputs of findings whose parent could not be included (the store lacks it): their
     * figures are stated from the store and `verify` reports them as not recomputable.
     */
    absent: z.array(z.strictObject({ txid: z.string(), vin: z.number().int(), parentTxid: z.string(), reason: z.string() })),
  }),
  /** Report sections, each included (with its files) or not (with the reason). */
  sections: z.array(z.strictObject({ id: z.string(), title: z.string(), included: z.boolean(), files: z.array(z.string()), reason: z.string().nullable() })),
  proofs: z.strictObject({
    /** True only when every confirmed transaction has its merkle proof and the headers run unbroken to the tip. */
    complete: z.boolean(),
    merkle: z.strictObject({ expected: z.number().int(), included: z.number().int(), missing: z.array(missingProof) }),
    headers: z.strictObject({
      fromHeight: z.number().int().nullable(),
      toHeight: z.number().int().nullable(),
      count: z.number().int(),
      complete: z.boolean(),
      gaps: z.array(headerGap),
    }),
  }),
  /** Files produced only when a tool is present (the PDF and PNG need chromium). */
  optionalFiles: z.array(z.strictObject({ path: z.string(), included: z.boolean(), how: z.string() })),
});

export type EvidenceManifest = z.infer<typeof manifestSchema>;
export type MissingProof = z.infer<typeof missingProof>;
export type AbsentParentInput = EvidenceManifest['parents']['absent'][number];
export type HeaderGap = z.infer<typeof headerGap>;
export type ManifestHeuristic = EvidenceManifest['heuristics'][number];
export type ManifestSection = EvidenceManifest['sections'][number];
export type ManifestModel = EvidenceManifest['models'][number];
export type ManifestVeto = EvidenceManifest['vetoes'][number];
