/**
 * Clustering speed, side by side: chaintrail's union-find (packages/core, `uniteInputs`)
 * and graphsense-clustering (GraphSense's Rust union-find, PyPI, installed into a scratch
 * virtualenv here) on the same input: the input address ids of the same transactions.
 * Both run on one core (RAYON_NUM_THREADS=1 for the Rust side). An "input link" is one
 * union a transaction asks for: a transaction with k inputs asks for k - 1.
 *
 * The input is generated (the recorded blocks are far too few): 10 million links over
 * 4 million addresses; input counts follow a heavy tail like Bitcoin's (45% one input,
 * 25% two, ..., 1% with 51 to 500), and a transaction spends addresses of one wallet-like
 * neighbourhood near the chain's moving front, so memory access has the locality of a
 * real chain rather than uniform randomness.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UnionFind, uniteInputs } from '@chaintrail/core';
import type { BenchReporter } from './reporter.js';

const exec = promisify(execFile);

const TARGET_LINKS = 10_000_000;
const ADDRESSES = 4_000_000;
const RUNS = 3;

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface InputList {
  readonly ids: Int32Array;
  /** Transaction t's inputs are ids[starts[t] .. starts[t + 1]). */
  readonly starts: Int32Array;
  readonly links: number;
}

function inputCount(random: () => number): number {
  const r = random();
  if (r < 0.45) return 1;
  if (r < 0.7) return 2;
  if (r < 0.8) return 3;
  if (r < 0.85) return 4;
  if (r < 0.95) return 5 + Math.floor(random() * 6);
  if (r < 0.99) return 11 + Math.floor(random() * 40);
  return 51 + Math.floor(random() * 450);
}

