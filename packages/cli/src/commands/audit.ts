/**
 * `chaintrail audit verify`: checks the API server's hash-chained audit log (every line
 * chained to the one before, the end matching the head file) and, given the head written
 * down earlier, that the log was not rewritten since.
 */
import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import { apiDataPaths, verifyAuditLog, type AuditHead, type AuditVerification } from '@chaintrail/api';
import { ChaintrailError } from '@chaintrail/core';
import type { CliApp } from '../cli-app.js';

/** The audit log failed verification: it was edited, cut or damaged. */
export class AuditLogTamperedError extends ChaintrailError {
  constructor(path: string, problems: number, first: string) {
    super(
      'CHAINTRAIL_BAD_AUDIT_LOG',
      `The audit log ${path} failed verification with ${problems} problem${problems === 1 ? '' : 's'}; the first: ${first}. Keep the log and its head file unchanged as evidence.`,
    );
  }
}

export function registerAuditCommand(program: Command, app: CliApp): void {
  program
    .command('audit')
    .description("the API server's audit log of who looked at what")
    .command('verify')
    .description('check that no line of the audit log was edited, inserted, reordered or removed')
    .option('--log <path>', 'the audit log (default: the one in the data directory)')
    .option('--expect-head <seq:hash>', 'a head printed by an earlier verify: the log must still contain it unchanged', parseHead)
    .addHelpText(
      'after',
      [
        '',
        'Write the printed head (seq:hash) somewhere the server cannot reach; passing it back with',
        '--expect-head also catches a rewrite of the whole log and its head file.',
        '',
        'Examples:',
        '  $ chaintrail audit verify',
        '  $ chaintrail audit verify --expect-head 1520:4be1c0...',
      ].join('\n'),
    )
    .action((options, command) =>
      app.run(command, async (ctx) => {
        const path = options.log ?? apiDataPaths(ctx.config.home).audit;
        const result = await verifyAuditLog(path, options.expectHead ? { expectedHead: options.expectHead } : {});
        if (!result.ok) {
          if (!ctx.out.json) ctx.out.result(result, () => reportLines(result));
          const first = result.problems[0]!;
          throw new AuditLogTamperedError(path, result.problems.length, `${first.line > 0 ? `line ${first.line}: ` : ''}${first.problem}`);
        }
        ctx.out.result(result, () => reportLines(result));
      }),
    );
}

function parseHead(value: string): AuditHead {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError('--expect-head takes SEQ:HASH as printed by `chaintrail audit verify`.');
  return { seq: Number(match[1]), hash: match[2]! };
}

function reportLines(result: AuditVerification): string[] {
  const lines = [
    `Audit log ${result.path}: ${result.entries.toLocaleString('en-US')} entries, ${result.ok ? 'intact' : `${result.problems.length} problem(s)`}.`,
    `Head: ${result.head.seq}:${result.head.hash}`,
  ];
  if (result.ok) lines.push('Write the head down outside this machine; `--expect-head` checks against it later.');
  for (const p of result.problems) lines.push(`  ${p.line > 0 ? `line ${p.line}` : 'log'}: ${p.problem}`);
  return lines;
}
