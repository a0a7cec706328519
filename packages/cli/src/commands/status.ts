import type { Command } from '@commander-js/extra-typings';
import { ingestJobId, readIngestState, type IngestState, type JobJournal } from '@chaintrail/ingest';
import type { CaseRecord, JobCheckpoint } from '@chaintrail/store';
import type { CliApp, CommandContext } from '../cli-app.js';
import { openCase, storeLabel, withStore } from '../case-stores.js';

export function registerStatus(program: Command, app: CliApp): void {
  program
    .command('status')
    .description('what is done, what is pending and what failed for a case: imports, ingestion (per phase and hop), clustering')
    .requiredOption('--case <name>', 'the case')
    .addHelpText('after', '\nExamples:\n  $ chaintrail status --case wtv\n  $ chaintrail status --case wtv --json | jq .ingest.pending')
    .action((options, command) => app.run(command, (ctx) => status(ctx, options.case)));
}

interface HopStatus {
  readonly direction: 'back' | 'forward';
  readonly hop: number;
  readonly transactions: number;
  readonly written: number;
  readonly missing: number;
  readonly state: 'done' | 'running' | 'pending';
}

export interface IngestStatus {
  readonly status: IngestState['status'] | 'not started';
  readonly phase: IngestState['phase'] | null;
  readonly hop: number | null;
  readonly pending: { readonly seeds: number; readonly phases: readonly string[] };
  readonly hops: readonly HopStatus[];
  readonly state: IngestState | null;
}

/** Where the ingestion of a case stands, from its checkpoint and journal. */
export function ingestStatus(record: CaseRecord, checkpoint: JobCheckpoint | null, journal: JobJournal): IngestStatus {
  const state = readIngestState(checkpoint?.state);
  if (state === null) return { status: 'not started', phase: null, hop: null, pending: { seeds: record.seedCount, phases: ['seeds', 'back', 'forward', 'cluster'] }, hops: [], state: null };
  const order = (direction: 'back' | 'forward', hop: number): number => (direction === 'back' ? hop : 100 + hop);
  const now = state.phase === 'back' || state.phase === 'forward' ? order(state.phase, state.hop) : state.phase === 'seeds' ? -1 : 1000;
  const hops: HopStatus[] = [];
  for (let hop = 1; hop <= state.scope.hopsBack; hop++) hops.push(hopStatus(journal, record.id, 'back', hop, now, order));
  for (let hop = 0; hop <= state.scope.hopsForward; hop++) hops.push(hopStatus(journal, record.id, 'forward', hop, now, order));
  const phases = ['seeds', 'back', 'forward', 'cluster', 'done'];
  const pendingPhases = state.phase === 'done' ? [] : phases.slice(phases.indexOf(state.phase), -1);
  return {
    status: state.status,
    phase: state.phase,
    hop: state.phase === 'back' || state.phase === 'forward' ? state.hop : null,
    pending: { seeds: Math.max(0, record.seedCount - state.counts.seedsDone), phases: pendingPhases },
    hops,
    state,
  };
}

function hopStatus(journal: JobJournal, caseId: string, direction: 'back' | 'forward', hop: number, now: number, order: (d: 'back' | 'forward', h: number) => number): HopStatus {
  const c = journal.hopCounts(caseId, direction, hop);
  const at = order(direction, hop);
  return { direction, hop, transactions: c.pending + c.written + c.missing, written: c.written, missing: c.missing, state: at < now ? 'done' : at === now ? 'running' : 'pending' };
}

async function status(ctx: CommandContext, caseName: string): Promise<void> {
  const { opened, record } = await openCase(ctx.config, caseName);
  await withStore(opened, async ({ store }) => {
    const checkpoints = await store.listCheckpoints(record.id);
    const ingest = ingestStatus(record, checkpoints.find((c) => c.jobId === ingestJobId(record.id)) ?? null, opened.journal());
    const imports = checkpoints.filter((c) => c.kind === 'import').map((c) => ({ jobId: c.jobId, updatedAt: c.updatedAt, ...(c.state as object) }));
    const cluster = checkpoints.find((c) => c.kind === 'cluster') ?? null;
    const stats = await store.stats();
    ctx.out.result({ case: record, store: storeLabel(opened.spec), stats, imports, ingest, cluster: cluster?.state ?? null }, () => statusLines(record, storeLabel(opened.spec), imports, ingest, cluster));
  });
}

function statusLines(record: CaseRecord, where: string, imports: ReadonlyArray<Record<string, unknown>>, ingest: IngestStatus, cluster: JobCheckpoint | null): string[] {
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = [`Case ${record.name}: ${n(record.seedCount)} seeds, store ${where}`, ''];
  lines.push(imports.length === 0 ? 'Imports: none yet (chaintrail import FILE --case NAME)' : 'Imports:');
  for (const i of imports) lines.push(`  ${String(i['file'])}: ${n(Number(i['accepted']))} accepted, ${n(Number(i['rejectedTotal']))} rejected (${String(i['rejectsFile'])})`);
  lines.push('');
  const s = ingest.state;
  if (s === null) lines.push('Ingestion: not started (chaintrail ingest --case NAME --source SPEC)');
  else {
    lines.push(`Ingestion: ${ingest.status}, phase ${ingest.phase}${ingest.hop !== null ? ` hop ${ingest.hop}` : ''}, from ${s.source}, started ${s.startedAt}${s.finishedAt ? `, finished ${s.finishedAt}` : ''}`);
    lines.push(`  done: ${n(s.counts.seedsDone)} seeds, ${n(s.counts.fetched)} transactions fetched, ${n(s.counts.missing)} not found in the source`);
    lines.push(`  pending: ${n(ingest.pending.seeds)} seeds; phases ${ingest.pending.phases.join(', ') || 'none'}`);
    for (const h of ingest.hops) lines.push(`  ${h.direction} hop ${h.hop}: ${h.state}, ${n(h.transactions)} transactions queued, ${n(h.written)} written, ${n(h.missing)} missing`);
    if (s.error) lines.push('', `Error (${s.error.code ?? 'no code'}) in phase ${s.error.phase} hop ${s.error.hop}: ${s.error.message}`, 'Run the same ingest command again to retry from the last checkpoint.');
    if (ingest.status === 'interrupted') lines.push('', 'Interrupted: run the same ingest command again to continue.');
  }
  lines.push('', cluster ? `Clustering: done at ${cluster.updatedAt}` : s?.cluster ? 'Clustering: done by the ingestion' : 'Clustering: not run yet');
  return lines;
}
