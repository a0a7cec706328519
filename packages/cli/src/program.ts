/**
 * The `chaintrail` command: builds the commander program and runs it, mapping every
 * failure to an exit status by its error code (exit-status.ts). Tests run it in-process
 * with `runCli(argv, io)`; the binary (bin.ts) runs it on the real process.
 */
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { ChaintrailError } from '@chaintrail/core';
import { CliApp, type CliIo } from './cli-app.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerBlocks } from './commands/blocks.js';
import { registerCase } from './commands/case.js';
import { registerCluster } from './commands/cluster.js';
import { registerDemo } from './commands/demo.js';
import { registerExportCommand } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerIngest } from './commands/ingest.js';
import { registerReportCommand } from './commands/report.js';
import { registerScenario } from './commands/scenario.js';
import { registerServeCommand } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerTags } from './commands/tags.js';
import { registerTokenCommand } from './commands/token.js';
import { registerVerifyCommand } from './commands/verify.js';
import { registerVeto } from './commands/veto.js';
import { cliVersion } from './cli-version.js';
import { ExitStatus, exitStatusForCode } from './exit-status.js';
import { toJson } from './output.js';

export function buildProgram(io: CliIo): Command {
  const app = new CliApp(io);
  const program = new Command()
    .name('chaintrail')
    .description('Bitcoin payment tracing for financial investigators: from seized addresses back to who paid and forward to where the money went.')
    .version(cliVersion())
    .option('--store <spec>', 'the store: sqlite:PATH or neo4j:bolt://HOST:7687 (default: one SQLite file per case in the data directory, $CHAINTRAIL_HOME)')
    .option('--json', 'print one JSON document on stdout (for scripts)')
    .option('-q, --quiet', 'no progress or messages on stderr')
    .addOption(new Option('--network <network>', 'Bitcoin network of addresses and sources').choices(['mainnet', 'testnet', 'signet', 'regtest'] as const))
    .showHelpAfterError('(run with --help for usage and examples)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.out.write(s), writeErr: (s) => void io.err.write(s) })
    .addHelpText(
      'after',
      [
        '',
        'The data directory is $CHAINTRAIL_HOME, or a per-user folder (~/.local/share/chaintrail on Linux).',
        'Exit statuses: 0 ok, 1 unexpected, 2 usage, 3 bad input, 4 not found, 5 chain source unavailable,',
        '6 store unavailable, 130 interrupted (run the same command again to continue).',
        '',
        'Examples:',
        '  $ chaintrail demo',
        '  $ chaintrail case create wtv',
        '  $ chaintrail import seized-addresses.txt --case wtv',
        '  $ chaintrail ingest --case wtv --source esplora:https://blockstream.info/api --hops-back 2',
        '  $ chaintrail tags import packs/*.yaml sanctioned_addresses_XBT.txt --case wtv',
        '  $ chaintrail case show wtv',
      ].join('\n'),
    );
  registerCase(program, app);
  registerImport(program, app);
  registerIngest(program, app);
  registerTags(program, app);
  registerCluster(program, app);
  registerVeto(program, app);
  registerStatus(program, app);
  registerDemo(program, app);
  registerBlocks(program, app);
  registerScenario(program, app);
  registerServeCommand(program, app);
  registerTokenCommand(program, app);
  registerAuditCommand(program, app);
  registerReportCommand(program, app);
  registerExportCommand(program, app);
  registerVerifyCommand(program, app);
  return program;
}

/** Runs the CLI on `argv` (as process.argv: node, script, args...); resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const program = buildProgram(io);
    await program.parseAsync([...argv]);
    return ExitStatus.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitStatus.ok;
      return ExitStatus.usage;
    }
    const code = (error as { code?: unknown }).code;
    if ((error as { name?: unknown }).name === 'AbortError') {
      io.err.write('Interrupted; the work done so far is saved. Run the same command again to continue.\n');
      if (json) io.out.write(`${toJson({ error: { code: 'CHAINTRAIL_INTERRUPTED', message: 'interrupted' } })}\n`);
      return ExitStatus.interrupted;
    }
    if (error instanceof ChaintrailError || (typeof code === 'string' && code.startsWith('CHAINTRAIL_'))) {
      const message = (error as Error).message;
      io.err.write(`error: ${message}\n`);
      if (json) io.out.write(`${toJson({ error: { code, message } })}\n`);
      return exitStatusForCode(code as string);
    }
    io.err.write(`chaintrail failed unexpectedly; please report this with the command you ran:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (json) io.out.write(`${toJson({ error: { code: null, message: error instanceof Error ? error.message : String(error) } })}\n`);
    return ExitStatus.unexpected;
  }
}
