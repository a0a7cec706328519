import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBlockFiles, nodeHasher, readBlockRecords } from '@chaintrail/chain';
import { FixtureWorld, startEsploraFixtureServer, type FixtureServer } from '@chaintrail/chain/testing';
import { bip34Height, parseBlock } from '@chaintrail/core';
import { generateWorld, type WorldSummary } from '@chaintrail/scenario';

export interface GeneratedWorld {
  readonly dir: string;
  readonly summary: WorldSummary;
}

/** A fresh temporary directory for one test's data (CHAINTRAIL_HOME, worlds). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `chaintrail-e2e-${prefix}-`));
}

/** A small scenario world: block files, the noisy seized list, tags.yaml and truth.json. */
export async function smallWorld(users: number, seed: number): Promise<GeneratedWorld> {
  const dir = join(tempDir(`world${users}`), 'world');
  return { dir, summary: await generateWorld({ users, seed }, dir) };
}

/**
 * The world's block files served over Esplora's REST routes by the chain package's fixture
 * server, which builds every answer (transactions with prevouts, address histories, merkle
 * proofs, headers) from the same blocks.
 */
export async function serveWorldOverEsplora(dir: string): Promise<FixtureServer> {
  const world = new FixtureWorld('mainnet');
  const { files, xorKey } = listBlockFiles(join(dir, 'blocks'));
  for (const file of files) {
    for (const record of readBlockRecords(file, xorKey)) {
      if (record.kind !== 'block') continue;
      const block = parseBlock(record.bytes, { hasher: nodeHasher });
      const height = bip34Height(block.header.version, block.transactions[0] as (typeof block.transactions)[number]);
      if (height === null) throw new Error(`block ${block.header.hash} of ${file.path} declares no height`);
      world.addBlock(record.bytes, height);
    }
  }
  return startEsploraFixtureServer({ world });
}
