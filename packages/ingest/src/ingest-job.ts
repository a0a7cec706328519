/**
 * The ingestion job (DESIGN.md, "The workflow it serves", step 2): every transaction of a
 * case's seeds, then N hops backward and M hops forward, written to the store, then a
 * clustering run.
 *
 * Phases, each in checkpointed batches:
 * 1. `seeds`: the seeds' histories (at most `maxTxsPerAddress` transactions each), in the
 *    store's seed order. Their transactions are hop 0 both ways; their parents are queued
 *    as backward hop 1.
 * 2. `back`, hop 1..N: fetch the queued parents, write them, queue their parents.
 * 3. `forward`, hop 0..M: find the spenders of the hop's transactions (hop-expansion.ts),
 *    queue them as the next hop, fetch and write them when their hop comes.
 * 4. `cluster`, then `done`.
 *
 * Resuming: after every batch the store's checkpoint `ingest:<case id>` records phase,
 * hop, cursor and counters; the queues live in the job journal (job-journal.ts), written
 * idempotently before the checkpoint moves. A crash or Ctrl-C anywhere loses at most the
 * batch in flight, which the next run does again; store writes are idempotent, and what a
 * batch computes never depends on whether the batch ran before (its own writes come first,
 * then the look-ups), so the final store is the same as after an uninterrupted run.
 *
 * Memory: one batch of seeds or transactions at a time; queues, seen-sets and the case's
 * transaction list are on disk.
 */
import { randomUUID } from 'node:crypto';
import type { ChainSource, SourceTx } from '@chaintrail/chain';
import type { GraphStore, JsonValue } from '@chaintrail/store';
import { z } from 'zod';
import { readAddressHistory } from './address-history.js';
import { ChainWriter } from './chain-writer.js';
import { eventLoopTurn } from './event-loop-turn.js';
import { journalClusterInputs, runClustering, type ClusterRunReport } from './cluster-run.js';
import { scopeOf, type IngestSettings } from './ingest-config.js';
import { JobInterruptedError } from './ingest-errors.js';
import { parentsToFollow, spendersOf } from './hop-expansion.js';
import type { HopDirection, JobJournal, JournalBatch, SeedStatus } from './job-journal.js';
import { mapConcurrent } from './map-concurrent.js';
import type { ChangeHeuristicName } from '@chaintrail/core';

export type IngestPhase = 'seeds' | 'back' | 'forward' | 'cluster' | 'done';

/** A journal batch being filled. */
interface BatchDraft {
  seeds: SeedStatus[];
  written: string[];
  visited: NonNullable<JournalBatch['visited']>[number][];
  frontier: NonNullable<JournalBatch['frontier']>[number][];
}

/** Samples kept per kind of cut, so a report can name addresses without growing with the input. */
const SAMPLES = 20;

const sampleSchema = z.object({ subject: z.string(), detail: z.string() });

const countsSchema = z.object({
  seedsDone: z.number(),
  seedTxs: z.number(),
  fetched: z.number(),
  missing: z.number(),
  unplaced: z.number(),
  backInputsBelowMinimum: z.number(),
  forwardOutputsBelowMinimum: z.number(),
  spentInStore: z.number(),
  unspent: z.number(),
  unsearchable: z.number(),
});

const cutsSchema = z.object({
  /** Seeds whose history had more than maxTxsPerAddress transactions. */
  truncatedSeeds: z.number(),
  /** Outputs whose spender lay past maxTxsPerAddress of their address's history. */
  spenderSearchCut: z.number(),
  /** Addresses whose history that limit cut during spender searches. */
  cutAddresses: z.number(),
  /** Parents not fetched because hop N was the last backward hop. */
  backEdgeParents: z.number(),
  /** Transactions of the last forward hop, whose spenders were not looked for. */
  forwardEdgeTxs: z.number(),
  samples: z.object({
    truncatedSeeds: z.array(sampleSchema),
    cutAddresses: z.array(sampleSchema),
    missing: z.array(sampleSchema),
  }),
});

const stateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  scope: z.object({ hopsBack: z.number(), hopsForward: z.number(), minValue: z.number(), maxTxsPerAddress: z.number(), network: z.string() }),
  source: z.string(),
  status: z.enum(['running', 'interrupted', 'failed', 'done']),
  phase: z.enum(['seeds', 'back', 'forward', 'cluster', 'done']),
  hop: z.number(),
  cursor: z.string().nullable(),
  /** Items done in the current phase and hop. */
  hopDone: z.number(),
  seedsTotal: z.number(),
  counts: countsSchema,
  cuts: cutsSchema,
  cluster: z.unknown().nullable(),
  error: z.object({ code: z.string().nullable(), message: z.string(), phase: z.string(), hop: z.number() }).nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** The job's state as checkpointed in the store (`ingest:<case id>`). */
export type IngestState = z.infer<typeof stateSchema>;
export type IngestCounts = z.infer<typeof countsSchema>;
export type IngestCuts = z.infer<typeof cutsSchema>;

export function ingestJobId(caseId: string): string {
  return `ingest:${caseId}`;
}

/** The checkpointed state, or null when there is none or it is not one this version reads. */
export function readIngestState(state: JsonValue | undefined | null): IngestState | null {
  const parsed = stateSchema.safeParse(state);
  return parsed.success ? parsed.data : null;
}

export interface IngestProgress {
  readonly phase: IngestPhase;
  readonly hop: number;
  readonly done: number;
  /** Items of this phase and hop; null when not known. */
  readonly total: number | null;
  /** Transactions fetched so far in the run. */
  readonly fetched: number;
}

