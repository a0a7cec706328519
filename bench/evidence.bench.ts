/**
 * Evidence bundles at the size the issue names: a case of over 10,000 transactions (the
 * demo world of 3,700 users, ingested 2 hops back and 6 forward, clustered and tagged)
 * exported whole, with both reports, proofs from the block files, the figure and the PDF
 * (when Chromium is installed), then verified offline. Target: export under a minute.
 *
 * Baseline, measured in the same run: reading every transaction of the case from the store
 * and writing its raw hex to a file, the least any export must do. The case is built once
 * with `chaintrail demo` and cached in bench/out/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openChainSource } from '@chaintrail/chain';
import { exportEvidenceBundle, verifyEvidenceBundle } from '@chaintrail/evidence';
import { JobJournal } from '@chaintrail/ingest';
import { openStore } from '@chaintrail/store';
import type { BenchReporter } from './reporter.js';

const USERS = 5_000;
const SEED = 2019;
const here = import.meta.dirname;
const home = join(here, 'out', `evidence-home-${USERS}`);
const world = join(home, 'demo', `world-seed${SEED}-users${USERS}`);

function buildCase(report: BenchReporter): void {
  if (existsSync(join(home, 'cases', 'demo.sqlite')) && existsSync(join(world, 'truth.json'))) return;
  const started = performance.now();
  const cli = join(here, '..', 'packages', 'cli', 'src', 'bin.ts');
  const run = spawnSync(process.execPath, ['--conditions=@chaintrail/source', '--import', 'tsx', cli, '--quiet', 'demo', '--no-serve', '--users', String(USERS), '--seed', String(SEED)], {
    env: { ...process.env, CHAINTRAIL_HOME: home, XDG_CACHE_HOME: join(home, 'xdg') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`chaintrail demo exited with ${run.status}`);
  report.note(`case built with chaintrail demo in ${((performance.now() - started) / 1000).toFixed(0)} s (cached in bench/out/ after the first run)`);
}

function journalTxids(journal: JobJournal): string[] {
  const txids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page = journal.storeTxids(after, 5_000);
    if (page.length === 0) return txids;
    txids.push(...page);
    after = page.at(-1) as string;
  }
}

export async function run(report: BenchReporter): Promise<void> {
  report.section(`evidence: export and verify a case of ${USERS.toLocaleString('en-US')} users`);
  buildCase(report);
  const store = await openStore(`sqlite:${join(home, 'cases', 'demo.sqlite')}`);
  const journal = JobJournal.open(join(home, 'cases', 'demo.journal.sqlite'));
  const source = await openChainSource(`blocks:${join(world, 'blocks')}`, { cacheDir: join(home, 'xdg', 'chaintrail') });
  const out = join(here, 'out', 'evidence-bundle');
  try {
    const record = (await store.listCases()).find((c) => c.name === 'demo');
    if (!record) throw new Error('the demo case is missing');
    const txids = journalTxids(journal);
    report.metric('case transactions', txids.length, 'tx', 'target: at least 10,000');

    // Baseline: every raw transaction read from the store and written to its own file.
    rmSync(out, { recursive: true, force: true });
    mkdirSync(join(out, 'raw'), { recursive: true });
    let started = performance.now();
    for (const txid of txids) writeFileSync(join(out, 'raw', `${txid}.hex`), (await store.getTransaction(txid)).raw);
    const baseline = (performance.now() - started) / 1000;
    rmSync(out, { recursive: true, force: true });
    rmSync(`${out}.zip`, { force: true });
    report.metric('baseline: read and write every raw transaction', baseline, 's');

    const stages = new Map<string, number>();
    let stage = '';
    let stageStart = performance.now();
    started = performance.now();
    const cpu = process.cpuUsage();
    const result = await exportEvidenceBundle({
      store,
      caseId: record.id,
      scope: { kind: 'case', name: null, description: 'the whole case', txids },
      reports: ['payers', 'flows'],
      out: `${out}.zip`,
      source,
      toolVersion: 'bench',
      network: 'mainnet',
      exportedAt: '2024-05-01T09:00:00Z',
      onProgress: (label) => {
        const key = label.split(' ')[0] as string;
        if (key === stage) return;
        const now = performance.now();
        if (stage !== '') stages.set(stage, (stages.get(stage) ?? 0) + (now - stageStart) / 1000);
        stage = key;
        stageStart = now;
      },
    });
    stages.set(stage, (stages.get(stage) ?? 0) + (performance.now() - stageStart) / 1000);
    const exported = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    report.metric('export (zip, both reports, proofs, figure, PDF)', exported, 's', 'target: < 60 s for 10,000 transactions');
    // Wall time depends on what else the machine runs; CPU time of this process (Chromium's own is not counted) does much less.
    report.metric('export CPU time (this process)', (used.user + used.system) / 1e6, 's');
    report.note(`stages: ${[...stages].map(([s, t]) => `${s} ${t.toFixed(1)} s`).join(', ')}`);
    report.metric('bundle', result.bytes / 1e6, 'MB', `${result.files.toLocaleString('en-US')} files; PDF ${result.manifest.optionalFiles.find((f) => f.path.endsWith('.pdf'))?.included ? 'included' : 'not produced'}`);
    report.ratio('export vs baseline', exported / baseline, { target: 'informational' });

    started = performance.now();
    const verified = await verifyEvidenceBundle(result.out);
    const verifying = (performance.now() - started) / 1000;
    report.metric('verify (offline)', verifying, 's', `verdict ${verified.verdict}, ${verified.failures.length} failures`);
    report.ratio('verify vs baseline', verifying / baseline, { target: 'informational' });
    rmSync(result.out, { force: true });
  } finally {
    await source.close();
    journal.close();
    await store.close();
  }
}
