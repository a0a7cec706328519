/** What `verify` found, each finding naming the file, and the line or txid where it applies. */

export type CheckName = 'files' | 'manifest' | 'raw' | 'transactions' | 'inputs' | 'outputs' | 'addresses' | 'payments' | 'entities' | 'links' | 'tags' | 'reports' | 'merkle' | 'headers';

export interface Finding {
  readonly check: CheckName;
  readonly file: string | null;
  /** 1-based line in `file`. */
  readonly line?: number;
  readonly txid?: string;
  readonly message: string;
}

/**
 * Collects findings of three kinds: failures (something in the bundle is not what it claims
 * to be), gaps (a proof the manifest declares missing, so a placement rests on a claim) and
 * figures not recomputable (an amount or address whose parent transaction the manifest
 * declares absent, so it rests on the store's word). A bundle passes only with none.
 */
export class Findings {
  readonly failures: Finding[] = [];
  readonly gaps: Finding[] = [];
  readonly notRecomputable: Finding[] = [];
  readonly notes: string[] = [];

  fail(finding: Finding): void {
    this.failures.push(finding);
  }

  gap(finding: Finding): void {
    this.gaps.push(finding);
  }

  unrecomputable(finding: Finding): void {
    this.notRecomputable.push(finding);
  }

  note(text: string): void {
    this.notes.push(text);
  }
}

/** `file:line (txid): message`, the form the CLI prints. */
export function findingText(f: Finding): string {
  const where = f.file === null ? '' : `${f.file}${f.line !== undefined ? `:${f.line}` : ''}`;
  const tx = f.txid !== undefined && !(f.file ?? '').includes(f.txid) ? ` (tx ${f.txid})` : '';
  return `${where}${tx}${where || tx ? ': ' : ''}${f.message}`;
}
