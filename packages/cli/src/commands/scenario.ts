import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { generateWorld, type WorldSummary } from '@chaintrail/scenario';
import type { CliApp, CommandContext } from '../cli-app.js';
import { formatBtc } from '../format.js';
import { nonNegativeInt, positiveInt } from '../option-parsers.js';

export function registerScenario(program: Command, app: CliApp): void {
  program
    .command('scenario')
    .description('generate a scenario world: block files, a seized address list, exchange tags and the ground truth')
    .requiredOption('--out <dir>', 'where to write the world')
    .option('--users <n>', 'site users (one deposit address each)', positiveInt('--users'), 1000)
    .option('--seed <n>', 'the seed: the same seed gives the same world, byte for byte', nonNegativeInt('--seed'), 1)
    .addHelpText('after', '\nWrites blocks/blk*.dat, seized-addresses.txt and .csv, tags.yaml and truth.json.\n\nExamples:\n  $ chaintrail scenario --users 2000 --seed 7 --out world\n  $ chaintrail scenario --users 100000 --out big-world --json')
    .action((options, command) => app.run(command, (ctx) => runScenario(ctx, resolve(options.out), options.users, options.seed).then(() => undefined)));
}

export async function runScenario(ctx: CommandContext, out: string, users: number, seed: number): Promise<WorldSummary> {
  ctx.progress.stage('generate world (users signed up)', users);
  let summary: WorldSummary;
  try {
    summary = await generateWorld({ users, seed }, out, { onProgress: (p) => ctx.progress.update(p.usersSignedUp) });
  } finally {
    ctx.progress.stop();
  }
  const n = (v: number): string => v.toLocaleString('en-US');
  ctx.out.result({ out, ...summary }, () => [
    `Generated a world of ${n(summary.users)} users (seed ${summary.seed}) in ${out}:`,
    `  ${n(summary.blocks)} blocks (heights ${n(summary.firstHeight)} to ${n(summary.tipHeight)}), ${n(summary.transactions)} transactions in ${n(summary.blockFiles)} block file(s)`,
    `  ${n(summary.payingUsers)} paying users made ${n(summary.payments)} payments; ${n(summary.exchanges)} exchanges, ${n(summary.taggedAddresses)} tagged addresses`,
    `  seized-addresses.txt: ${n(summary.seizedList.lines)} lines (${n(summary.seizedList.duplicates)} duplicates, ${n(summary.seizedList.malformedLines.length)} malformed, ${n(summary.seizedList.wrongNetworkLines.length)} testnet)`,
    `  site received ${formatBtc(summary.site.received)} BTC`,
    '',
    `Next: chaintrail case create world && chaintrail import ${out}/seized-addresses.txt --case world && chaintrail ingest --case world --source blocks:${out}/blocks`,
  ]);
  return summary;
}
