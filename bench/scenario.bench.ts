/**
 * Scenario world generation: time and peak memory to write a 100,000-user world, and the
 * extrapolation to the 1,000,000-user target (under 10 minutes, under 2 GB). Each world is
 * written by a fresh process, so its peak resident memory is its own. The baseline is a
 * 10,000-user world in the same run: the per-user time and the memory of the two show
 * whether cost is linear and memory bounded, which is what the extrapolation rests on.
 *
 * The children run with --expose-gc so that the live heap (after a full collection) can be
 * told apart from garbage; the 64-block collections cost about one percent of the time.
 *
 * CHAINTRAIL_BENCH_SCENARIO_USERS overrides the large world's size.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReporter } from './reporter.js';

interface WorldRun {
  readonly users: number;
  readonly transactions: number;
  readonly blockBytes: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly peakLiveHeapMb: number;
}

const bin = fileURLToPath(new URL('../packages/scenario/src/bin.ts', import.meta.url));

async function generate(users: number): Promise<WorldRun> {
  const out = mkdtempSync(join(tmpdir(), 'chaintrail-bench-scenario-'));
  try {
    const child = spawn(process.execPath, ['--expose-gc', '--conditions=@chaintrail/source', '--import', 'tsx', bin, '--users', String(users), '--seed', '1', '--out', out, '--quiet'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`scenario generation of ${users} users exited with ${String(code)}`);
    const result = JSON.parse(stdout) as { transactions: number; blockBytes: number; run: { seconds: number; cpuSeconds: number; peakRssMb: number; peakHeapMb: number; peakLiveHeapMb: number } };
    return { users, transactions: result.transactions, blockBytes: result.blockBytes, ...result.run };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function run(report: BenchReporter): Promise<void> {
  const large = Number(process.env['CHAINTRAIL_BENCH_SCENARIO_USERS'] ?? 100_000);
  const small = Math.max(1000, Math.round(large / 10));
  report.section(`scenario: world generation (${small.toLocaleString('en-US')} and ${large.toLocaleString('en-US')} users)`);
  const base = await generate(small);
  const big = await generate(large);

  for (const w of [base, big]) {
    const label = `${w.users.toLocaleString('en-US')} users`;
    report.metric(`${label}: wall time`, w.seconds, 's', `${w.transactions.toLocaleString('en-US')} transactions, ${(w.blockBytes / 1e6).toFixed(0)} MB of blocks`);
    report.metric(`${label}: CPU time`, w.cpuSeconds, 's');
    report.metric(`${label}: peak memory (RSS)`, w.peakRssMb, 'MB');
    report.metric(`${label}: peak live heap`, w.peakLiveHeapMb, 'MB', 'after a full collection every 64 blocks');
    report.metric(`${label}: throughput`, w.transactions / w.seconds, 'tx/s');
  }
  // Per user cost of the large world over the small one: 1 means linear scaling. CPU time,
  // because wall time also counts waiting for a core that other processes hold.
  report.ratio('CPU time per user, large vs small world', big.cpuSeconds / big.users / (base.cpuSeconds / base.users), { target: '<= 1.2 (linear)' });
  report.ratio('wall time per user, large vs small world', big.seconds / big.users / (base.seconds / base.users), { target: 'informative: swings with other load' });
  report.ratio('peak live heap, large vs small world', big.peakLiveHeapMb / base.peakLiveHeapMb, { target: '< 10, far below the users ratio (bounded)' });
  report.ratio('peak RSS, large vs small world', big.peakRssMb / base.peakRssMb);

  // A straight line through the two worlds, out to a million users.
  const target = 1_000_000;
  const perUser = (big.seconds - base.seconds) / (big.users - base.users);
  const seconds = big.seconds + perUser * (target - big.users);
  const cpuPerUser = (big.cpuSeconds - base.cpuSeconds) / (big.users - base.users);
  const cpuSeconds = big.cpuSeconds + cpuPerUser * (target - big.users);
  const memory = big.peakRssMb + Math.max(0, ((big.peakRssMb - base.peakRssMb) / (big.users - base.users)) * (target - big.users));
  report.metric('1,000,000 users, extrapolated: wall time', seconds, 's', 'target < 600 s');
  report.metric('1,000,000 users, extrapolated: CPU time', cpuSeconds, 's', 'wall time on an idle core');
  report.metric('1,000,000 users, extrapolated: peak memory', memory, 'MB', 'target < 2048 MB');
  report.ratio('extrapolated time vs 10-minute target', seconds / 600, { target: '< 1' });
  report.ratio('extrapolated memory vs 2 GB target', memory / 2048, { target: '< 1' });
  report.note('linear fits through the two worlds; the memory fit is an upper bound, as the heap does not grow with the world');
  report.note('wall time includes waiting for the CPU when other processes share it; CPU time is what an idle machine would take');
}
