import type { Command } from '@commander-js/extra-typings';
import type { GraphStore, SeedRecord, TagRecord } from '@chaintrail/store';
import type { CliApp, CommandContext } from '../cli-app.js';
import { caseStoreSpec, checkCaseName, knownStoreSpecs, openCase, openStoreAt, storeLabel, withStore } from '../case-stores.js';
import { CaseExistsError } from '../cli-errors.js';
import { formatBtc, formatTable } from '../format.js';
import { positiveInt } from '../option-parsers.js';
import { seedIngestionStatus, type SeedIngestion } from '../seed-status.js';

export function registerCase(program: Command, app: CliApp): void {
  const cases = program
    .command('case')
    .description('create, list and inspect cases (a case is a seized address list and everything ingested for it)')
    .addHelpText('after', '\nExamples:\n  $ chaintrail case create wtv\n  $ chaintrail case list\n  $ chaintrail case show wtv --limit 20');

  cases
    .command('create')
    .description('create a case')
    .argument('<name>', 'case name: letters, digits, dots, dashes, underscores')
    .option('--description <text>', 'what the case is about')
    .addHelpText('after', '\nExamples:\n  $ chaintrail case create wtv --description "seized site server, 2018"\n  $ chaintrail --store neo4j:bolt://127.0.0.1:7687 case create wtv')
    .action((name, options, command) => app.run(command, (ctx) => createCase(ctx, name, options.description ?? null)));

  cases
    .command('list')
    .description('list the cases of the data directory (or of --store)')
    .addHelpText('after', '\nExamples:\n  $ chaintrail case list\n  $ chaintrail case list --json')
    .action((_options, command) => app.run(command, (ctx) => listCases(ctx)));

  cases
    .command('show')
    .description("a case's seeds with their ingestion status, totals received and sent, entity, and the tags of each seed and entity")
    .argument('<name>', 'case name')
    .option('--limit <n>', 'seeds to show', positiveInt('--limit'), 50)
    .option('--all', 'show every seed (streams; use with --json for scripts)')
    .addHelpText('after', '\nExamples:\n  $ chaintrail case show wtv\n  $ chaintrail case show wtv --all --json > seeds.json')
    .action((name, options, command) => app.run(command, (ctx) => showCase(ctx, name, options.all === true ? null : options.limit)));
}

async function createCase(ctx: CommandContext, name: string, description: string | null): Promise<void> {
  checkCaseName(name);
  const spec = caseStoreSpec(ctx.config, name);
  await withStore(await openStoreAt(spec, ctx.config.home), async ({ store }) => {
    if ((await store.listCases()).some((c) => c.name === name)) throw new CaseExistsError(name, storeLabel(spec));
    const record = await store.createCase({ name, description });
    ctx.out.result({ case: record, store: storeLabel(spec) }, () => [`Created case ${name} (${record.id}) in ${storeLabel(spec)}.`, `Next: chaintrail import SEIZED_LIST --case ${name}`]);
  });
}

async function listCases(ctx: CommandContext): Promise<void> {
  const rows: { name: string; id: string; seeds: number; created: string; store: string }[] = [];
  for (const spec of knownStoreSpecs(ctx.config)) {
    await withStore(await openStoreAt(spec, ctx.config.home), async ({ store }) => {
      for (const c of await store.listCases()) rows.push({ name: c.name, id: c.id, seeds: c.seedCount, created: c.createdAt, store: storeLabel(spec) });
    });
  }
  ctx.out.result({ cases: rows }, () =>
    rows.length === 0
      ? ['No cases yet. Create one with `chaintrail case create NAME`, or run `chaintrail demo`.']
      : formatTable(
          ['case', 'seeds', 'created', 'store'],
          rows.map((r) => [r.name, r.seeds.toLocaleString('en-US'), r.created.slice(0, 19).replace('T', ' '), r.store]),
        ),
  );
}

