import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '@chaintrail/store';
import { describeGraphStoreContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'chaintrail-sqlite-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stores = 0;
const freshPath = () => join(dir, `store-${++stores}.db`);

describeGraphStoreContract('SQLite', () => openStore(`sqlite:${freshPath()}`), {
  crash: {
    freshSpec: () => Promise.resolve(`sqlite:${freshPath()}`),
    // Pages of the open transaction reach the WAL once they overflow the page cache (kept
    // small here): from then on a kill interrupts SQLite itself, not the JavaScript before it.
    midBatch: async (spec, signal) => {
      const wal = `${spec.slice('sqlite:'.length)}-wal`;
      const start = walSize(wal);
      while (!signal.aborted && walSize(wal) < start + 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 20));
    },
    bigBatch: 100_000,
    openOptions: { sqlite: { cacheMiB: 2 } },
  },
});

function walSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
