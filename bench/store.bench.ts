/**
 * GraphStore load and query speed on a generated scenario world (packages/scenario; 100,000
 * users by default, `CHAINTRAIL_BENCH_USERS` to scale): transactions per second loaded,
 * size on disk, and p50/p95 latency of neighbour expansion and of a 6-hop path query.
 *
 * Baseline, measured in the same run on the same transactions: the straightforward loader
 * (better-sqlite3, one INSERT per row and a lookup per address and per spent output, one
 * transaction per batch, same WAL settings). Neo4j runs too when CHAINTRAIL_TEST_NEO4J_URL
 * is set. The world is cached in bench/out/ (generating 100,000 users takes minutes).
 */
import { rmSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { nodeHasher } from '@chaintrail/chain';
import { openStore, type GraphStore, type NodeRef, type TxWrite } from '@chaintrail/store';
import { lockNeo4jTestDatabase, wipeNeo4jTestDatabase } from '../test/neo4j/neo4j-test-database.js';
import { neo4jServerCpu } from '../test/neo4j/neo4j-server-cpu.js';
import { scenarioWorld, worldBlocks, type ScenarioWorld } from '../test/store/scenario-world.js';
import type { BenchReporter } from './reporter.js';

const here = dirname(fileURLToPath(import.meta.url));
const users = Number(process.env['CHAINTRAIL_BENCH_USERS'] ?? 100_000);
const seed = 1;
const batchTxs = 5_000;
const samples = 400;
const pathSamples = 40;

export async function run(report: BenchReporter): Promise<void> {
  const out = join(here, 'out');
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const world = await scenarioWorld(join(out, `store-world-${users}-s${seed}`), users, seed);
  report.section(`store: scenario world of ${users.toLocaleString('en-US')} users, ${world.summary.transactions.toLocaleString('en-US')} transactions`);
  report.note(`world ready in ${((performance.now() - started) / 1000).toFixed(1)} s (cached in bench/out/ after the first run)`);

  const sqlitePath = join(out, 'store-bench.sqlite');
  removeDatabase(sqlitePath);
  const sqlite = await openStore(`sqlite:${sqlitePath}`);
  const loaded = await loadWorld(sqlite, world);
  report.metric('SQLite load', loaded.txPerSecond, 'tx/s', `target >= 50,000; store calls only (with the index build after a bulk load), parsing excluded; ${loaded.transactions.toLocaleString('en-US')} txs`);
  report.metric('SQLite load per CPU second', loaded.txPerCpuSecond, 'tx/s', 'wall-clock figures swing with other load on a shared machine; CPU time less so');
  report.note(`load average during the run: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min)`);
  const queried = await measureQueries(sqlite, loaded.sampleAddresses, loaded.sampleTxids);
  await sqlite.close();
  report.metric('SQLite size on disk', fileSize(sqlitePath) / 2 ** 20, 'MiB');
  reportQueries(report, 'SQLite', queried);

  const baselinePath = join(out, 'store-bench-baseline.sqlite');
  removeDatabase(baselinePath);
  const baseline = naiveLoad(baselinePath, world);
  removeDatabase(baselinePath);
  report.metric('baseline load (one statement per row)', baseline.txPerSecond, 'tx/s');
  report.metric('baseline load per CPU second', baseline.txPerCpuSecond, 'tx/s');
  report.ratio('SQLite load vs one-statement-per-row baseline (wall)', loaded.txPerSecond / baseline.txPerSecond, { target: '> 1' });
  report.ratio('SQLite load vs one-statement-per-row baseline (CPU)', loaded.txPerCpuSecond / baseline.txPerCpuSecond, { target: '> 1' });
  removeDatabase(sqlitePath);

  const neo4jUrl = process.env['CHAINTRAIL_TEST_NEO4J_URL'];
  if (neo4jUrl) {
    // The test server's one database: wait for tests using it, and load into an empty one
    // (a world already stored would be skipped as idempotent and time nothing).
    const release = await lockNeo4jTestDatabase(neo4jUrl);
    try {
      await wipeNeo4jTestDatabase(neo4jUrl);
      const neo4j = await openStore(`neo4j:${neo4jUrl}`);
      try {
        const serverCpu = neo4jServerCpu(neo4jUrl);
        const serverCpuBefore = serverCpu?.() ?? 0;
        const neoLoaded = await loadWorld(neo4j, world);
        report.metric('Neo4j load', neoLoaded.txPerSecond, 'tx/s', `target >= 10,000 over Bolt; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
        report.metric('Neo4j load per client CPU second', neoLoaded.txPerCpuSecond, 'tx/s', 'the server runs in its own process; its CPU is not counted here');
        if (serverCpu) {
          // Wall time also counts what other processes take from the cores; the server's CPU per transaction does not.
          const serverMicros = ((serverCpu() - serverCpuBefore) * 1000) / neoLoaded.transactions;
          report.metric('Neo4j server CPU per transaction', serverMicros, 'µs', 'the local test server, whole process (Bolt, Cypher, commit, GC, checkpoints) while loading');
        }
        reportQueries(report, 'Neo4j', await measureQueries(neo4j, neoLoaded.sampleAddresses, neoLoaded.sampleTxids));
        report.ratio('Neo4j load vs SQLite load', neoLoaded.txPerSecond / loaded.txPerSecond);
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

interface Throughput {
  readonly txPerSecond: number;
  readonly txPerCpuSecond: number;
}

interface Loaded extends Throughput {
  readonly transactions: number;
  readonly sampleAddresses: string[];
  readonly sampleTxids: string[];
}

/**
 * Reads every field a store reads from a parsed transaction, so fields core decodes lazily
 * are decoded here, as part of parsing, and not inside the timed store calls.
 */
function parsed(write: TxWrite): TxWrite {
  for (const input of write.tx.inputs) void (input.prevout.txid, input.prevout.vout, input.sequence);
  for (const output of write.tx.outputs) void (output.address, output.value, output.scriptType, output.scriptPubKey);
  return write;
}

/**
 * Loads the world in batches; the time inside writeTransactions counts, and so does the
 * first read after the load (SQLite builds the indexes it deferred during a bulk load then).
 */
async function loadWorld(store: GraphStore, world: ScenarioWorld): Promise<Loaded> {
  let pending: TxWrite[] = [];
  let transactions = 0;
  const clock = new LoadClock();
  const sampleAddresses: string[] = [];
  const sampleTxids: string[] = [];
  const flush = async (): Promise<void> => {
    const started = clock.start();
    await store.writeTransactions(pending);
    clock.stop(started);
    transactions += pending.length;
    pending = [];
  };
  for (const block of worldBlocks(world, { hasher: nodeHasher })) {
    for (const write of block.writes) {
      pending.push(parsed(write));
      // A spread-out sample for the query measurements.
      if ((transactions + pending.length) % 97 === 0) {
        sampleTxids.push(write.tx.txid);
        const address = write.tx.outputs.find((o) => o.address !== null)?.address;
        if (address) sampleAddresses.push(address);
      }
    }
    if (pending.length >= batchTxs) await flush();
  }
  if (pending.length > 0) await flush();
  const started = clock.start();
  await store.hasTransactions(sampleTxids.slice(0, 1));
  clock.stop(started);
  return { transactions, ...clock.throughput(transactions), sampleAddresses, sampleTxids };
}

interface Latencies {
  readonly addressNeighbours: number[];
  readonly txNeighbours: number[];
  readonly paths: number[];
  readonly pathsFound: number;
  readonly pathsTooBroad: number;
}

async function measureQueries(store: GraphStore, addresses: string[], txids: string[]): Promise<Latencies> {
  const pick = <T>(list: T[], n: number): T[] => list.filter((_v, i) => i % Math.max(1, Math.floor(list.length / n)) === 0).slice(0, n);
  const addressNeighbours: number[] = [];
  for (const id of pick(addresses, samples)) addressNeighbours.push(await timed(() => store.neighbours({ kind: 'address', id }, { direction: 'both', limit: 100 })));
  const txNeighbours: number[] = [];
  for (const id of pick(txids, samples)) txNeighbours.push(await timed(() => store.neighbours({ kind: 'tx', id }, { direction: 'both', limit: 100 })));

  // Path ends six transactions apart along a real walk of the money (untimed); starts whose
  // walk ends early are skipped, so every query spans six hops or finds a shortcut.
  const paths: number[] = [];
  let pathsFound = 0;
  let pathsTooBroad = 0;
  for (const [i, from] of addresses.entries()) {
    if (paths.length + pathsTooBroad >= pathSamples) break;
    const to = await walkForward(store, from, 6, i);
    if (to === null) continue;
    try {
      const t = performance.now();
      const path = await store.shortestPath({ kind: 'address', id: from }, { kind: 'address', id: to }, { maxHops: 6, direction: 'out' });
      paths.push(performance.now() - t);
      if (path) pathsFound++;
    } catch (error) {
      if ((error as { code?: string }).code !== 'CHAINTRAIL_SEARCH_LIMIT') throw error;
      pathsTooBroad++;
    }
  }
  return { addressNeighbours, txNeighbours, paths, pathsFound, pathsTooBroad };
}

/** Follows the money `hops` steps from `from`, choosing spenders deterministically; null if the walk ends sooner. */
async function walkForward(store: GraphStore, from: string, hops: number, salt: number): Promise<string | null> {
  let at: NodeRef = { kind: 'address', id: from };
  for (let hop = 0; hop < hops; hop++) {
    const spends = (await store.neighbours(at, { direction: 'out', limit: 20 })).neighbours;
    if (spends.length === 0) return null;
    const tx = spends[(salt + hop) % spends.length]!.node;
    const paid = (await store.neighbours(tx, { direction: 'out', limit: 20 })).neighbours.filter((n) => n.node.id !== at.id);
    if (paid.length === 0) return null;
    at = paid[(salt * 7 + hop) % paid.length]!.node;
  }
  return at.id;
}

function reportQueries(report: BenchReporter, name: string, q: Latencies): void {
  report.metric(`${name} address neighbours p50`, percentile(q.addressNeighbours, 50), 'ms');
  report.metric(`${name} address neighbours p95`, percentile(q.addressNeighbours, 95), 'ms', 'target < 20 ms');
  report.metric(`${name} tx neighbours p50`, percentile(q.txNeighbours, 50), 'ms');
  report.metric(`${name} tx neighbours p95`, percentile(q.txNeighbours, 95), 'ms', 'target < 20 ms');
  report.metric(`${name} 6-hop path p50`, percentile(q.paths, 50), 'ms');
  report.metric(`${name} 6-hop path p95`, percentile(q.paths, 95), 'ms', `${q.pathsFound} of ${q.paths.length} found; ${q.pathsTooBroad} stopped by the visit limit`);
  report.note('path ends are six hops apart along a real walk; a search through an exchange hot wallet expands its thousands of payees, which is the slow tail');
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function fileSize(path: string): number {
  return [path, `${path}-wal`].filter(existsSync).reduce((sum, p) => sum + statSync(p).size, 0);
}

function removeDatabase(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
}

/**
 * The straightforward loader chaintrail's is measured against: the same rows, one prepared
 * statement call per row, an address id looked up per output and the spent output updated
 * per input, one transaction per batch.
 */
function naiveLoad(path: string, world: ScenarioWorld): Throughput {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE txs (id INTEGER PRIMARY KEY, txid TEXT NOT NULL UNIQUE, height INTEGER, time INTEGER, position INTEGER, raw BLOB NOT NULL);
    CREATE TABLE addresses (id INTEGER PRIMARY KEY, address TEXT NOT NULL UNIQUE);
    CREATE TABLE outputs (txid TEXT NOT NULL, vout INTEGER NOT NULL, value INTEGER NOT NULL, address_id INTEGER, script BLOB, spent_by TEXT, PRIMARY KEY (txid, vout));
    CREATE INDEX outputs_by_address ON outputs (address_id);
    CREATE TABLE inputs (txid TEXT NOT NULL, vin INTEGER NOT NULL, prev_txid TEXT, prev_vout INTEGER, sequence INTEGER, PRIMARY KEY (txid, vin));`);
  const insertTx = db.prepare('INSERT OR IGNORE INTO txs (txid, height, time, position, raw) VALUES (?, ?, ?, ?, ?)');
  const insertAddress = db.prepare('INSERT OR IGNORE INTO addresses (address) VALUES (?)');
  const addressId = db.prepare('SELECT id FROM addresses WHERE address = ?').pluck();
  const insertOutput = db.prepare('INSERT INTO outputs (txid, vout, value, address_id, script) VALUES (?, ?, ?, ?, ?)');
  const insertInput = db.prepare('INSERT INTO inputs (txid, vin, prev_txid, prev_vout, sequence) VALUES (?, ?, ?, ?, ?)');
  const markSpent = db.prepare('UPDATE outputs SET spent_by = ? WHERE txid = ? AND vout = ?');
  const writeBatch = db.transaction((batch: TxWrite[]) => {
    for (const { tx, raw, placement } of batch) {
      if (insertTx.run(tx.txid, placement?.blockHeight ?? null, placement?.blockTime ?? null, placement?.position ?? null, Buffer.from(raw, 'hex')).changes === 0) continue;
      tx.outputs.forEach((o, vout) => {
        let id: number | null = null;
        if (o.address !== null) {
          insertAddress.run(o.address);
          id = addressId.get(o.address) as number;
        }
        insertOutput.run(tx.txid, vout, o.value, id, Buffer.from(o.scriptPubKey, 'hex'));
      });
      tx.inputs.forEach((input, vin) => {
        insertInput.run(tx.txid, vin, tx.isCoinbase ? null : input.prevout.txid, input.prevout.vout, input.sequence);
        if (!tx.isCoinbase) markSpent.run(`${tx.txid}:${vin}`, input.prevout.txid, input.prevout.vout);
      });
    }
  });
  let pending: TxWrite[] = [];
  let transactions = 0;
  const clock = new LoadClock();
  const flush = (): void => {
    const started = clock.start();
    writeBatch(pending);
    clock.stop(started);
    transactions += pending.length;
    pending = [];
  };
  for (const block of worldBlocks(world, { hasher: nodeHasher })) {
    for (const write of block.writes) pending.push(parsed(write));
    if (pending.length >= batchTxs) flush();
  }
  if (pending.length > 0) flush();
  db.close();
  return clock.throughput(transactions);
}

/** Wall and CPU time spent inside the timed calls only (SQLite runs on this thread). */
class LoadClock {
  private wallMs = 0;
  private cpuMicros = 0;

  start(): { wall: number; cpu: NodeJS.CpuUsage } {
    return { wall: performance.now(), cpu: process.cpuUsage() };
  }

  stop(started: { wall: number; cpu: NodeJS.CpuUsage }): void {
    this.wallMs += performance.now() - started.wall;
    const cpu = process.cpuUsage(started.cpu);
    this.cpuMicros += cpu.user + cpu.system;
  }

  throughput(transactions: number): Throughput {
    return { txPerSecond: transactions / (this.wallMs / 1000), txPerCpuSecond: transactions / (this.cpuMicros / 1e6) };
  }
}
