import { ChaintrailError, type Tag } from '@chaintrail/core';

/**
 * One thing wrong with one tag of a tag file, named by file and line so the person who
 * maintains the file can fix it. Errors reject the tag; warnings keep it.
 */
export interface TagProblem {
  readonly severity: 'error' | 'warning';
  /** Stable code: `CHAINTRAIL_TAG_*`, or the address error's code (`CHAINTRAIL_BAD_ADDRESS`, ...). */
  readonly code: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** `<file>:<line>: <what> <way out>`. */
  readonly message: string;
}

export function tagProblem(severity: TagProblem['severity'], code: string, file: string, line: number, detail: string): TagProblem {
  return { severity, code, file, line, message: `${file}:${line}: ${detail}` };
}

/** A tag file that cannot be read at all: unreadable, not the expected format, or without the header every tag needs. */
export class TagFileError extends ChaintrailError {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, detail: string, options?: { cause?: unknown }) {
    super('CHAINTRAIL_BAD_TAG_FILE', `${file}:${line}: ${detail}`, options);
    this.file = file;
    this.line = line;
  }
}

/** What reading one tag file gave. */
export interface TagChunk {
  readonly tags: readonly Tag[];
  readonly problems: readonly TagProblem[];
  /** Tags for other chains (a TagPack's `currency` or `network` other than BTC), skipped. */
  readonly otherChains: number;
}
