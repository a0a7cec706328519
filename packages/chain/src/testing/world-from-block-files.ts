import { bip34Height, parseBlockHeader, scanBlock, parseTransaction } from '@chaintrail/core';
import { listBlockFiles, readBlockRecords } from '../block-file-reader.js';
import { arrangeChain, type ChainNode } from '../header-chain.js';
import { nodeHasher } from '../node-hasher.js';
import { FixtureWorld } from './fixture-world.js';

/**
 * A {@link FixtureWorld} holding the best chain of the blocks at `path` (a directory of
 * `blk*.dat`, with `xor.dat` if obfuscated, or one block file), in chain order with their
 * heights: how end-to-end tests serve a generated scenario world over Esplora and Core RPC.
 * Holds everything in memory; meant for test-sized worlds.
 */
export function worldFromBlockFiles(path: string, world: FixtureWorld = new FixtureWorld()): FixtureWorld {
  const { files, xorKey } = listBlockFiles(path);
  const raws: Uint8Array[] = [];
  const nodes: ChainNode[] = [];
  for (const file of files) {
    const records = readBlockRecords(file, xorKey);
    for (let next = records.next(); !next.done; next = records.next()) {
      if (next.value.kind !== 'block') continue;
      const bytes = next.value.bytes;
      const header = parseBlockHeader(bytes, 0, { hasher: nodeHasher });
      const first = scanBlock(bytes, { hasher: nodeHasher }).txs[0];
      const coinbase = first ? parseTransaction(bytes.subarray(first.start, first.end), { network: world.network, hasher: nodeHasher }) : undefined;
      nodes.push({ id: raws.length, hash: header.hash, prevHash: header.prevHash, bits: header.bits, time: header.time, bip34: coinbase ? bip34Height(header.version, coinbase) : null });
      raws.push(bytes);
    }
  }
  const { places } = arrangeChain(nodes);
  const chain = nodes
    .map((node) => ({ node, place: places.get(node.id) }))
    .filter((entry) => entry.place?.ordinal != null)
    .sort((a, b) => (a.place?.ordinal ?? 0) - (b.place?.ordinal ?? 0));
  for (const { node, place } of chain) {
    if (place?.height == null) throw new RangeError(`Block ${node.hash} in ${path} has no known height; a fixture world needs heights.`);
    world.addBlock(raws[node.id] as Uint8Array, place.height);
  }
  return world;
}