function generateInputs(seed: number): InputList {
  const random = mulberry32(seed);
  const expectedTxs = Math.round(TARGET_LINKS / 5.15);
  let ids = new Int32Array(TARGET_LINKS * 1.4);
  const starts: number[] = [0];
  let at = 0;
  let links = 0;
  for (let t = 0; links < TARGET_LINKS; t++) {
    const front = Math.floor((t / expectedTxs) * ADDRESSES);
    const wallet = front - Math.floor(random() ** 3 * (ADDRESSES / 10));
    const k = Math.min(inputCount(random), TARGET_LINKS - links + 1);
    if (at + k > ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    for (let i = 0; i < k; i++) ids[at++] = (((wallet + Math.floor(random() * 64)) % ADDRESSES) + ADDRESSES) % ADDRESSES;
    starts.push(at);
    links += k - 1;
  }
  return { ids: ids.slice(0, at), starts: Int32Array.from(starts), links };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** chaintrail: seconds per run of the unions, seconds to read every address's cluster, and the cluster count. */
function timeChaintrail(input: InputList): { unions: number; mapping: number; clusters: number } {
  const unions: number[] = [];
  const mappings: number[] = [];
  let clusters = 0;
  for (let r = 0; r < RUNS; r++) {
    const uf = new UnionFind(ADDRESSES);
    uf.ensureSize(ADDRESSES);
    const t0 = performance.now();
    uniteInputs(uf, input.ids, input.starts);
    const t1 = performance.now();
    const cluster = new Int32Array(ADDRESSES);
    for (let i = 0; i < ADDRESSES; i++) cluster[i] = uf.find(i);
    const t2 = performance.now();
    unions.push((t1 - t0) / 1000);
    mappings.push((t2 - t1) / 1000);
    clusters = uf.setCount;
  }
  return { unions: median(unions), mapping: median(mappings), clusters };
}

/** Reads the same id files, feeds graphsense-clustering in batches, and times only its calls. */
const PYTHON_HARNESS = String.raw`
import array, json, sys, time
import pyarrow.compute as pc
from gs_clustering import Clustering, version
ids = array.array('i'); starts = array.array('i')
with open(sys.argv[1], 'rb') as f: ids.frombytes(f.read())
with open(sys.argv[2], 'rb') as f: starts.frombytes(f.read())
n_addresses = int(sys.argv[3]); runs = int(sys.argv[4])
BATCH = 100_000
unions = []; mappings = []; clusters = 0
for _ in range(runs):
    c = Clustering(max_address_id=n_addresses - 1)
    spent = 0.0
    n_tx = len(starts) - 1
    for b in range(0, n_tx, BATCH):
        # Building Python lists is the caller's cost, not the library's: untimed.
        batch = [ids[starts[t]:starts[t + 1]].tolist() for t in range(b, min(b + BATCH, n_tx))]
        t0 = time.perf_counter(); c.process_transactions(batch); spent += time.perf_counter() - t0
    t0 = time.perf_counter(); mapping = c.get_mapping(); t1 = time.perf_counter()
    unions.append(spent); mappings.append(t1 - t0)
    clusters = pc.count_distinct(mapping.column(1)).as_py()
    del c, mapping
unions.sort(); mappings.sort()
print(json.dumps({"version": version(), "unions": unions[len(unions) // 2], "mapping": mappings[len(mappings) // 2], "clusters": clusters}))
`;

interface RustResult {
  readonly version: string;
  readonly unions: number;
  readonly mapping: number;
  readonly clusters: number;
}

function why(error: unknown): string {
  const e = error as { stderr?: string; message?: string; code?: string };
  const detail = (e.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
  return detail || e.message || String(error);
}

async function timeGraphsense(input: InputList, dir: string, report: BenchReporter): Promise<RustResult | null> {
  const venv = join(dir, 'venv');
  try {
    await exec('python3', ['-m', 'venv', venv], { timeout: 120_000 });
  } catch (error) {
    report.note(`graphsense-clustering not measured: python3 -m venv failed: ${why(error)}`);
    return null;
  }
  try {
    await exec(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', 'graphsense-clustering'], { timeout: 600_000, maxBuffer: 16 << 20 });
  } catch (error) {
    report.note(`graphsense-clustering not measured: pip install graphsense-clustering failed: ${why(error)}`);
    return null;
  }
  writeFileSync(join(dir, 'ids.bin'), new Uint8Array(input.ids.buffer, input.ids.byteOffset, input.ids.byteLength));
  writeFileSync(join(dir, 'starts.bin'), new Uint8Array(input.starts.buffer, input.starts.byteOffset, input.starts.byteLength));
  writeFileSync(join(dir, 'harness.py'), PYTHON_HARNESS);
  try {
    const { stdout } = await exec(join(venv, 'bin', 'python'), [join(dir, 'harness.py'), join(dir, 'ids.bin'), join(dir, 'starts.bin'), String(ADDRESSES), String(RUNS)], {
      timeout: 1_800_000,
      maxBuffer: 16 << 20,
      env: { ...process.env, RAYON_NUM_THREADS: '1' },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as RustResult;
  } catch (error) {
    report.note(`graphsense-clustering not measured: its run failed: ${why(error)}`);
    return null;
  }
}

export async function run(report: BenchReporter): Promise<void> {
  report.section('clustering: common-input union-find, one core');
  const input = generateInputs(2024);
  const txs = input.starts.length - 1;
  report.note(`input: ${input.links.toLocaleString('en-US')} input links (${input.ids.length.toLocaleString('en-US')} inputs of ${txs.toLocaleString('en-US')} transactions) over ${ADDRESSES.toLocaleString('en-US')} addresses; median of ${RUNS} runs`);
  const ours = timeChaintrail(input);
  report.metric('chaintrail union rate', input.links / ours.unions, 'links/s', 'target >= 10,000,000');
  report.metric('chaintrail cluster of every address', ADDRESSES / ours.mapping, 'addresses/s');
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-cluster-bench-'));
  try {
    const rust = await timeGraphsense(input, dir, report);
    if (rust === null) return;
    report.metric(`graphsense-clustering ${rust.version} union rate`, input.links / rust.unions, 'links/s', 'process_transactions calls, PyO3 list conversion included');
    report.metric(`graphsense-clustering ${rust.version} cluster of every address`, ADDRESSES / rust.mapping, 'addresses/s', 'get_mapping to an Arrow batch');
    report.ratio('chaintrail vs graphsense-clustering (union rate)', rust.unions / ours.unions, { target: 'where we stand against Rust' });
    if (rust.clusters !== ours.clusters) report.note(`cluster counts differ: chaintrail ${ours.clusters}, graphsense-clustering ${rust.clusters}`);
    else report.note(`both find ${ours.clusters.toLocaleString('en-US')} clusters`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
