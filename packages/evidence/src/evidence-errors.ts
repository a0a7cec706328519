import { ChaintrailError } from '@chaintrail/core';

/** The export would overwrite something: a bundle is never written over another. */
export class BundleOutputExistsError extends ChaintrailError {
  constructor(path: string) {
    super('CHAINTRAIL_USAGE_BUNDLE_EXISTS', `${path} already exists. Choose another --out, or delete it first; a bundle is never written over another one.`);
  }
}

/** An export option that cannot work as given. */
export class BadExportOptionError extends ChaintrailError {
  constructor(option: string, detail: string) {
    super('CHAINTRAIL_BAD_EXPORT_OPTION', `${option}: ${detail}.`);
  }
}

/** A saved view named for export that the case does not have. */
export class ViewNotFoundError extends ChaintrailError {
  constructor(name: string, caseName: string, known: readonly string[]) {
    super(
      'CHAINTRAIL_NOT_FOUND_VIEW',
      `The case "${caseName}" has no saved view named "${name}". ${known.length > 0 ? `Its views: ${known.join(', ')}.` : 'It has no saved views yet; save one in the viewer first.'}`,
    );
  }
}

/** A path given to `verify` that is neither a bundle folder nor a bundle zip. */
export class UnreadableBundleError extends ChaintrailError {
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super('CHAINTRAIL_BAD_BUNDLE_UNREADABLE', `Cannot read ${path} as an evidence bundle: ${detail}. Pass the folder or the .zip that \`chaintrail export\` wrote.`, options);
  }
}

/** A bundle with at least one check failed. */
export class BundleFailedError extends ChaintrailError {
  constructor(path: string, detail: string) {
    super('CHAINTRAIL_BAD_BUNDLE', `The evidence bundle ${path} FAILED verification: ${detail}`);
  }
}

/** A bundle whose checks pass but whose proofs are incomplete, as its manifest declares. */
export class BundleIncompleteError extends ChaintrailError {
  constructor(path: string, detail: string) {
    super(
      'CHAINTRAIL_BAD_BUNDLE_INCOMPLETE',
      `The evidence bundle ${path} is INCOMPLETE: ${detail}\nEverything present checks out, but not every figure can be proven offline. Export again with a chain source that has the blocks, or pass --allow-incomplete to accept the documented gaps.`,
    );
  }
}
