/**
 * `node --conditions=@chaintrail/source --import tsx packages/scenario/src/bin.ts --users N --seed S --out DIR`
 * Generates a scenario world until the CLI wraps this as `chaintrail scenario`.
 */
import { toError } from '@chaintrail/core';
import { parseArgs } from 'node:util';
import { generateWorld, type WorldProgress } from './generate-world.js';

const usage = `Usage: bin.ts --out DIR [--users N] [--seed S] [--exchanges N] [--obfuscate] [--options JSON]

Writes a generated world to DIR: blocks/blk*.dat, seized-addresses.txt and .csv, tags.yaml,
truth.json. --options takes any parameter of packages/scenario/README.md as JSON.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      exchanges: { type: 'string' },
      obfuscate: { type: 'boolean' },
      options: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true || values.out === undefined) {
    process.stderr.write(`${usage}\n`);
    return values.help === true ? 0 : 2;
  }
  const options: Record<string, unknown> = values.options === undefined ? {} : (JSON.parse(values.options) as Record<string, unknown>);
  if (values.users !== undefined) options['users'] = Number(values.users);
  if (values.seed !== undefined) options['seed'] = Number(values.seed);
  if (values.exchanges !== undefined) options['exchanges'] = Number(values.exchanges);
  if (values.obfuscate === true) options['obfuscate'] = true;

  const started = Date.now();
  const showProgress = values.quiet !== true && process.stderr.isTTY;
  let peakHeap = 0;
  let peakLiveHeap = 0;
  // With node --expose-gc, the heap is also measured right after a full collection: what the
  // world really keeps alive, as opposed to garbage not yet collected.
  const gc = (globalThis as { gc?: () => void }).gc;
  const onProgress = (p: WorldProgress): void => {
    if (p.height % 8 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    if (gc !== undefined && p.height % 64 === 0) {
      gc();
      peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
    }
    if (showProgress && p.height % 20 === 0) process.stderr.write(`\rheight ${p.height}  users ${p.usersSignedUp}/${p.users}  transactions ${p.transactions}   `);
  };
  const summary = await generateWorld(options, values.out, { onProgress });
  if (showProgress) process.stderr.write('\n');
  const resources = process.resourceUsage();
  const run = {
    seconds: (Date.now() - started) / 1000,
    cpuSeconds: (resources.userCPUTime + resources.systemCPUTime) / 1e6,
    // resourceUsage reports kilobytes.
    peakRssMb: resources.maxRSS / 1024,
    peakHeapMb: peakHeap / 1024 / 1024,
    ...(gc === undefined ? {} : { peakLiveHeapMb: peakLiveHeap / 1024 / 1024 }),
  };
  const { received, exited, fees, held } = summary.site;
  const site = { received: String(received), exited: String(exited), fees: String(fees), held: String(held) };
  process.stdout.write(`${JSON.stringify({ ...summary, site, run }, null, 2)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const err = toError(error);
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
