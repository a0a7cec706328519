import { ChaintrailError } from '@chaintrail/core';

/** A report option out of range (hop limit, share threshold) or a model name not known. */
export class BadReportOptionsError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_BAD_REPORT_OPTIONS', `Invalid report options: ${detail}. See \`chaintrail report --help\` for the allowed values.`);
  }
}

/** `--from` names neither an entity nor an address of the store. */
export class UnknownOriginError extends ChaintrailError {
  constructor(origin: string) {
    super(
      'CHAINTRAIL_NOT_FOUND',
      `"${origin}" is neither an entity id nor an address in this case's store. Find the site's entity with \`chaintrail case show NAME\` (the entity holding the seeds), or pass one of its addresses.`,
    );
  }
}
