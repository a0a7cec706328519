import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidAddress } from '@chaintrail/core';
import { openChainSource, type ChainSource, type SourceTx } from '@chaintrail/chain';
import { startCoreRpcFixtureServer, startEsploraFixtureServer, worldFromBlockFiles, type FixtureServer } from '@chaintrail/chain/testing';
import { generateWorld } from '@chaintrail/scenario';
import { allPages } from './paging.js';

/**
 * One generated world, obfuscated with xor.dat as Bitcoin Core 28 writes it, read three ways:
 * from its block files, and over Esplora and Core RPC served from the same blocks. Every
 * answer must agree, whatever path it took.
 */
let root: string;
let blocks: ChainSource;
let esplora: ChainSource;
let core: ChainSource;
let servers: FixtureServer[] = [];
let addresses: string[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'chaintrail-agree-'));
  await generateWorld({ seed: 7, users: 60, obfuscate: true }, join(root, 'world'));
  const world = worldFromBlockFiles(join(root, 'world', 'blocks'));
  servers = [await startEsploraFixtureServer({ world }), await startCoreRpcFixtureServer({ world, user: 'u', password: 'p' })];
  blocks = await openChainSource(`blocks:${join(root, 'world', 'blocks')}`, { cacheDir: join(root, 'cache'), pageSize: 25 });
  esplora = await openChainSource(`esplora:${servers[0]?.url}`, { cacheDir: join(root, 'cache') });
  core = await openChainSource(`core:http://u:p@${servers[1]?.url.slice('http://'.length)}`);
  const seized = readFileSync(join(root, 'world', 'seized-addresses.txt'), 'utf8').split('\n');
  // The seized list carries deliberate typos, as real ones do; those are the importer's business.
  addresses = [...new Set(seized.map((line) => line.trim()).filter((line) => isValidAddress(line, { network: 'mainnet' })))].slice(0, 12);
});

afterAll(async () => {
  for (const source of [blocks, esplora, core]) await source?.close();
  for (const server of servers) await server.close();
  rmSync(root, { recursive: true, force: true });
});


/** What every source must say alike about a transaction. */
function essence(tx: SourceTx | null) {
  return {
    raw: tx?.raw,
    block: tx?.placement && { hash: tx.placement.blockHash, height: tx.placement.blockHeight, time: tx.placement.blockTime },
    prevouts: tx?.prevouts.map((p) => p && { value: p.value, address: p.address, scriptPubKey: p.scriptPubKey }),
    unresolved: tx?.unresolvedPrevouts,
  };
}

describe('block files, Esplora and Core RPC over one generated world', () => {
  it('give the same address histories, newest first', async () => {
    expect(addresses.length).toBeGreaterThan(5);
    let seen = 0;
    for (const address of addresses) {
      const fromBlocks = await allPages(blocks, address);
      const fromEsplora = await allPages(esplora, address);
      expect(fromEsplora.map((t) => t.tx.txid)).toEqual(fromBlocks.map((t) => t.tx.txid));
      seen += fromBlocks.length;
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('give the same transactions, placements and prevouts', async () => {
    const txids = [...new Set((await Promise.all(addresses.map((a) => allPages(blocks, a)))).flat().map((t) => t.tx.txid))];
    for (const txid of txids) {
      const expected = essence(await blocks.tx(txid));
      expect(essence(await esplora.tx(txid))).toEqual(expected);
      expect(essence(await core.tx(txid))).toEqual(expected);
      expect(expected.unresolved).toEqual([]);
    }
  });

  it('name the same spenders of outputs; Core RPC, with no spend index, says it cannot', async () => {
    const txs = [...new Map((await Promise.all(addresses.map((a) => allPages(blocks, a)))).flat().map((t) => [t.tx.txid, t])).values()];
    const outpoints = txs.flatMap((t) => t.tx.outputs.map((_, vout) => ({ txid: t.tx.txid, vout })));
    const fromBlocks = await blocks.outspends(outpoints);
    expect(await esplora.outspends(outpoints)).toEqual(fromBlocks);
    expect(fromBlocks.some((a) => a === null)).toBe(true);
    const spent = fromBlocks.flatMap((a, i) => (a === null ? [] : [{ spend: a, outpoint: outpoints[i] }]));
    expect(spent.length).toBeGreaterThan(0);
    for (const { spend, outpoint } of spent) expect((await blocks.tx(spend.txid))?.tx.inputs[spend.vin]?.prevout).toEqual(outpoint);
    expect(core.capabilities.outspends).toBe(false);
    await expect(core.outspends(outpoints.slice(0, 1))).rejects.toMatchObject({ code: 'CHAINTRAIL_SOURCE_UNSUPPORTED' });
  });

  it('give the same merkle proofs, headers and tip', async () => {
    const histories = await Promise.all(addresses.map((a) => allPages(blocks, a)));
    const txid = histories.flat()[0]?.tx.txid as string;
    const proofs = await Promise.all([blocks, esplora, core].map((s) => s.merkleProof(txid)));
    expect(proofs[1]).toEqual(proofs[0]);
    expect(proofs[2]).toEqual(proofs[0]);
    const tip = await blocks.tip();
    expect(await esplora.tip()).toEqual(tip);
    expect(await core.tip()).toEqual(tip);
    expect((await esplora.blockHeader(tip.height as number))?.raw).toBe((await blocks.blockHeader(tip.hash))?.raw);
  });
});
