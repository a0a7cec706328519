import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `test/support/`). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The real mainnet data the tests read (../shared/data beside the repository, see its
 * README). `CHAINTRAIL_SHARED_DATA` points elsewhere. It is never copied into the repo.
 */
export const sharedDataDir = process.env['CHAINTRAIL_SHARED_DATA'] ?? join(repoRoot, '..', 'shared', 'data');

/** A path inside the shared data; fails loudly when the data is missing, never skips. */
export function sharedData(...parts: string[]): string {
  const path = join(sharedDataDir, ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `Real test data not found at ${path}. Tests read ../shared/data beside the repository ` +
        `(or the folder in CHAINTRAIL_SHARED_DATA); see that folder's README.`,
    );
  }
  return path;
}
