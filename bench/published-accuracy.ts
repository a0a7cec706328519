/** What the two `pnpm accuracy` benchmarks share when they publish their figures (see @chaintrail/evidence accuracy-file.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version of the `chaintrail` command the figures were measured with. */
export function chaintrailVersion(): string {
  return (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Five decimals: enough for a precision near 1, and stable from run to run. */
export function rounded(value: number): number {
  return Number(value.toFixed(5));
}
