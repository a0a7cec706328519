/**
 * The data the API tests serve: a generated scenario world (blocks, seized list, exchange
 * TagPack) and the real blocks 0-589 from ../shared/data, loaded into a store the way the
 * pipeline does it (core parses, the store writes, ingest imports tags and clusters), plus
 * a case with the seized addresses as seeds. Expected answers come from ChainOracle over
 * the parsed blocks, never from a store.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidAddress } from '@chaintrail/core';
import { importTags, runClustering } from '@chaintrail/ingest';
import { generateWorld, type WorldSummary } from '@chaintrail/scenario';
import type { GraphStore, SeedRecord, TxWrite } from '@chaintrail/store';
import { blkBlocks, firstBlocks, loadBlocks, type LoadedBlock } from '../store/block-fixtures.js';
import { ChainOracle } from '../store/chain-oracle.js';

export const CASE_ID = 'case-wtv';

export interface ApiWorld {
  readonly dir: string;
  readonly summary: WorldSummary;
  readonly blocks: LoadedBlock[];
  readonly writes: TxWrite[];
  readonly oracle: ChainOracle;
  /** Seized addresses in file order, first line of each. */
  readonly seeds: SeedRecord[];
  /** The TagPack's tags (address and label), in file order. */
  readonly tags: { readonly address: string; readonly label: string }[];
  dispose(): void;
}

/** Generates a small world (100 users by default) into a fresh temporary folder and parses it. */
export async function makeApiWorld(users = 100, seed = 7): Promise<ApiWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-api-world-'));
  const summary = await generateWorld({ users, seed }, dir);
  const blocksDir = join(dir, 'blocks');
  const raws = readdirSync(blocksDir)
    .filter((name) => /^blk\d{5}\.dat$/.test(name))
    .sort()
    .flatMap((name) => blkBlocks(new Uint8Array(readFileSync(join(blocksDir, name)))));
  const blocks = [...firstBlocks(), ...loadBlocks(raws, summary.firstHeight)];
  const writes = blocks.flatMap((block) => block.writes);
  const seeds: SeedRecord[] = [];
  const seen = new Set<string>();
  readFileSync(join(dir, 'seized-addresses.txt'), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const address = text.trim();
      if (address === '' || seen.has(address) || !isValidAddress(address, { network: 'mainnet' })) return;
      seen.add(address);
      seeds.push({ address, line: index + 1, file: 'seized-addresses.txt' });
    });
  const tags = [...readFileSync(join(dir, 'tags.yaml'), 'utf8').matchAll(/^\s+- address: (\S+)\n\s+label: (.+)$/gm)].map((m) => ({ address: m[1]!, label: m[2]!.trim() }));
  return {
    dir,
    summary,
    blocks,
    writes,
    oracle: new ChainOracle(writes),
    seeds,
    tags,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Loads the world into `store`: transactions, headers, tags, a clustering run, the case and its seeds. */
export async function loadApiWorld(store: GraphStore, world: ApiWorld): Promise<void> {
  for (let i = 0; i < world.writes.length; i += 2000) await store.writeTransactions(world.writes.slice(i, i + 2000));
  await store.writeBlockHeaders(world.blocks.map((block) => block.header));
  await importTags({ store, path: join(world.dir, 'tags.yaml') });
  const txids = world.writes.map((write) => write.tx.txid).sort();
  const tagged = [...new Set(world.tags.map((tag) => tag.address))].sort();
  await runClustering({ store, txids: pagerOf(txids), total: txids.length, taggedAddresses: pagerOf(tagged) });
  await store.createCase({ id: CASE_ID, name: 'Scenario site (seed 7)', description: 'Generated world modelled on Welcome to Video' });
  await store.addSeeds(CASE_ID, world.seeds);
  await store.setCheckpoint({ jobId: `ingest:${CASE_ID}`, caseId: CASE_ID, kind: 'ingest', state: { phase: 'done', txs: world.writes.length } });
}

function pagerOf(sorted: readonly string[]) {
  return (after: string | null, limit: number): readonly string[] => {
    let start = 0;
    if (after !== null) {
      start = sorted.findIndex((id) => id > after);
      if (start === -1) return [];
    }
    return sorted.slice(start, start + limit);
  };
}
