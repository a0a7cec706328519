/**
 * The scripted investigation at scale: `chaintrail import`, `ingest` and `cluster` of a
 * 100,000-user scenario world from its block files into the default store (one SQLite file
 * per case), each step a fresh `chaintrail` process whose peak resident memory is read from
 * /proc while it runs. Prints seeds per second, transactions per second, peak RSS, and the
 * extrapolation to a 1,000,000-seed case against the target (under 30 minutes on this
 * 2-core machine, under 4 GB).
 *
 * Baselines measured in the same run: a world a tenth the size (per-seed time and memory of
 * the two show whether cost is linear and memory bounded, which the extrapolation rests
 * on), the start-up of a `chaintrail` process that does nothing (subtracted from every
 * step), and parsing the same block files with core's parser (how far ingestion is from
 * the cost of merely reading the chain).
 *
 * Memory: V8 collects lazily, so an uncapped process's RSS says little about what it
 * needs. Each step runs with --trace-gc, and the largest heap left after a collection is
 * what it holds. Import and ingest are designed to need a fixed amount whatever the input,
 * so they also run under a 256 MB heap cap at both sizes (were they not bounded, the large
 * world would fail with an out-of-memory error, not just score worse). Clustering keeps
 * the union-find of every address in memory by design: its live heap's growth between the
 * sizes is extrapolated, on top of the process's memory outside the heap.
 *
 * CPU: each step's user + system time is read from /proc while it runs (the last reading
 * before it exits), and the load average when it ends is printed beside it: on a machine
 * shared with other work, wall time overstates the cost, CPU time does not.
 *
 * CHAINTRAIL_BENCH_INGEST_USERS overrides the large world's size.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listBlockFiles, nodeHasher, readBlockRecords } from '@chaintrail/chain';
import { parseBlock } from '@chaintrail/core';
import type { BenchReporter } from './reporter.js';

const bin = fileURLToPath(new URL('../packages/cli/src/bin.ts', import.meta.url));
const MILLION = 1_000_000;

interface Step {
  readonly seconds: number;
  readonly peakRssMb: number;
  /** Largest heap left after a garbage collection (from --trace-gc): what the step really holds. */
  readonly peakLiveHeapMb: number;
  /** User + system CPU seconds of the process. */
  readonly cpuSeconds: number;
  /** One-minute load average when the step ended. */
  readonly load: number;
  readonly output: Record<string, unknown>;
}

/** `--trace-gc` lines look like `[pid:0x...]  4521 ms: Mark-Compact 150.3 (165.2) -> 102.4 (160.1) MB, ...`. */
const GC_LINE = /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: (Mark-Compact|Scavenge)[^\n]*?-> ([\d.]+) \(/;

/** Peak resident set of a running process (VmHWM), or 0 once it is gone. */
function peakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) / 1024;
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** User + system CPU seconds a running process has used so far, or 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    // Fields after the parenthesised command name: state is 3rd, utime 14th, stime 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return 0;
  }
}

/** Old-space cap of the steps whose memory must not grow with the input. */
const BOUNDED_HEAP_MB = 256;

