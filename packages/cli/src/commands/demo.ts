import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import type { CliApp, CommandContext } from '../cli-app.js';
import { caseStoreSpec, findCase, openStoreAt, storeLabel, withStore } from '../case-stores.js';
import { firstLook, type AttributedCounterparty, type FirstLook } from '../first-look.js';
import { formatBtc, formatTable } from '../format.js';
import { nonNegativeInt, positiveInt } from '../option-parsers.js';
import { createOutput } from '../output.js';
import { clusterLines, runClusterCommand } from './cluster.js';
import { runImport } from './import.js';
import { runIngestCommand } from './ingest.js';
import { runScenario } from './scenario.js';
import { runTagsImport } from './tags.js';

export const DEMO_CASE = 'demo';

export function registerDemo(program: Command, app: CliApp): void {
  program
    .command('demo')
    .description('the whole job on a generated world: seized list, ingestion from block files, tags, clustering, a first look, then the viewer')
    .option('--no-serve', 'stop after the summary instead of starting the viewer (for scripts and tests)')
    .option('--users <n>', 'site users in the generated world', positiveInt('--users'))
    .option('--seed <n>', 'the world seed', nonNegativeInt('--seed'))
    .addHelpText(
      'after',
      [
        '',
        'Re-running it reuses the world and the case: everything is idempotent.',
        '',
        'Examples:',
        '  $ chaintrail demo',
        '  $ chaintrail demo --no-serve --users 300 --json',
      ].join('\n'),
    )
    .action((options, command) =>
      app.run(command, (ctx) => runDemo(ctx, program, { serve: options.serve, users: options.users ?? ctx.config.demo.users, seed: options.seed ?? ctx.config.demo.seed }), { interruptible: true }),
    );
}

interface DemoOptions {
  readonly serve: boolean;
  readonly users: number;
  readonly seed: number;
}

async function runDemo(ctx: CommandContext, program: Command, options: DemoOptions): Promise<void> {
  const { config, out } = ctx;
  // The steps print into a sink; the demo prints its own short account of each.
  const steps: CommandContext = { ...ctx, out: createOutput({ json: false, quiet: true }, { out: { write: () => true }, err: ctx.io.err }) };
  const world = join(config.home, 'demo', `world-seed${options.seed}-users${options.users}`);
  if (!existsSync(join(world, 'truth.json'))) {
    out.info(`1/6 Generating a world of ${options.users.toLocaleString('en-US')} users in ${world} ...`);
    // Generated beside its final place and renamed, so a world cut short is never reused.
    const partial = `${world}.partial`;
    rmSync(partial, { recursive: true, force: true });
    await runScenario(steps, partial, options.users, options.seed);
    renameSync(partial, world);
  } else {
    out.info(`1/6 Reusing the world in ${world}`);
  }

  const spec = caseStoreSpec(config, DEMO_CASE);
  await withStore(await openStoreAt(spec, config.home), async ({ store }) => {
    const exists = (await store.listCases()).some((c) => c.name === DEMO_CASE);
    if (!exists) await store.createCase({ name: DEMO_CASE, description: `chaintrail demo: a generated site with ${options.users} users (seed ${options.seed})` });
  });
  out.info(`2/6 Importing the seized address list into case "${DEMO_CASE}" (${storeLabel(spec)}) ...`);
  const imported = await runImport(steps, join(world, 'seized-addresses.txt'), { case: DEMO_CASE });
  out.info(`    ${imported.accepted.toLocaleString('en-US')} seeds, ${imported.rejectedTotal} lines rejected (${rejectSummary(imported.rejected)}); see ${imported.rejectsFile}`);

  out.info('3/6 Ingesting from the block files (seeds, then hops back and forward) ...');
  const ingested = await runIngestCommand(steps, { case: DEMO_CASE, source: `blocks:${join(world, 'blocks')}`, hopsBack: config.demo.hopsBack, hopsForward: config.demo.hopsForward, cluster: false });
  out.info(`    ${ingested.state.counts.fetched.toLocaleString('en-US')} transactions${ingested.alreadyDone ? ' (already ingested)' : ''}`);

  out.info('4/6 Importing the exchange tags ...');
  const tagged = await runTagsImport(steps, [join(world, 'tags.yaml')], { case: DEMO_CASE });
  out.info(`    ${tagged[0]?.files[0]?.tags ?? 0} tags`);

  out.info('5/6 Clustering addresses into entities ...');
  const clustered = await runClusterCommand(steps, DEMO_CASE, []);
  for (const line of clusterLines(clustered, DEMO_CASE)) out.info(`    ${line}`);

  out.info('6/6 A first look ...');
  const look = await withStore(await openStoreAt(spec, config.home), async ({ store }) => firstLook(store, (await findCase(store, DEMO_CASE, storeLabel(spec))).id));

  out.result({ world, case: DEMO_CASE, store: storeLabel(spec), import: imported, ingest: ingested.state, cluster: clustered, firstLook: look }, () => firstLookLines(look));

  if (!options.serve) return;
  const serve = program.commands.find((c) => c.name() === 'serve');
  if (serve === undefined) {
    out.info('\nThe viewer is not part of this build yet. Explore the case with `chaintrail case show demo` and `chaintrail explain A B --case demo`.');
    return;
  }
  out.info('\nStarting the viewer (Ctrl-C to stop) ...');
  await serve.parseAsync(['--case', DEMO_CASE], { from: 'user' });
}

function rejectSummary(rejected: Readonly<Record<string, number>>): string {
  return (
    Object.entries(rejected)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${n} ${reason}`)
      .join(', ') || 'none'
  );
}

function counterpartyRows(list: readonly AttributedCounterparty[]): string[][] {
  return list.slice(0, 8).map((c) => [c.label, c.category ?? '-', String(c.via), String(c.hops), formatBtc(c.value), c.entityIds.length === 1 ? (c.entityIds[0] as string) : `${c.entityIds[0] ?? ''} +${c.entityIds.length - 1}`]);
}

export function firstLookLines(look: FirstLook): string[] {
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = ['', 'What to look at first', '====================='];
  lines.push(`${n(look.seeds)} seized addresses${look.sampled ? ' (sampled)' : ''}: ${n(look.seedsWithTransactions)} were paid, ${formatBtc(look.receivedBySeeds)} BTC in all.`);
  if (look.site) {
    lines.push(
      `The site's wallet: entity ${look.site.entityId} holds ${n(look.site.seedsInIt)} of the seeds and ${n(look.site.size)} addresses in all`,
      `  (common-input ownership through its sweeps; \`chaintrail explain SEED_A SEED_B --case demo\` shows the transactions).`,
    );
  }
  lines.push('', `Where the payers' bitcoin came from (${n(look.payers)} paying entities; nearest tagged service): the subpoena list`);
  lines.push(...(look.payerSources.length > 0 ? formatTable(['service', 'category', 'payers', 'hops', 'first hop BTC', 'entities'], counterpartyRows(look.payerSources)).map((l) => `  ${l}`) : ['  no tagged service within reach']));
  lines.push('', "Where the site's money went (nearest tagged service downstream): where to look for what can be seized");
  lines.push(...(look.destinations.length > 0 ? formatTable(['service', 'category', 'paths', 'hops', 'first hop BTC', 'entities'], counterpartyRows(look.destinations)).map((l) => `  ${l}`) : ['  no tagged service within reach']));
  lines.push('', 'First hop BTC: payments between the site and the first entity on the paths, as stored; not a flow model (reports state poison, haircut or FIFO amounts).');
  lines.push('Next: chaintrail case show demo   chaintrail status --case demo');
  return lines;
}