export interface IngestJobOptions {
  readonly store: GraphStore;
  readonly source: ChainSource;
  readonly journal: JobJournal;
  readonly caseId: string;
  readonly settings: IngestSettings;
  /** Cluster when the transactions are in (default true). */
  readonly cluster?: boolean;
  readonly changeHeuristics?: readonly ChangeHeuristicName[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Told when a run starts over instead of resuming, and why. */
  readonly onRestart?: (reason: string) => void;
  /** Called after each checkpoint (tests use it to stop at chosen points). */
  readonly afterCheckpoint?: (state: IngestState) => void | Promise<void>;
}

export interface IngestResult {
  readonly state: IngestState;
  /** The run continued a checkpoint rather than starting anew. */
  readonly resumed: boolean;
  /** Nothing to do: the same run had finished. */
  readonly alreadyDone: boolean;
}

function emptyCounts(): IngestCounts {
  return { seedsDone: 0, seedTxs: 0, fetched: 0, missing: 0, unplaced: 0, backInputsBelowMinimum: 0, forwardOutputsBelowMinimum: 0, spentInStore: 0, unspent: 0, unsearchable: 0 };
}

function emptyCuts(): IngestCuts {
  return { truncatedSeeds: 0, spenderSearchCut: 0, cutAddresses: 0, backEdgeParents: 0, forwardEdgeTxs: 0, samples: { truncatedSeeds: [], cutAddresses: [], missing: [] } };
}

function sample(list: { subject: string; detail: string }[], subject: string, detail: string): void {
  if (list.length < SAMPLES && !list.some((s) => s.subject === subject)) list.push({ subject, detail });
}

function sameScope(a: IngestState['scope'], b: IngestState['scope']): boolean {
  return a.hopsBack === b.hopsBack && a.hopsForward === b.hopsForward && a.minValue === b.minValue && a.maxTxsPerAddress === b.maxTxsPerAddress && a.network === b.network;
}

/** Runs (or resumes) the ingestion of a case; see the module comment. */
export async function runIngest(options: IngestJobOptions): Promise<IngestResult> {
  const { store, journal, caseId } = options;
  const jobId = ingestJobId(caseId);
  const scope = scopeOf(options.settings);
  const record = await store.getCase(caseId);
  const seedsTotal = record.seedCount;
  const prior = readIngestState((await store.getCheckpoint(jobId))?.state);

  let resumed = false;
  let state: IngestState;
  const restartReason = (): string | null => {
    if (prior === null) return null;
    if (!sameScope(prior.scope, scope)) return 'the hop and limit options differ from the checkpointed run';
    if (journal.runId(caseId) !== prior.runId) return `the job journal ${journal.path} does not hold the checkpointed run`;
    if (prior.seedsTotal !== seedsTotal) return `the case has ${seedsTotal} seeds now, ${prior.seedsTotal} when the run began`;
    return null;
  };
  const reason = restartReason();
  if (prior !== null && reason === null && prior.phase === 'done') {
    return { state: prior, resumed: false, alreadyDone: true };
  }
  if (prior !== null && reason === null) {
    resumed = true;
    state = { ...prior, status: 'running', error: null, source: options.source.description };
  } else {
    if (prior !== null && reason !== null) options.onRestart?.(reason);
    const runId = randomUUID();
    journal.startRun(caseId, runId);
    state = {
      version: 1,
      runId,
      scope,
      source: options.source.description,
      status: 'running',
      phase: 'seeds',
      hop: 0,
      cursor: null,
      hopDone: 0,
      seedsTotal,
      counts: emptyCounts(),
      cuts: emptyCuts(),
      cluster: null,
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
  }

  const job = new IngestRun(options, state);
  try {
    await job.save();
    await job.run();
    return { state: job.state, resumed, alreadyDone: false };
  } catch (error) {
    const interrupted = options.signal?.aborted === true;
    job.state = {
      ...job.state,
      status: interrupted ? 'interrupted' : 'failed',
      error: interrupted ? null : { code: (error as { code?: string }).code ?? null, message: error instanceof Error ? error.message : String(error), phase: job.state.phase, hop: job.state.hop },
    };
    try {
      await job.save();
    } catch {
      // The store may be what failed; the last good checkpoint stands.
    }
    if (interrupted) throw new JobInterruptedError(`Ingestion of case ${record.name}`);
    throw error;
  }
}

class IngestRun {
  state: IngestState;
  readonly #o: IngestJobOptions;
  readonly #writer: ChainWriter;
  readonly #s: IngestSettings;
  readonly #totals = new Map<string, number>();

  constructor(options: IngestJobOptions, state: IngestState) {
    this.#o = options;
    this.state = state;
    this.#s = options.settings;
    this.#writer = new ChainWriter(options.store, options.source, options.settings.concurrency);
  }

  async save(): Promise<void> {
    this.state = { ...this.state };
    await this.#o.store.setCheckpoint({ jobId: ingestJobId(this.#o.caseId), caseId: this.#o.caseId, kind: 'ingest', state: this.state as unknown as JsonValue });
  }

  async run(): Promise<void> {
    for (;;) {
      await eventLoopTurn();
      this.#o.signal?.throwIfAborted();
      const { phase } = this.state;
      if (phase === 'done') return;
      if (phase === 'seeds') await this.#seedBatch();
      else if (phase === 'back') await this.#backBatch();
      else if (phase === 'forward') await this.#forwardBatch();
      else await this.#cluster();
      await this.save();
      await this.#o.afterCheckpoint?.(this.state);
    }
  }

  #progress(total: number | null): void {
    const { phase, hop, hopDone, counts } = this.state;
    this.#o.onProgress?.({ phase, hop, done: hopDone, total, fetched: counts.fetched });
  }

  #next(phase: IngestPhase, hop: number): void {
    this.state = { ...this.state, phase, hop, cursor: null, hopDone: 0 };
  }

  #afterSeeds(): void {
    if (this.#s.hopsBack > 0) this.#next('back', 1);
    else this.#next('forward', 0);
  }

