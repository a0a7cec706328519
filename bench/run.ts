/**
 * `pnpm bench [names...]`: runs every bench/*.bench.ts, or the ones whose file name
 * contains one of the given names, and prints their figures.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { consoleReporter, type BenchReporter } from './reporter.js';

interface BenchModule {
  run(report: BenchReporter): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`No benchmark matches ${wanted.join(', ')}; available: ${readdirSync(here).filter((f) => f.endsWith('.bench.ts')).join(', ')}\n`);
  process.exit(2);
}

const report = consoleReporter();
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n# ${file}\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
    await mod.run(report);
  } catch (error) {
    failed++;
    process.stderr.write(`benchmark ${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
