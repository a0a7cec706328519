import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Option, type Command } from '@commander-js/extra-typings';
import { importSeeds, RejectsFile, SeedListError, type SeedImportSummary, type SeedListFormat } from '@chaintrail/ingest';
import type { JsonValue } from '@chaintrail/store';
import type { CliApp, CommandContext } from '../cli-app.js';
import { openCase, withStore } from '../case-stores.js';
import { formatTable } from '../format.js';

export interface ImportFlags {
  readonly case: string;
  readonly format?: SeedListFormat;
  readonly column?: string;
  readonly rejects?: string;
}

export function registerImport(program: Command, app: CliApp): void {
  program
    .command('import')
    .description('import a seed list (plain text, CSV or JSON) into a case; every bad line is reported with its line number and reason')
    .argument('<file>', 'the seized address list')
    .requiredOption('--case <name>', 'the case to add the seeds to')
    .addOption(new Option('--format <format>', 'how to read the file (default: from its name and content)').choices(['txt', 'csv', 'json', 'jsonl'] as const))
    .option('--column <name>', 'CSV: the address column, by header name or number; JSON objects: the key')
    .option('--rejects <path>', 'where to write the rejected lines (CSV)')
    .addHelpText(
      'after',
      [
        '',
        'Reject reasons: empty, malformed, bad-checksum, wrong-network, duplicate.',
        '',
        'Examples:',
        '  $ chaintrail import seized-addresses.txt --case wtv',
        '  $ chaintrail import accounts.csv --case wtv --column btc_address',
        '  $ chaintrail import export.json --case wtv --rejects rejects.csv --json',
      ].join('\n'),
    )
    .action((file, options, command) => app.run(command, (ctx) => runImport(ctx, file, options).then(() => undefined), { interruptible: true }));
}

export function defaultRejectsPath(home: string, caseName: string, file: string): string {
  return join(home, 'rejects', caseName, `${basename(file)}.rejects.csv`);
}

export async function runImport(ctx: CommandContext, file: string, flags: ImportFlags): Promise<SeedImportSummary> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new SeedListError(basename(path), `${path} is not a file; check the path`);
  const { opened, record } = await openCase(ctx.config, flags.case);
  return withStore(opened, async ({ store }) => {
    const journal = opened.journal();
    const rejects = await RejectsFile.create(flags.rejects ?? defaultRejectsPath(ctx.config.home, record.name, path));
    let summary: SeedImportSummary;
    try {
      // The total is an estimate from the size; lines average about 36 bytes in address lists.
      ctx.progress.stage(`import ${basename(path)}`, Math.max(1, Math.round(statSync(path).size / 36)));
      summary = await importSeeds({
        store,
        caseId: record.id,
        path,
        list: { ...(flags.format ? { format: flags.format } : {}), ...(flags.column ? { column: flags.column } : {}), network: ctx.config.network },
        origins: { record: (seeds) => journal.recordSeedOrigins(record.id, seeds) },
        rejects,
        signal: ctx.signal,
        onProgress: (lines) => ctx.progress.update(lines),
      });
    } finally {
      ctx.progress.stop();
      await rejects.close();
    }
    const seedCount = (await store.getCase(record.id)).seedCount;
    await store.setCheckpoint({ jobId: `import:${record.id}:${summary.file}`, caseId: record.id, kind: 'import', state: { ...summary, at: new Date().toISOString() } as unknown as JsonValue });
    ctx.out.result({ case: record.name, ...summary, caseSeeds: seedCount }, () => [
      `Imported ${summary.file} into case ${record.name} as ${summary.layout.format}${summary.layout.column ? ` (column ${summary.layout.column})` : ''}:`,
      `  ${summary.entries.toLocaleString('en-US')} lines read, ${summary.accepted.toLocaleString('en-US')} seeds accepted, ${summary.rejectedTotal.toLocaleString('en-US')} rejected; the case has ${seedCount.toLocaleString('en-US')} seeds.`,
      ...(summary.rejectedTotal > 0
        ? [
            '',
            ...formatTable(
              ['reason', 'lines'],
              Object.entries(summary.rejected)
                .filter(([, n]) => n > 0)
                .map(([reason, n]) => [reason, n.toLocaleString('en-US')]),
            ),
            '',
            'First rejects:',
            ...summary.examples.map((e) => `  line ${e.line}: ${e.reason}: ${e.detail}`),
            '',
            `Every rejected line, with its reason: ${summary.rejectsFile}`,
          ]
        : []),
      '',
      `Next: chaintrail ingest --case ${record.name} --source blocks:DIR | esplora:URL`,
    ]);
    return summary;
  });
}