async function chaintrail(home: string, args: readonly string[], heapMb?: number): Promise<Step> {
  const started = performance.now();
  const node = ['--trace-gc', ...(heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`]), '--conditions=@chaintrail/source', '--import', 'tsx', bin];
  const child = spawn(process.execPath, [...node, '--json', '--quiet', ...args], {
    env: { ...process.env, CHAINTRAIL_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  let peak = 0;
  let cpu = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const poll = setInterval(() => {
    peak = Math.max(peak, peakRssMb(child.pid ?? 0));
    cpu = Math.max(cpu, cpuSeconds(child.pid ?? 0));
  }, 100);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearInterval(poll);
  if (code !== 0) throw new Error(`chaintrail ${args.join(' ')} exited with ${String(code)}`);
  // --trace-gc writes to stdout too: its lines are set apart from the JSON document.
  // Only a full collection (Mark-Compact) leaves just what is live; a scavenge leaves old garbage.
  const after = { full: 0, any: 0 };
  const json: string[] = [];
  for (const line of stdout.split('\n')) {
    const gc = GC_LINE.exec(line);
    if (gc) {
      const mb = Number(gc[2]);
      after.any = Math.max(after.any, mb);
      if (gc[1] === 'Mark-Compact') after.full = Math.max(after.full, mb);
    } else if (!/^\[\d+:0x/.test(line)) json.push(line);
  }
  const live = after.full > 0 ? after.full : after.any;
  return {
    seconds: (performance.now() - started) / 1000,
    peakRssMb: peak,
    peakLiveHeapMb: live,
    cpuSeconds: cpu,
    load: loadavg()[0] ?? 0,
    output: JSON.parse(json.join('\n')) as Record<string, unknown>,
  };
}

interface CaseRun {
  readonly users: number;
  readonly seeds: number;
  readonly transactions: number;
  readonly import: Step;
  readonly ingest: Step;
  readonly cluster: Step;
  readonly parseTxPerSecond: number;
  /** A process that starts, lists no case and exits. */
  readonly startup: Step;
}

/** core's parser over the world's block files: the floor any ingestion from them stands on. */
function parseRate(blocksDir: string): number {
  const started = performance.now();
  let txs = 0;
  const { files, xorKey } = listBlockFiles(blocksDir);
  for (const file of files) {
    for (const record of readBlockRecords(file, xorKey)) if (record.kind === 'block') txs += parseBlock(record.bytes, { hasher: nodeHasher }).transactions.length;
  }
  return txs / ((performance.now() - started) / 1000);
}

async function runCase(users: number): Promise<CaseRun> {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-bench-ingest-'));
  try {
    const home = join(dir, 'home');
    const world = join(dir, 'world');
    await chaintrail(home, ['scenario', '--users', String(users), '--seed', '1', '--out', world]);
    const startup = await chaintrail(home, ['case', 'list']);
    await chaintrail(home, ['case', 'create', 'bench']);
    const imported = await chaintrail(home, ['import', join(world, 'seized-addresses.txt'), '--case', 'bench'], BOUNDED_HEAP_MB);
    const ingested = await chaintrail(home, ['ingest', '--case', 'bench', '--source', `blocks:${join(world, 'blocks')}`, '--no-cluster'], BOUNDED_HEAP_MB);
    const clustered = await chaintrail(home, ['cluster', '--case', 'bench']);
    const counts = ingested.output['counts'] as { seedsDone: number };
    return {
      users,
      seeds: counts.seedsDone,
      transactions: clustered.output['transactions'] as number,
      import: imported,
      ingest: ingested,
      cluster: clustered,
      parseTxPerSecond: parseRate(join(world, 'blocks')),
      startup,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(report: BenchReporter): Promise<void> {
  const large = Number(process.env['CHAINTRAIL_BENCH_INGEST_USERS'] ?? 100_000);
  const small = Math.max(1000, Math.round(large / 10));
  report.section(`ingest: import + ingest + cluster from block files (${small.toLocaleString('en-US')} and ${large.toLocaleString('en-US')} users)`);
  const runs = [await runCase(small), await runCase(large)];
  // Work time of a step: its wall time less a process's start-up, measured in the same run.
  const work = (r: CaseRun, step: Step): number => Math.max(0.001, step.seconds - r.startup.seconds);
  for (const r of runs) {
    const label = `${r.users.toLocaleString('en-US')} users`;
    report.metric(`${label}: start-up of one chaintrail process`, r.startup.seconds, 's', `RSS ${Math.round(r.startup.peakRssMb)} MB`);
    report.metric(`${label}: import`, r.seeds / work(r, r.import), 'seeds/s', `peak RSS ${Math.round(r.import.peakRssMb)} MB under a ${BOUNDED_HEAP_MB} MB heap cap`);
    report.metric(`${label}: ingest`, r.seeds / work(r, r.ingest), 'seeds/s', `${Math.round(r.transactions / work(r, r.ingest))} tx/s, peak RSS ${Math.round(r.ingest.peakRssMb)} MB under a ${BOUNDED_HEAP_MB} MB heap cap`);
    report.metric(`${label}: cluster`, r.transactions / work(r, r.cluster), 'tx/s', `peak RSS ${Math.round(r.cluster.peakRssMb)} MB, live heap ${Math.round(r.cluster.peakLiveHeapMb)} MB`);
    report.metric(`${label}: end to end`, work(r, r.import) + work(r, r.ingest) + work(r, r.cluster), 's', `${r.transactions.toLocaleString('en-US')} transactions in the case`);
    for (const [name, step] of [['import', r.import], ['ingest', r.ingest], ['cluster', r.cluster]] as const) {
      report.metric(`${label}: ${name} CPU time`, step.cpuSeconds, 's', `wall ${step.seconds.toFixed(1)} s, load average ${step.load.toFixed(2)} at the end`);
    }
    report.ratio(`${label}: ingest tx/s vs parsing the same block files`, r.transactions / work(r, r.ingest) / r.parseTxPerSecond);
  }
  const [base, big] = runs as [CaseRun, CaseRun];
  const perSeed = (r: CaseRun): number => (work(r, r.import) + work(r, r.ingest) + work(r, r.cluster)) / r.seeds;
  report.ratio('time per seed, large world vs small world (1 = linear)', perSeed(big) / perSeed(base), { target: '<= 1.2' });
  // Under the heap cap, RSS is bounded by construction (cap + SQLite page caches + code); it
  // rises with the world only as far as the caches fill up, so no ratio is claimed for it.
  for (const r of runs) report.metric(`${r.users.toLocaleString('en-US')} users: ingest live heap after full collections`, r.ingest.peakLiveHeapMb, 'MB', `heap cap ${BOUNDED_HEAP_MB} MB held`);
  const minutes = (perSeed(big) * MILLION) / 60;
  // Clustering: its live heap continued along the line through both sizes, plus what the
  // process holds outside the heap (SQLite caches, code), as measured on the large world.
  const slope = (big.cluster.peakLiveHeapMb - base.cluster.peakLiveHeapMb) / (big.seeds - base.seeds);
  const outsideHeap = Math.max(0, big.cluster.peakRssMb - big.cluster.peakLiveHeapMb);
  const clusterMemory = big.cluster.peakLiveHeapMb + Math.max(0, slope) * (MILLION - big.seeds) + outsideHeap;
  const memory = Math.max(big.import.peakRssMb, big.ingest.peakRssMb, clusterMemory);
  report.metric('1,000,000 seeds, extrapolated: end to end', minutes, 'min', 'target < 30 min on 2 cores');
  // The same line through CPU time (less each process's start-up CPU): what an unloaded machine would take.
  const cpuPerSeed = (r: CaseRun): number => [r.import, r.ingest, r.cluster].reduce((sum, step) => sum + Math.max(0, step.cpuSeconds - r.startup.cpuSeconds), 0) / r.seeds;
  report.metric('1,000,000 seeds, extrapolated from CPU time: end to end', (cpuPerSeed(big) * MILLION) / 60, 'min', 'target < 30 min on 2 cores');
  report.metric('1,000,000 seeds, extrapolated: peak RSS', memory, 'MB', 'target < 4096 MB');
  report.note('Time scales linearly from the large world. Import and ingest memory is what they used under the heap cap (plus fixed SQLite page caches: store 64 MB, block index 64 MB, journal 32 MB); clustering memory is its live heap continued through both worlds plus its memory outside the heap (an over-estimate: lazy collection inflates RSS).');
}
