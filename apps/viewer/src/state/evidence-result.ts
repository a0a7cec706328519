/** An evidence bundle the viewer saved: what the investigator needs to cite and check it. */
export interface EvidenceResult {
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly files: number;
  /** What the bundle covers: "current view (12 nodes)", "payers report". */
  readonly scope: string;
  readonly proofsComplete: boolean;
  readonly missingProofs: number;
  readonly notes: readonly string[];
  /** The SHA-256 of the saved bytes matched the server's; null when this browser cannot hash (no secure context). */
  readonly hashChecked: boolean | null;
}