  async #seedBatch(): Promise<void> {
    const { store, source, caseId, journal } = this.#o;
    const page = await store.caseSeeds(caseId, { limit: this.#s.seedBatch, cursor: this.state.cursor });
    const histories = await mapConcurrent(page.items, this.#s.concurrency, async (seed) => ({
      seed,
      ...(await readAddressHistory(source, seed.address, this.#s.maxTxsPerAddress)),
    }));
    const byTxid = new Map<string, SourceTx>();
    for (const h of histories) for (const stx of h.txs) byTxid.set(stx.tx.txid, stx);
    const txs = [...byTxid.values()];
    const written = await this.#writer.write(txs);
    const counts = { ...this.state.counts };
    const cuts = structuredClone(this.state.cuts);
    const batch: BatchDraft = { seeds: [], written: [], visited: [], frontier: [] };
    for (const h of histories) {
      batch.seeds.push({ address: h.seed.address, txs: h.txs.length, truncated: h.truncated });
      if (h.truncated) {
        cuts.truncatedSeeds++;
        sample(cuts.samples.truncatedSeeds, h.seed.address, `line ${h.seed.line}: read ${h.scanned} transactions, more exist`);
      }
    }
    for (const stx of txs) {
      const txid = stx.tx.txid;
      batch.written.push(txid);
      batch.visited.push({ direction: 'back', hop: 0, txid, state: 'written' }, { direction: 'forward', hop: 0, txid, state: 'written' });
      const step = parentsToFollow(stx, this.#s.minValue);
      counts.backInputsBelowMinimum += step.belowMinimum;
      if (this.#s.hopsBack > 0) for (const parent of step.parents) batch.frontier.push({ direction: 'back', hop: 1, txid: parent });
      else cuts.backEdgeParents += step.parents.length;
    }
    journal.commit(caseId, batch);
    counts.seedsDone += page.items.length;
    counts.seedTxs += txs.length;
    counts.fetched += txs.length;
    counts.unplaced += written.unplaced;
    this.state = { ...this.state, counts, cuts, cursor: page.nextCursor, hopDone: this.state.hopDone + page.items.length };
    this.#progress(this.state.seedsTotal);
    if (page.nextCursor === null) this.#afterSeeds();
  }

  /** Fetches a batch of queued transactions; returns the found ones, recording the missing. */
  async #fetchQueued(direction: HopDirection, txids: readonly string[], batch: BatchDraft, counts: IngestCounts, cuts: IngestCuts): Promise<SourceTx[]> {
    const fetched = await mapConcurrent(txids, this.#s.concurrency, (txid) => this.#o.source.tx(txid));
    const found: SourceTx[] = [];
    fetched.forEach((stx, i) => {
      const txid = txids[i] as string;
      if (stx === null) {
        counts.missing++;
        sample(cuts.samples.missing, txid, `${direction} hop ${this.state.hop}: not in the source`);
        batch.visited.push({ direction, hop: this.state.hop, txid, state: 'missing' });
      } else {
        found.push(stx);
        batch.written.push(txid);
        batch.visited.push({ direction, hop: this.state.hop, txid, state: 'written' });
      }
    });
    const written = await this.#writer.write(found);
    counts.fetched += found.length;
    counts.unplaced += written.unplaced;
    return found;
  }

  async #backBatch(): Promise<void> {
    const { caseId, journal } = this.#o;
    const hop = this.state.hop;
    const txids = journal.frontier(caseId, 'back', hop, this.state.cursor, this.#s.txBatch);
    if (txids.length === 0) {
      if (hop < this.#s.hopsBack) this.#next('back', hop + 1);
      else this.#next('forward', 0);
      return;
    }
    const counts = { ...this.state.counts };
    const cuts = structuredClone(this.state.cuts);
    const batch: BatchDraft = { seeds: [], written: [], visited: [], frontier: [] };
    const found = await this.#fetchQueued('back', txids, batch, counts, cuts);
    for (const stx of found) {
      const step = parentsToFollow(stx, this.#s.minValue);
      counts.backInputsBelowMinimum += step.belowMinimum;
      if (hop < this.#s.hopsBack) for (const parent of step.parents) batch.frontier.push({ direction: 'back', hop: hop + 1, txid: parent });
      else cuts.backEdgeParents += step.parents.length;
    }
    journal.commit(caseId, batch);
    this.state = { ...this.state, counts, cuts, cursor: txids[txids.length - 1] as string, hopDone: this.state.hopDone + txids.length };
    this.#progress(this.#hopTotal('back', hop));
  }

  async #forwardBatch(): Promise<void> {
    const { caseId, journal, store, source } = this.#o;
    const hop = this.state.hop;
    const txids = journal.frontier(caseId, 'forward', hop, this.state.cursor, this.#s.txBatch);
    if (txids.length === 0) {
      if (hop < this.#s.hopsForward) this.#next('forward', hop + 1);
      else this.#next(this.#o.cluster === false ? 'done' : 'cluster', 0);
      if (this.state.phase === 'done') this.#finish();
      return;
    }
    const counts = { ...this.state.counts };
    const cuts = structuredClone(this.state.cuts);
    const batch: BatchDraft = { seeds: [], written: [], visited: [], frontier: [] };
    // Hop 0 is the seeds' transactions, written in the seeds phase.
    const present = hop === 0 ? [...txids] : (await this.#fetchQueued('forward', txids, batch, counts, cuts)).map((stx) => stx.tx.txid);
    if (hop < this.#s.hopsForward) {
      const step = await spendersOf(present, { store, source, minValue: this.#s.minValue, maxTxsPerAddress: this.#s.maxTxsPerAddress, concurrency: this.#s.concurrency });
      for (const txid of step.spenders) batch.frontier.push({ direction: 'forward', hop: hop + 1, txid });
      counts.forwardOutputsBelowMinimum += step.belowMinimum;
      counts.spentInStore += step.spentInStore;
      counts.unspent += step.unspent;
      counts.unsearchable += step.unsearchable;
      cuts.spenderSearchCut += step.cutOutputs;
      cuts.cutAddresses += step.cutAddresses.length;
      for (const cut of step.cutAddresses) sample(cuts.samples.cutAddresses, cut.address, `forward hop ${hop}: spender search stopped after ${cut.scanned} transactions`);
    } else {
      cuts.forwardEdgeTxs += present.length;
    }
    journal.commit(caseId, batch);
    this.state = { ...this.state, counts, cuts, cursor: txids[txids.length - 1] as string, hopDone: this.state.hopDone + txids.length };
    this.#progress(this.#hopTotal('forward', hop));
  }

  /** A hop's size is fixed once the hop before it is done, so it is counted once. */
  #hopTotal(direction: HopDirection, hop: number): number {
    const key = `${direction}:${hop}`;
    let total = this.#totals.get(key);
    if (total === undefined) {
      const c = this.#o.journal.hopCounts(this.#o.caseId, direction, hop);
      total = c.pending + c.written + c.missing;
      this.#totals.set(key, total);
    }
    return total;
  }

  async #cluster(): Promise<void> {
    const { store, journal } = this.#o;
    const report: ClusterRunReport = await runClustering({
      store,
      ...journalClusterInputs(journal),
      total: journal.storeTxCount(),
      changeHeuristics: this.#o.changeHeuristics ?? [],
      network: this.#s.network,
      concurrency: this.#s.concurrency,
      ...(this.#o.signal ? { signal: this.#o.signal } : {}),
      onProgress: (p) => this.#o.onProgress?.({ phase: 'cluster', hop: 0, done: p.done, total: p.total, fetched: this.state.counts.fetched }),
    });
    this.state = { ...this.state, cluster: report };
    this.#next('done', 0);
    this.#finish();
  }

  #finish(): void {
    this.state = { ...this.state, status: 'done', finishedAt: new Date().toISOString() };
  }
}
