import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureWorld } from '@chaintrail/chain/testing';
import { sharedData } from '../support/shared-data.js';

/** Hash of block 680000, whose transactions `esplora/block680000_txs` holds page by page. */
export const block680000 = '000000000000000000076c036ff5119e5a5a74df77abf64203473364509f7732';

/**
 * Recorded Esplora answers: block 680000's transactions from 25 on (the recording starts at
 * page 25), each at its position in the block, and the mempool project's `/tx/:txid` fixtures.
 */
export function loadEsploraRecordings(world: FixtureWorld = new FixtureWorld()): FixtureWorld {
  const dir = sharedData('esplora', 'block680000_txs');
  for (const name of readdirSync(dir)) {
    const start = Number(/^response(\d+)\.json$/.exec(name)?.[1]);
    const page = JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown[];
    page.forEach((tx, i) => world.addEsploraTx(tx, start + i));
  }
  for (const name of ['transactions-random.json', 'non-standard-txs.json', 'tx01_api_cached.json', 'tx02_api_tx.json']) {
    const value = JSON.parse(readFileSync(sharedData('esplora', 'mempool-fixtures', name), 'utf8')) as unknown;
    for (const tx of Array.isArray(value) ? value : [value]) world.addEsploraTx(tx);
  }
  return world;
}

/** Raw bytes of each block in a blk-framed file (magic, length, block), in file order. */
export function blkFrames(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Uint8Array[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at + 4, true);
    frames.push(bytes.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return frames;
}

/** The first `count` blocks of mainnet (heights 0 to count - 1) from hadoopcryptoledger's firstblocks.blk. */
export function loadFirstBlocks(world: FixtureWorld = new FixtureWorld(), count = 590): FixtureWorld {
  const frames = blkFrames(readFileSync(sharedData('blocks', 'hadoopcryptoledger', 'firstblocks.blk')));
  frames.slice(0, count).forEach((raw, height) => world.addBlock(raw, height));
  return world;
}
