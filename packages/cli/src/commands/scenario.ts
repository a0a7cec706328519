import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { generateWorld, type WorldOptions, type WorldSummary } from '@chaintrail/scenario';
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
    .option('--exchanges <n>', 'how many exchanges (1 to 26; default 5)', positiveInt('--exchanges'))
    .option('--coinjoin-share <fraction>', 'share of paying users who mix through a CoinJoin first (default 0.1)', fraction('--coinjoin-share'))
    .option('--obfuscate', 'XOR-obfuscate the block files with a xor.dat key, as Bitcoin Core 28+ does')
    .option('--options <json>', 'any parameter of packages/scenario/README.md, as a JSON object', jsonObject('--options'))
    .addHelpText(
      'after',
      '\nWrites blocks/blk*.dat, seized-addresses.txt and .csv, tags.yaml and truth.json.\n\nExamples:\n  $ chaintrail scenario --users 2000 --seed 7 --out world\n  $ chaintrail scenario --users 100000 --out big-world --json\n  $ chaintrail scenario --users 5000 --exchanges 8 --coinjoin-share 0.3 --obfuscate --out mixed-world\n  $ chaintrail scenario --out w --options \'{"payingShare":0.2,"taggedWalletShare":0.4}\'',
    )
    .action((options, command) => {
      const extra: WorldOptions = { ...options.options };
      if (options.exchanges !== undefined) extra.exchanges = options.exchanges;
      if (options.coinjoinShare !== undefined) extra.coinjoinShare = options.coinjoinShare;
      if (options.obfuscate === true) extra.obfuscate = true;
      return app.run(command, (ctx) => runScenario(ctx, resolve(options.out), options.users, options.seed, extra).then(() => undefined));
    });
}

function fraction(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${flag} takes a share between 0 and 1, not "${value}".`);
    return n;
  };
}

function jsonObject(flag: string): (value: string) => WorldOptions {
  return (value) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new InvalidArgumentError(`${flag} takes a JSON object, and "${value}" is not JSON (${(error as Error).message}).`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError(`${flag} takes a JSON object such as '{"payingShare":0.2}', not "${value}".`);
    return parsed;
  };
}

/** Writes a world; `extra` carries any further parameter (packages/scenario/README.md), checked by the generator. */
export async function runScenario(ctx: CommandContext, out: string, users: number, seed: number, extra: WorldOptions = {}): Promise<WorldSummary> {
  ctx.progress.stage('generate world (users signed up)', users);
  let summary: WorldSummary;
  try {
    summary = await generateWorld({ ...extra, users, seed }, out, { onProgress: (p) => ctx.progress.update(p.usersSignedUp) });
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
