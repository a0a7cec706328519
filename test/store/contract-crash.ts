/**
 * Crash safety: a process killed with SIGKILL in the middle of a batch leaves the store as
 * it was before that batch, and keeps every batch committed earlier.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type GraphStore, type OpenStoreOptions } from '@chaintrail/store';
import { repoRoot } from '../support/shared-data.js';
import { syntheticChain } from './synthetic-txs.js';
import { firstBlocks } from './block-fixtures.js';

export interface CrashOptions {
  /** An openStore spec naming a new, empty store that a child process can open too. */
  freshSpec(): Promise<string>;
  /**
   * Resolves once the store shows the big batch being written (SQLite: its WAL file
   * growing), so the kill lands inside the write and not before it.
   */
  midBatch(spec: string, signal: AbortSignal): Promise<void>;
  /** Transactions in the batch that is killed; large enough to take seconds. */
  readonly bigBatch: number;
  /** How the child process opens the store (e.g. a small SQLite page cache, so the WAL grows early). */
  readonly openOptions?: OpenStoreOptions;
}

const smallBatch = 500;

export function describeCrashSafety(options: CrashOptions): void {
  describe('crash safety', () => {
    it('a batch killed midway (SIGKILL) leaves the store as before it; earlier batches stay', { timeout: 180_000 }, async () => {
      const spec = await options.freshSpec();
      const early = firstBlocks().slice(0, 200).flatMap((b) => b.writes);
      let store = await openStore(spec);
      await store.writeTransactions(early);
      const before = await snapshot(store, early[150]!.tx.outputs[0]!.address!);
      await store.close();

      const child = spawn(process.execPath, ['--conditions=@chaintrail/source', '--import', 'tsx', join('test', 'store', 'crash-writer.ts'), spec, String(smallBatch), String(options.bigBatch), JSON.stringify(options.openOptions ?? {})], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('BEGIN')) resolve();
        });
        void exited.then(() => reject(new Error(`crash writer exited before its big batch: ${stderr}`)));
      });
      const abort = new AbortController();
      await Promise.race([options.midBatch(spec, abort.signal), exited]);
      abort.abort();
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(stdout, 'the big batch finished before the kill; raise bigBatch').not.toContain('DONE');

      store = await openStore(spec);
      try {
        const after = await snapshot(store, early[150]!.tx.outputs[0]!.address!);
        const committed = syntheticChain('committed', smallBatch, 100);
        const killed = syntheticChain('killed', 3, 50_000);
        expect(after.stats).toEqual({ ...before.stats, transactions: before.stats.transactions + smallBatch, outputs: before.stats.outputs + 2 * smallBatch, addresses: before.stats.addresses + 100 });
        expect(after.summary).toEqual(before.summary);
        expect(await store.hasTransactions([committed[0]!.tx.txid, committed.at(-1)!.tx.txid, killed[0]!.tx.txid])).toEqual([committed[0]!.tx.txid, committed.at(-1)!.tx.txid]);
        // The store still takes writes: the killed batch can be written again.
        expect(await store.writeTransactions(killed)).toEqual({ transactions: 3 });
      } finally {
        await store.close();
      }
    });
  });
}

async function snapshot(store: GraphStore, address: string) {
  return { stats: await store.stats(), summary: await store.addressSummary(address) };
}
