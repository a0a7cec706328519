/**
 * The API under concurrent load: 50 clients at once over real HTTP (keep-alive, as a
 * browser would), asking for neighbour expansions and searches on a generated scenario
 * world (100,000 users by default, `CHAINTRAIL_BENCH_USERS` to scale; cached in bench/out/
 * and shared with store.bench.ts). Prints requests per second and p50/p95/p99 latency per
 * store, every request authenticated, validated and written to the audit log.
 *
 * Baseline, measured in the same run with the same concurrency: the same store calls made
 * directly, without HTTP, auth, validation, encoding or audit. The ratio is what the API
 * layer costs. Then the same load against `chaintrail serve --workers N` (N = CPUs, at
 * most 8, `CHAINTRAIL_BENCH_API_WORKERS` to choose), real processes on the same SQLite
 * file, against the one-process figures of the same run; its audit log is verified after.
 * Neo4j runs too when CHAINTRAIL_TEST_NEO4J_URL is set.
 *
 * CPU per request counts the client (this process) and every server process, so it stays
 * comparable between the in-process and the multi-worker runs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiDataPaths, AuditLog, buildApiServer, TokenStore, verifyAuditLog } from '@chaintrail/api';
import { nodeHasher } from '@chaintrail/chain';
import { importTags } from '@chaintrail/ingest';
import { openStore, type GraphStore, type TxWrite } from '@chaintrail/store';
import { chaintrailCommand } from '../test/e2e/cli-binary.js';
import { lockNeo4jTestDatabase } from '../test/neo4j/neo4j-test-database.js';
import { scenarioWorld, worldBlocks, type ScenarioWorld } from '../test/store/scenario-world.js';
import type { BenchReporter } from './reporter.js';

const here = dirname(fileURLToPath(import.meta.url));
const users = Number(process.env['CHAINTRAIL_BENCH_USERS'] ?? 100_000);
const requests = Number(process.env['CHAINTRAIL_BENCH_API_REQUESTS'] ?? 3000);
const concurrency = 50;
const seed = 1;
const workers = Number(process.env['CHAINTRAIL_BENCH_API_WORKERS'] ?? Math.max(2, Math.min(availableParallelism(), 8)));

interface Samples {
  readonly addresses: string[];
  readonly txids: string[];
}

/** One kind of request: its URLs (for the API) and the same work as a direct store call. */
interface Workload {
  readonly name: string;
  readonly urls: string[];
  readonly direct: (store: GraphStore, i: number) => Promise<unknown>;
}

export async function run(report: BenchReporter): Promise<void> {
  const out = join(here, 'out');
  mkdirSync(out, { recursive: true });
  const world = await scenarioWorld(join(out, `store-world-${users}-s${seed}`), users, seed);
  report.section(`api: ${concurrency} concurrent clients, scenario world of ${users.toLocaleString('en-US')} users (${world.summary.transactions.toLocaleString('en-US')} transactions)`);

  const sqlitePath = join(out, 'api-bench.sqlite');
  removeDatabase(sqlitePath);
  const sqlite = await openStore(`sqlite:${sqlitePath}`);
  try {
    const samples = await loadWorld(sqlite, world);
    const single = await measure(report, 'SQLite', sqlite, samples);
    await measureWorkers(report, sqlitePath, samples, single);
  } finally {
    await sqlite.close();
    removeDatabase(sqlitePath);
  }

  const neo4jUrl = process.env['CHAINTRAIL_TEST_NEO4J_URL'];
  if (neo4jUrl) {
    // The test server's one database is shared with the Neo4j test files: take their lock.
    const release = await lockNeo4jTestDatabase(neo4jUrl);
    try {
      const neo4j = await openStore(`neo4j:${neo4jUrl}`);
      try {
        await measure(report, 'Neo4j', neo4j, await loadWorld(neo4j, world));
      } finally {
        await neo4j.close();
      }
    } finally {
      release();
    }
  } else {
    report.note('Neo4j skipped: set CHAINTRAIL_TEST_NEO4J_URL (pnpm neo4j:start) to measure it in the same run');
  }
}

