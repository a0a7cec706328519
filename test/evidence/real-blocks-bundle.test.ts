import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBlock } from '@chaintrail/core';
import { verifyEvidenceBundle, type EvidenceManifest } from '@chaintrail/evidence';
import { openStore } from '@chaintrail/store';
import { chaintrail, chaintrailJson } from '../e2e/cli-binary.js';
import { tempDir } from '../e2e/scenario-world.js';
import { readRealBlockFile } from '../support/real-blocks.js';
import { sharedData } from '../support/shared-data.js';
import { csvRows } from './bundle-tamper.js';

/**
 * Bundles of cases ingested from real mainnet blocks (../shared/data): their headers meet
 * mainnet's proof of work, and every figure is checked against real transactions.
 */
async function bundleOf(blockFile: string, seeds: readonly string[], hops: readonly string[]): Promise<{ dir: string; manifest: EvidenceManifest; home: { home: string } }> {
  const home = { home: tempDir('evidence-real') };
  const seedFile = join(home.home, 'seeds.txt');
  writeFileSync(seedFile, `${seeds.join('\n')}\n`);
  await chaintrailJson(['case', 'create', 'real'], home);
  await chaintrailJson(['import', seedFile, '--case', 'real'], home);
  await chaintrailJson(['ingest', '--case', 'real', '--source', `blocks:${sharedData('blocks', ...blockFile.split('/'))}`, ...hops], home);
  const dir = join(home.home, 'bundle');
  await chaintrailJson(['export', '--case', 'real', '--out', dir, '--no-render', '--exported-at', '2024-05-01T09:00:00Z'], home);
  return { dir, manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as EvidenceManifest, home };
}

describe('evidence bundles of real mainnet blocks', () => {
  it("proves the first person-to-person payment (block 170, Satoshi to Hal Finney) against mainnet's proof of work up to block 589", async () => {
    const hal = '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3';
    const { dir, manifest, home } = await bundleOf('hadoopcryptoledger/firstblocks.blk', [hal], ['--hops-back', '1', '--hops-forward', '1']);
    expect(manifest.chain.proofOfWorkNetwork).toBe('mainnet');
    expect(manifest.chain.tip?.height).toBe(589);
    expect(manifest.proofs.complete).toBe(true);
    const report = await verifyEvidenceBundle(dir);
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.notes.filter((n) => /proof of work/.test(n))).toEqual([]);

    const payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
    expect(csvRows(dir, 'tables/payments-to-seeds.csv')).toContainEqual(expect.objectContaining({ txid: payment, vout: '0', seed_address: hal, value_sat: '1000000000', block_height: '170' }));
    const tx = csvRows(dir, 'tables/transactions.csv').find((r) => r['txid'] === payment);
    // Its parent, block 9's coinbase, is in the bundle: the input total and the fee are proven.
    expect(tx).toMatchObject({ block_height: '170', input_total_sat: '5000000000', output_total_sat: '5000000000', fee_sat: '0', merkle_proof: 'included' });
    const headers = csvRows(dir, 'proofs/headers.csv');
    expect(headers[0]?.['height']).toBe('9');
    expect(headers).toHaveLength(589 - 9 + 1);

    // A saved view of the same case: only its transaction and those that prove it.
    const store = await openStore(`sqlite:${join(home.home, 'cases', 'real.sqlite')}`);
    try {
      await store.saveView((await store.listCases())[0]!.id, { name: 'the first payment', state: { nodes: [{ kind: 'tx', id: payment, x: 0, y: 0 }] } });
    } finally {
      await store.close();
    }
    const viewBundle = join(home.home, 'view.zip');
    await chaintrailJson(['export', '--case', 'real', '--report', 'view:the first payment', '--out', viewBundle, '--no-render'], home);
    const viewReport = await verifyEvidenceBundle(viewBundle);
    expect(viewReport.failures).toEqual([]);
    expect(viewReport.verdict).toBe('pass');
    // The payment, and block 9's coinbase whose output it spends.
    expect(viewReport.checked.transactions).toBe(2);
    const missing = await chaintrail(['export', '--case', 'real', '--report', 'view:no such view', '--out', join(home.home, 'none.zip')], home);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('the first payment');
  }, 300_000);

  it('proves segwit-era payments whose parents were never ingested, leaving their inputs unresolved rather than guessed', async () => {
    const file = 'btcd/block-00000000000000000021868c2cefc52a480d173c849412fe81c4e5ab806f94ab.blk';
    const block = parseBlock(readRealBlockFile(file)[0]!);
    const seeds = block.transactions
      .slice(1)
      .filter((t) => t.hasWitness)
      .map((t) => t.outputs.find((o) => o.address !== null && !o.address.startsWith('script:'))?.address)
      .filter((a): a is string => a !== undefined)
      .slice(0, 4);
    expect(seeds).toHaveLength(4);
    const { dir, manifest } = await bundleOf(file, seeds, ['--hops-back', '0', '--hops-forward', '0']);
    expect(manifest.chain.tip).toEqual({ height: 540107, hash: block.header.hash });
    expect(manifest.proofs.complete).toBe(true);
    const report = await verifyEvidenceBundle(dir);
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('pass');
    const inputs = csvRows(dir, 'tables/inputs.csv');
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.every((i) => i['resolved'] === 'no' && i['value_sat'] === '')).toBe(true);
    expect(csvRows(dir, 'tables/transactions.csv').every((t) => t['fee_sat'] === '' && t['merkle_proof'] === 'included' && t['block_height'] === '540107')).toBe(true);
    expect(new Set(csvRows(dir, 'tables/payments-to-seeds.csv').map((p) => p['seed_address']))).toEqual(new Set(seeds));
  }, 300_000);
});
