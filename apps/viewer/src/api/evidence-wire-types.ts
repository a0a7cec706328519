/**
 * The evidence export route as the viewer uses it (apps/api/src/routes/evidence.ts):
 * the body it accepts and its answer, the bundle zip base64-encoded with its SHA-256.
 */
export interface EvidenceExportJson {
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly files: number;
  readonly proofsComplete: boolean;
  readonly missingProofs: number;
  readonly notes: readonly string[];
  readonly manifest: unknown;
  readonly zipBase64: string;
}

/** What the evidence route accepts: exactly one of a saved view, the current state, a report. */
export type EvidenceScopeJson = { readonly view: string } | { readonly state: unknown } | { readonly report: 'payers' | 'flows' };

export type EvidenceExportBody = EvidenceScopeJson & {
  readonly proofs?: 'recorded' | 'none';
  readonly render?: boolean;
  readonly exportedAt?: string;
};
