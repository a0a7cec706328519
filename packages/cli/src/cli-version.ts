import { readFileSync } from 'node:fs';

/** chaintrail's version, from this package's package.json (beside src/ and dist/ alike). */
export function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
