/**
 * Both reports on real mainnet blocks with the real tag files: the seized list is every
 * address of the blocks that the OFAC SDN list, the ransomware, Ponzi and Interpol
 * TagPacks or two exchange TagPacks name. The payer report says which payments touch
 * sanctioned or otherwise tagged addresses (none of these blocks pays an OFAC-listed
 * address, which the report must say too), and the forfeiture report follows those
 * addresses' money within the blocks. Every figure is checked against the blocks parsed
 * here, independently of the ingest pipeline.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHasher } from '@chaintrail/chain';
import { isValidAddress, parseBlock, type Transaction } from '@chaintrail/core';
import { buildFlowReport, buildPayerReport, reportJson, type FlowReport, type PayerReport } from '@chaintrail/report';
import { readBlocksManifest, readRealBlockFile, type ManifestBlock } from '../support/real-blocks.js';
import { sharedData } from '../support/shared-data.js';
import { addressesIn, bitcoinAddressesInTagPack, ingestCase, type IngestedCase } from './report-world.js';

const BLOCK_FILES = ['hadoopcryptoledger/version4.blk', 'hadoopcryptoledger/scriptwitness2.blk', 'hadoopcryptoledger/block2019Jan.blk', 'bitcoinj/block481829.dat'];
const OFAC = ['tags', 'ofac', 'sanctioned_addresses_XBT.txt'];
const PACKS = ['ransomware.yaml', 'ponzi_scheme.yaml', 'interpol-real_services.yaml', 'exchange-wallets-bitfinexcom.yaml', 'binance.yaml'].map((f) => ['tags', 'graphsense-tagpacks', 'packs', f]);

interface BlockTx {
  readonly tx: Transaction;
  readonly height: number;
  readonly blockHash: string;
}

function blocksParsed(): BlockTx[] {
  const headers = new Map<string, ManifestBlock>();
  for (const entry of readBlocksManifest()) if (Array.isArray(entry.blocks)) for (const b of entry.blocks as ManifestBlock[]) headers.set(b.hash, b);
  return BLOCK_FILES.flatMap((file) =>
    readRealBlockFile(file).flatMap((raw) => {
      const block = parseBlock(raw, { hasher: nodeHasher });
      const height = headers.get(block.header.hash)?.bip34Height as number;
      return block.transactions.map((tx) => ({ tx, height, blockHash: block.header.hash }));
    }),
  );
}

describe('reports on real blocks with the OFAC list and real TagPacks', () => {
  const home = mkdtempSync(join(tmpdir(), 'chaintrail-report-real-'));
  const txs = blocksParsed();
  const ofac = new Set([...addressesIn(sharedData(...OFAC))].filter((a) => isValidAddress(a, { network: 'mainnet' })));
  const packed = new Map(PACKS.map((parts) => [`tagpack:${parts[parts.length - 1] as string}`, bitcoinAddressesInTagPack(sharedData(...parts))]));
  const tagged = new Set([...packed.values()].flatMap((set) => [...set]));
  const paid = txs.flatMap(({ tx, height, blockHash }) => tx.outputs.map((o, vout) => ({ address: o.address, txid: tx.txid, vout, value: o.value, height, blockHash })));
  const seeds = [...new Set(paid.filter((o) => o.address !== null && (ofac.has(o.address) || tagged.has(o.address))).map((o) => o.address as string))];
  const seedSet = new Set(seeds);
  let ingested: IngestedCase;
  let payers: PayerReport;
  let flows: FlowReport;

  beforeAll(async () => {
    const blocks = join(home, 'blocks');
    mkdirSync(blocks);
    BLOCK_FILES.forEach((file, i) => symlinkSync(sharedData('blocks', file), join(blocks, `${i}-${file.replace('/', '-')}`)));
    writeFileSync(join(home, 'seized.txt'), `${seeds.join('\n')}\n`);
    ingested = await ingestCase({ home: join(home, 'case'), blocks, seeds: join(home, 'seized.txt'), tagFiles: [sharedData(...OFAC), ...PACKS.map((parts) => sharedData(...parts))], hopsBack: 1, hopsForward: 1 });
    payers = await buildPayerReport(ingested.store, ingested.record);
    flows = await buildFlowReport(ingested.store, ingested.record, { fromSeeds: true });
  }, 600_000);

  afterAll(async () => {
    await ingested?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists every payment the blocks make to a seed, with its block, height and amount', () => {
    expect(seeds.length).toBeGreaterThan(3);
    const expected = paid.filter((o) => o.address !== null && seedSet.has(o.address)).map((o) => `${o.txid}:${o.vout} ${o.value} ${o.height} ${o.blockHash}`);
    const reported = [...payers.payments.map((p) => `${p.txid}:${p.vout} ${p.value}`), ...payers.excluded.map((e) => `${e.txid}:${e.vout} ${e.value}`)];
    expect(reported.sort()).toEqual(expected.map((r) => r.split(' ').slice(0, 2).join(' ')).sort());
    for (const p of payers.payments) expect(expected).toContain(`${p.txid}:${p.vout} ${p.value} ${p.height} ${p.blockHash}`);
  });

  it('says which payments touch sanctioned or tagged addresses, naming the source of every tag', () => {
    // No payment in these blocks goes to an OFAC-listed address; the report must not flag one either.
    const sanctionedFlags = payers.payments.filter((p) => p.flags.includes('category:sanction')).map((p) => p.txid);
    expect(sanctionedFlags).toEqual(payers.payments.filter((p) => ofac.has(p.seed.address)).map((p) => p.txid));
    for (const p of payers.payments) {
      const sources = [...packed].filter(([, set]) => set.has(p.seed.address)).map(([source]) => source);
      expect(p.seed.tags.map((t) => t.source).filter((s) => s.startsWith('tagpack:')).sort(), p.seed.address).toEqual([...new Set(sources)].sort());
      for (const t of p.seed.tags) if (t.category) expect(p.flags).toContain(`category:${t.category}`);
    }
    const ransom = payers.payments.filter((p) => packed.get('tagpack:ransomware.yaml')?.has(p.seed.address));
    expect(ransom.length).toBeGreaterThan(0);
    expect(payers.tagSources).toEqual(expect.arrayContaining(['tagpack:ransomware.yaml', 'tagpack:exchange-wallets-bitfinexcom.yaml']));
  });

  it('names the paying entity where the blocks hold the funding transaction, and says the rest lies beyond the data', () => {
    const inBlocks = new Set(txs.map((t) => t.tx.txid));
    for (const p of payers.payments) {
      const tx = txs.find((t) => t.tx.txid === p.txid)?.tx as Transaction;
      const parentsHere = !tx.isCoinbase && tx.inputs.every((i) => inBlocks.has(i.prevout.txid));
      if (parentsHere) expect(p.fundedBy, p.txid).not.toBeNull();
      else expect(p.sources.some((s) => s.kind === 'not-ingested' || s.kind === 'coinbase'), p.txid).toBe(true);
      expect(p.sources.reduce((a, s) => a + s.amount, 0n)).toBe(p.value);
    }
  });

  it("follows the seeds' money within the blocks: it reconciles, and what no block spends is listed as held", () => {
    const spent = new Set(txs.flatMap(({ tx }) => (tx.isCoinbase ? [] : tx.inputs.map((i) => `${i.prevout.txid}:${i.prevout.vout}`))));
    const unspentSeedOutputs = paid.filter((o) => o.address !== null && seedSet.has(o.address) && !spent.has(`${o.txid}:${o.vout}`));
    for (const r of flows.results) {
      expect(r.reconciliation.balanced && r.reconciliation.downstream.balanced, r.model.name).toBe(true);
      expect(r.reconciliation.received, r.model.name).toBeGreaterThan(0n);
    }
    const poison = flows.results.find((r) => r.model.name === 'poison');
    const held = poison?.holdings.filter((h) => h.holder === null).map((h) => `${h.txid}:${h.vout} ${h.tainted}`);
    expect(held?.sort()).toEqual(unspentSeedOutputs.map((o) => `${o.txid}:${o.vout} ${o.value}`).sort());
  });

  it('records the block it was computed at, and gives the same bytes again', async () => {
    const heights = new Set(txs.map((t) => t.height));
    expect(heights.has(payers.computedAt.height as number)).toBe(true);
    expect(payers.computedAt.hash).toBe(txs.find((t) => t.height === payers.computedAt.height)?.blockHash);
    expect(reportJson(await buildFlowReport(ingested.store, ingested.record, { fromSeeds: true }))).toBe(reportJson(flows));
  });
});
