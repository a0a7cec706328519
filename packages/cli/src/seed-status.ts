import type { JobJournal } from '@chaintrail/ingest';

/** How far ingestion got with one seed, for `case show`. */
export type SeedIngestion = 'pending' | 'no transactions' | 'done' | `cut at ${number} txs`;

export function seedIngestionStatus(journal: JobJournal, caseId: string, address: string): SeedIngestion {
  const status = journal.seedStatus(caseId, address);
  if (status === null) return 'pending';
  if (status.truncated) return `cut at ${status.txs} txs`;
  return status.txs === 0 ? 'no transactions' : 'done';
}
