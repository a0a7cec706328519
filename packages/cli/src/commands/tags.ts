import { resolve } from 'node:path';
import { Option, type Command } from '@commander-js/extra-typings';
import { importTags, relabelEntitiesOf, TAG_FILE_KINDS, type TagFileKind, type TagImportSummary } from '@chaintrail/ingest';
import type { CliApp, CommandContext } from '../cli-app.js';
import { casesDir, knownStoreSpecs, openCase, openStoreAt, storeLabel, withStore, type OpenedStore } from '../case-stores.js';
import { UsageError } from '../cli-errors.js';
import { formatTable } from '../format.js';

export interface TagsImportFlags {
  readonly case?: string;
  readonly format?: TagFileKind;
}

export function registerTags(program: Command, app: CliApp): void {
  const tags = program.command('tags').description('attribution tags: GraphSense TagPacks, OFAC lists, CSV');
  tags
    .command('import')
    .description('import tag files into the store of a case (or of every case in the data directory); entities are relabelled')
    .argument('<files...>', 'TagPack .yaml, OFAC .txt/.json, or .csv (address,label,category,source)')
    .option('--case <name>', 'only the store of this case')
    .addOption(new Option('--format <kind>', 'read every file as this kind (default: from the file name)').choices(TAG_FILE_KINDS))
    .addHelpText(
      'after',
      [
        '',
        'Every tag keeps its source (file, TagPack title or list date), as courts ask for it.',
        '',
        'Examples:',
        '  $ chaintrail tags import packs/*.yaml --case wtv',
        '  $ chaintrail tags import sanctioned_addresses_XBT.txt',
        '  $ chaintrail tags import my-tags.csv --case wtv --json',
      ].join('\n'),
    )
    .action((files, options, command) => app.run(command, (ctx) => runTagsImport(ctx, files, options).then(() => undefined), { interruptible: true }));
}

export interface TagsImportResult {
  readonly store: string;
  readonly files: readonly TagImportSummary[];
  readonly entitiesLabelled: number;
}

export async function runTagsImport(ctx: CommandContext, files: readonly string[], flags: TagsImportFlags): Promise<TagsImportResult[]> {
  const stores: OpenedStore[] = [];
  if (flags.case !== undefined) stores.push((await openCase(ctx.config, flags.case)).opened);
  else for (const spec of knownStoreSpecs(ctx.config)) stores.push(await openStoreAt(spec, ctx.config.home));
  if (stores.length === 0) throw new UsageError(`there is no case to tag yet in ${casesDir(ctx.config.home)}; create one first (chaintrail case create NAME) or pass --store`);
  const results: TagsImportResult[] = [];
  for (const [i, opened] of stores.entries()) {
    const result = await withStore(opened, async ({ store }) => {
      const journal = opened.journal();
      const summaries: TagImportSummary[] = [];
      const tagged = new Set<string>();
      for (const file of files) {
        ctx.progress.stage(`tags ${file}`, null);
        summaries.push(
          await importTags({
            store,
            path: resolve(file),
            ...(flags.format ? { kind: flags.format } : {}),
            network: ctx.config.network,
            onTagged: (addresses) => {
              journal.addTagged(addresses);
              for (const a of addresses) tagged.add(a);
            },
            onProgress: (n) => ctx.progress.update(n),
          }),
        );
        ctx.progress.stop();
        ctx.signal.throwIfAborted();
      }
      const clustered = (await store.stats()).entities > 0;
      ctx.progress.stage('relabel entities', null);
      const entitiesLabelled = clustered ? await relabelEntitiesOf(store, [...tagged]) : 0;
      ctx.progress.stop();
      return { store: storeLabel(opened.spec), files: summaries, entitiesLabelled };
    }).catch(async (error: unknown) => {
      await Promise.all(stores.slice(i + 1).map((s) => s.close()));
      throw error;
    });
    results.push(result);
  }
  ctx.out.result({ stores: results }, () => results.flatMap(tagLines));
  return results;
}

function tagLines(result: TagsImportResult): string[] {
  const n = (v: number): string => v.toLocaleString('en-US');
  return [
    `Tags imported into ${result.store}:`,
    ...formatTable(
      ['file', 'kind', 'tags', 'addresses', 'other chains', 'errors', 'warnings'],
      result.files.map((f) => [f.file, f.kind, n(f.tags), n(f.addresses), n(f.otherChains), n(f.errors), n(f.warnings)]),
    ).map((l) => `  ${l}`),
    ...result.files.flatMap((f) => f.problems.slice(0, 5).map((p) => `  ${p.severity}: ${p.message}`)),
    `  Entities labelled from these tags: ${n(result.entitiesLabelled)}${result.entitiesLabelled === 0 ? ' (run `chaintrail cluster` after ingesting to lift tags to entities)' : ''}.`,
    '',
  ];
}