/** Writes the world (idempotent) and its exchange tags; returns a spread-out sample of addresses and txids. */
async function loadWorld(store: GraphStore, world: ScenarioWorld): Promise<Samples> {
  const addresses: string[] = [];
  const txids: string[] = [];
  let pending: TxWrite[] = [];
  let seen = 0;
  for (const block of worldBlocks(world, { hasher: nodeHasher })) {
    for (const write of block.writes) {
      pending.push(write);
      if (++seen % 37 === 0) {
        txids.push(write.tx.txid);
        const address = write.tx.outputs.find((o) => o.address !== null)?.address;
        if (address) addresses.push(address);
      }
    }
    if (pending.length >= 5000) {
      await store.writeTransactions(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await store.writeTransactions(pending);
  await importTags({ store, path: join(world.dir, 'tags.yaml') });
  return { addresses, txids };
}

/** Where the load goes: a way to GET a path, and the CPU its server processes used (beyond this one). */
interface Target {
  readonly name: string;
  readonly get: (path: string) => Promise<void>;
  readonly serverCpuMs: () => number;
}

type Figures = Record<string, number>;

/** Requests per second of each workload, by name. */
async function runWorkloads(report: BenchReporter, target: Target, workloads: readonly Workload[]): Promise<Figures> {
  const figures: Figures = {};
  await drive(200, (i) => target.get(workloads[0]!.urls[i]!), target.serverCpuMs);
  for (const workload of workloads) {
    const api = await drive(workload.urls.length, (i) => target.get(workload.urls[i]!), target.serverCpuMs);
    figures[workload.name] = api.perSecond;
    report.metric(`${target.name} ${workload.name}: API throughput`, api.perSecond, 'req/s', `${workload.urls.length} requests`);
    report.metric(`${target.name} ${workload.name}: API p50`, percentile(api.latencies, 50), 'ms');
    report.metric(`${target.name} ${workload.name}: API p95`, percentile(api.latencies, 95), 'ms', target.name.startsWith('SQLite') ? `target < 50 ms at ${concurrency} concurrent` : undefined);
    report.metric(`${target.name} ${workload.name}: API p99`, percentile(api.latencies, 99), 'ms');
    report.metric(`${target.name} ${workload.name}: API CPU per request`, api.cpuMs, 'ms', 'server processes and client together; steadier than wall-clock figures on a shared machine');
  }
  report.note(`load average during ${target.name}: ${loadAverage()}`);
  return figures;
}

function workloadsFor(samples: Samples): Workload[] {
  const pick = (i: number) => ({ address: samples.addresses[i % samples.addresses.length]!, txid: samples.txids[i % samples.txids.length]! });
  return [
    {
      name: 'neighbour expansion',
      urls: Array.from({ length: requests }, (_v, i) => (i % 2 === 0 ? `/api/nodes/address/${pick(i).address}/neighbours?limit=100` : `/api/nodes/tx/${pick(i).txid}/neighbours?limit=100`)),
      direct: (store, i) => store.neighbours(i % 2 === 0 ? { kind: 'address', id: pick(i).address } : { kind: 'tx', id: pick(i).txid }, { direction: 'both', limit: 100 }),
    },
    {
      name: 'search',
      urls: Array.from({ length: requests }, (_v, i) => `/api/search?limit=20&q=${encodeURIComponent(searchText(i, pick(i).address))}`),
      direct: (store, i) => store.search({ text: searchText(i, pick(i).address), limit: 20 }),
    },
  ];
}

async function measure(report: BenchReporter, name: string, store: GraphStore, samples: Samples): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-api-bench-'));
  const tokens = TokenStore.inMemory();
  const { token } = tokens.create({ role: 'viewer', label: 'bench' });
  const audit = AuditLog.open(join(dir, 'audit.jsonl'));
  const app = await buildApiServer({ store, tokens, audit, rateLimit: { max: 100_000_000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const target: Target = { name, get: (path) => httpGet(agent, port, path, token), serverCpuMs: () => 0 };
    const workloads = workloadsFor(samples);
    const figures = await runWorkloads(report, target, workloads);
    for (const workload of workloads) {
      const direct = await drive(workload.urls.length, (i) => workload.direct(store, i), () => 0);
      report.metric(`${name} ${workload.name}: direct store calls`, direct.perSecond, 'calls/s', `p95 ${percentile(direct.latencies, 95).toFixed(1)} ms, ${direct.cpuMs.toFixed(2)} CPU ms per call`);
      report.ratio(`${name} ${workload.name}: API vs direct store calls (throughput)`, figures[workload.name]! / direct.perSecond, { target: 'what HTTP, auth, validation, encoding and the audit log cost' });
    }
    report.note(`${name}: ${audit.head.seq.toLocaleString('en-US')} requests written to the audit log during the run`);
    return figures;
  } finally {
    agent.destroy();
    await app.close();
    audit.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same load against `chaintrail serve --workers N`, real processes on the SQLite file. */
async function measureWorkers(report: BenchReporter, sqlitePath: string, samples: Samples, single: Figures): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'chaintrail-api-bench-home-'));
  const name = `SQLite, ${workers} workers`;
  const child = spawn(
    process.execPath,
    [...chaintrailCommand, '--json', '--quiet', '--store', `sqlite:${sqlitePath}`, 'serve', '--port', '0', '--workers', String(workers), '--session-role', 'viewer', '--rate-limit', '100000000'],
    { env: { ...process.env, CHAINTRAIL_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const started = await Promise.race([
      (async () => {
        while (!stdout.trimEnd().endsWith('}')) await new Promise((r) => setTimeout(r, 100));
        return JSON.parse(stdout) as { url: string; loginUrl: string };
      })(),
      exited.then((code) => Promise.reject(new Error(`chaintrail serve --workers ${workers} exited with ${code} before serving`))),
    ]);
    const url = new URL(started.url);
    const token = new URL(started.loginUrl).hash.slice('#token='.length);
    const treeCpu = processTreeCpuMs(child.pid!);
    const base = treeCpu();
    const target: Target = { name, get: (path) => httpGet(agent, Number(url.port), path, token), serverCpuMs: () => treeCpu() - base };
    const figures = await runWorkloads(report, target, workloadsFor(samples));
    for (const [workload, perSecond] of Object.entries(figures)) {
      report.ratio(`${name} ${workload}: vs one process (throughput)`, perSecond / single[workload]!, { target: `up to ${workers}x on ${workers} idle CPUs` });
    }
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await exited;
  }
  const verified = await verifyAuditLog(apiDataPaths(home).audit);
  report.note(`${name}: audit log of ${verified.entries.toLocaleString('en-US')} entries written by the primary ${verified.ok ? 'verifies' : `FAILS verification: ${JSON.stringify(verified.problems.slice(0, 3))}`}`);
  rmSync(home, { recursive: true, force: true });
}

/** CPU ms used so far by a process and its children (Linux /proc; 0 elsewhere). */
function processTreeCpuMs(root: number): () => number {
  const ticksPerMs = 100 / 1000;
  const read = (pid: string): { ppid: number; ticks: number } | null => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) };
    } catch {
      return null;
    }
  };
  return () => {
    let ticks = read(String(root))?.ticks ?? 0;
    let pids: string[] = [];
    try {
      pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
    } catch {
      return 0;
    }
    for (const pid of pids) {
      const stat = read(pid);
      if (stat !== null && stat.ppid === root) ticks += stat.ticks;
    }
    return ticks / ticksPerMs;
  };
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

/** Address prefixes most of the time, a tag label now and then (the investigator's two searches). */
function searchText(i: number, address: string): string {
  return i % 5 === 4 ? 'exchange' : address.slice(0, 10);
}

interface Driven {
  readonly perSecond: number;
  readonly latencies: number[];
  /** CPU ms per call: this process and `serverCpuMs` (a server's other processes). */
  readonly cpuMs: number;
}

/** Runs `total` calls with `concurrency` in flight at once; latencies and CPU time in ms. */
async function drive(total: number, call: (i: number) => Promise<unknown>, serverCpuMs: () => number): Promise<Driven> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const serverCpu = serverCpuMs();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const t = performance.now();
      await call(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return { perSecond: total / ((performance.now() - started) / 1000), latencies, cpuMs: ((used.user + used.system) / 1000 + serverCpuMs() - serverCpu) / total };
}

function httpGet(agent: Agent, port: number, path: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function removeDatabase(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
}