interface SeedView {
  readonly address: string;
  readonly line: number;
  readonly file: string | null;
  readonly ingestion: SeedIngestion;
  readonly txCount: number;
  readonly received: bigint;
  readonly sent: bigint;
  readonly entity: { id: string; size: number; label: string | null; category: string | null } | null;
  readonly tags: readonly TagRecord[];
  readonly entityTags: readonly string[];
}

async function seedView(store: GraphStore, seed: SeedRecord, ingestion: SeedIngestion, entityTagCache: Map<string, string[]>): Promise<SeedView> {
  let summary = null;
  try {
    summary = await store.addressSummary(seed.address);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'CHAINTRAIL_NOT_FOUND') throw error;
  }
  const tags = await store.tagsByAddress(seed.address);
  let entity: SeedView['entity'] = null;
  let entityTags: string[] = [];
  if (summary?.entityId) {
    const record = await store.getEntity(summary.entityId);
    entity = { id: record.id, size: record.size, label: record.label, category: record.category };
    let labels = entityTagCache.get(record.id);
    if (labels === undefined) {
      labels = [...new Set((await store.tagsByEntity(record.id)).map((t) => `${t.label} (${t.source})`))].sort();
      entityTagCache.set(record.id, labels);
    }
    entityTags = labels;
  }
  return {
    address: seed.address,
    line: seed.line,
    file: seed.file ?? null,
    ingestion,
    txCount: summary?.txCount ?? 0,
    received: summary?.received ?? 0n,
    sent: summary?.sent ?? 0n,
    entity,
    tags,
    entityTags,
  };
}

async function showCase(ctx: CommandContext, name: string, limit: number | null): Promise<void> {
  const { opened, record } = await openCase(ctx.config, name);
  await withStore(opened, async ({ store }) => {
    const journal = opened.journal();
    const seeds: SeedView[] = [];
    const entityTags = new Map<string, string[]>();
    let cursor: string | null = null;
    let truncated = false;
    do {
      const want = limit === null ? 1000 : Math.min(1000, limit - seeds.length);
      const page = await store.caseSeeds(record.id, { limit: want, cursor });
      for (const seed of page.items) seeds.push(await seedView(store, seed, seedIngestionStatus(journal, record.id, seed.address), entityTags));
      cursor = page.nextCursor;
      if (limit !== null && seeds.length >= limit) {
        truncated = cursor !== null;
        break;
      }
    } while (cursor !== null);
    const totals = seeds.reduce((t, s) => ({ received: t.received + s.received, sent: t.sent + s.sent }), { received: 0n, sent: 0n });
    ctx.out.result({ case: record, store: storeLabel(opened.spec), seeds, shown: seeds.length, more: truncated, totalsOfShown: totals }, () => [
      `Case ${record.name} (${record.id}), ${record.seedCount.toLocaleString('en-US')} seeds, store ${storeLabel(opened.spec)}`,
      ...(record.description ? [record.description] : []),
      '',
      ...formatTable(
        ['line', 'seed', 'ingestion', 'txs', 'received BTC', 'sent BTC', 'entity', 'tags'],
        seeds.map((s) => [
          String(s.line),
          s.address,
          s.ingestion,
          String(s.txCount),
          formatBtc(s.received),
          formatBtc(s.sent),
          s.entity ? `${s.entity.id} (${s.entity.size})${s.entity.label ? ` ${s.entity.label}` : ''}` : '-',
          [...s.tags.map((t) => `${t.label} [${t.source}]`), ...s.entityTags.filter((t) => !s.tags.some((own) => t.startsWith(own.label))).map((t) => `entity: ${t}`)].join('; ') || '-',
        ]),
      ),
      '',
      `Shown: ${seeds.length.toLocaleString('en-US')}${truncated ? ` (more: --limit N or --all)` : ''}; received ${formatBtc(totals.received)} BTC, sent ${formatBtc(totals.sent)} BTC.`,
    ]);
  });
}

