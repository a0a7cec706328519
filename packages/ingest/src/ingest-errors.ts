import { ChaintrailError } from '@chaintrail/core';

/** The job journal (local work file beside the store) cannot be opened or written. */
export class JournalUnavailableError extends ChaintrailError {
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(
      'CHAINTRAIL_STORE_JOURNAL',
      `Cannot open the job journal ${path}: ${detail}. Check that its folder is writable and has free space, or point CHAINTRAIL_HOME elsewhere.`,
      options,
    );
  }
}

/** A seed list that cannot be read at all (as opposed to bad lines, which are reported and skipped). */
export class SeedListError extends ChaintrailError {
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super('CHAINTRAIL_BAD_SEED_LIST', `Cannot read the seed list ${file}: ${detail}`, options);
  }
}

/** Ingestion or clustering options outside their allowed range. */
export class BadIngestOptionsError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_BAD_OPTIONS', `Invalid ingestion options: ${detail}. Run the command with --help for the allowed values.`);
  }
}

/** A job stopped on request (Ctrl-C); its checkpoint is saved. */
export class JobInterruptedError extends ChaintrailError {
  constructor(job: string) {
    super('CHAINTRAIL_INTERRUPTED', `${job} was interrupted; its progress is saved. Run the same command again to continue where it stopped.`);
  }
}

/** The journal lists none of the store's transactions, so a clustering run would erase the store's entities. */
export class JournalOutOfStepError extends ChaintrailError {
  constructor(journal: string, stored: number) {
    super(
      'CHAINTRAIL_STORE_JOURNAL_EMPTY',
      `The job journal ${journal} lists none of the ${stored} transactions in the store (it was deleted or rebuilt), so clustering would find nothing to cluster and erase the existing entities. Run the ingest command again first; it rebuilds the journal.`,
    );
  }
}
