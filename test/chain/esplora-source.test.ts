import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, parseTransaction, verifyMerkleProof } from '@chaintrail/core';
import { EsploraSource, type EsploraSourceOptions, type SourceTx } from '@chaintrail/chain';
import type { FixtureWorld} from '@chaintrail/chain/testing';
import { FaultPlan, startEsploraFixtureServer, type FaultRule, type FixtureServer } from '@chaintrail/chain/testing';
import { caught } from './caught.js';
import { block680000, loadEsploraRecordings, loadFirstBlocks } from './real-world.js';
import { allPages } from './paging.js';

/** The address with the most transactions in the recorded block 680000 pages (22). */
const busyAddress = 'bc1qwfgdjyy95aay2686fn74h6a4nu9eev6np7q4fn204dkj3274frlqrskvx0';
/** A transaction of block 680000 (position 26) with two P2SH-P2WPKH inputs. */
const segwitTx = '33341da7e65389afb3f49b313e259476c46467b5988271ef54ee4812f559c7d6';
/** The first person-to-person payment, block 170 (Satoshi to Hal Finney). */
const block170Payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
/** An unconfirmed transaction from the mempool project's fixtures. */
const unconfirmedTx = '13f007241d78e8b0b4e57d2ae3fd37bcfe3226534d7cadeba5a549860d960db0';

let world: FixtureWorld;
const open: { close(): Promise<void> }[] = [];
const dirs: string[] = [];

beforeAll(() => {
  world = loadFirstBlocks(loadEsploraRecordings());
});

afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Waits the client asked for, instead of sleeping through them. */
function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) };
}

async function serve(faults: readonly FaultRule[] = [], pageSize = 25): Promise<FixtureServer> {
  const server = await startEsploraFixtureServer({ world, faults: new FaultPlan(faults), pageSize });
  open.push(server);
  return server;
}

function source(server: FixtureServer, options: Partial<EsploraSourceOptions> = {}): EsploraSource {
  const esplora = new EsploraSource({
    baseUrl: server.url,
    sleep: () => Promise.resolve(),
    limits: { timeoutMs: 10_000, requestsPerSecond: 1_000, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 } },
    ...options,
  });
  open.push(esplora);
  return esplora;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-esplora-'));
  dirs.push(dir);
  return dir;
}


describe('EsploraSource on real recorded answers', () => {
  it('returns a confirmed transaction decoded, raw and placed, with the prevouts the server claims', async () => {
    const server = await serve();
    const tx = await source(server).tx(segwitTx);
    expect(tx).not.toBeNull();
    const { tx: decoded, raw, placement, prevouts, prevoutTrust } = tx as SourceTx;
    expect(parseTransaction(fromHex(raw)).txid).toBe(segwitTx);
    expect(decoded.txid).toBe(segwitTx);
    expect(placement).toEqual({ blockHash: block680000, blockHeight: 680000, blockTime: 1618999138, position: null });
    expect(prevoutTrust).toBe('source-claimed');
    expect(prevouts.map((p) => [p?.address, p?.value])).toEqual([
      ['34g9Jm72jtxj4qiYJMBM3MX3MAt5iSpZhK', 996742],
      ['3NAkSmg9Et9LHkxLoo9pPVwXFWakLdE5kF', 845884229],
    ]);
  });

  it('answers null for an unknown txid, without retrying a 404', async () => {
    const server = await serve();
    const esplora = source(server);
    expect(await esplora.tx('00'.repeat(32))).toBeNull();
    expect(server.hits()).toBe(1);
    expect(esplora.stats().retries).toBe(0);
  });

  it('pages through an address history with last_seen_txid and returns every transaction once', async () => {
    const server = await serve([], 5);
    const esplora = source(server, { pageSize: 5 });
    const txs = await allPages(esplora, busyAddress);
    expect(txs.map((t) => t.tx.txid)).toEqual(world.confirmedHistory(busyAddress));
    expect(txs).toHaveLength(22);
    expect(server.hits(/\/txs\/chain\/[0-9a-f]{64}$/)).toBe(4);
    for (const { tx, prevouts } of txs) {
      expect(tx.outputs.some((o) => o.address === busyAddress) || prevouts.some((p) => p?.address === busyAddress)).toBe(true);
    }
  });

  it('proves a transaction in a block with a merkle branch checked against the header', async () => {
    const server = await serve();
    const proof = await source(server).merkleProof(block170Payment);
    expect(proof?.blockHeight).toBe(170);
    expect(proof?.pos).toBe(1);
    expect(proof && verifyMerkleProof(block170Payment, proof, proof.header.merkleRoot)).toBe(true);
    expect(proof?.header.hash).toBe(world.blockAtHeight(170)?.hash);
  });

  it('reads headers by hash and by height, and the tip', async () => {
    const server = await serve();
    const esplora = source(server);
    const byHeight = await esplora.blockHeader(9);
    const byHash = await esplora.blockHeader(world.blockAtHeight(9)?.hash ?? '');
    expect(byHeight?.hash).toBe('000000008d9dc510f23c2657fc4f67bea30078cc05a90eb89e84cc475c080805');
    expect(byHash?.raw).toBe(byHeight?.raw);
    expect(await esplora.tip()).toEqual({ height: 589, hash: world.blockAtHeight(589)?.hash });
    expect(await esplora.blockHeader(590)).toBeNull();
  });

  it('joins concurrent requests for the same transaction into one', async () => {
    const server = await serve();
    const esplora = source(server);
    const answers = await Promise.all(Array.from({ length: 8 }, () => esplora.tx(segwitTx)));
    expect(new Set(answers.map((a) => a?.raw)).size).toBe(1);
    expect(server.hits(`/tx/${segwitTx}`)).toBe(1);
  });
});

describe('EsploraSource outspends', () => {
  const block9Coinbase = '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9';
  const route = `/tx/${block9Coinbase}/outspends`;

  it('names the confirmed input spending an output, checked against the spender, null for an unknown transaction', async () => {
    const server = await serve();
    const esplora = source(server);
    const answers = await esplora.outspends([{ txid: block9Coinbase, vout: 0 }, { txid: '11'.repeat(32), vout: 0 }, { txid: block9Coinbase, vout: 0 }]);
    expect(answers).toEqual([{ txid: block170Payment, vin: 0 }, null, { txid: block170Payment, vin: 0 }]);
    expect(server.hits(route)).toBe(1);
  });

  it('rejects a spend the named input does not make', async () => {
    const server = await serve([{ match: route, fault: { kind: 'tamper' } }]);
    const error = await caught(source(server).outspends([{ txid: block9Coinbase, vout: 0 }]));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_BAD_ANSWER');
    expect(error.message).toContain('does not spend it');
  });

  it('caches the answer, and asks again when told to refresh', async () => {
    const server = await serve();
    const cacheDir = tempDir();
    const first = await source(server, { cacheDir }).outspends([{ txid: block9Coinbase, vout: 0 }]);
    const again = source(server, { cacheDir });
    expect(await again.outspends([{ txid: block9Coinbase, vout: 0 }])).toEqual(first);
    expect(again.stats().requests).toBe(0);
    const refreshed = source(server, { cacheDir, refreshAddressHistory: true });
    expect(await refreshed.outspends([{ txid: block9Coinbase, vout: 0 }])).toEqual(first);
    expect(server.hits(route)).toBe(2);
  });
});

describe('EsploraSource cache', () => {
  async function work(esplora: EsploraSource): Promise<unknown[]> {
    return [
      (await allPages(esplora, busyAddress)).map((t) => t.tx.txid),
      (await esplora.tx(segwitTx))?.raw,
      await esplora.rawTx(block170Payment),
      (await esplora.merkleProof(block170Payment))?.header.raw,
      (await esplora.blockHeader(world.blockAtHeight(100)?.hash ?? ''))?.raw,
    ];
  }

  it('makes zero requests when the same work runs a second time', async () => {
    const server = await serve([], 5);
    const cacheDir = tempDir();
    const first = await work(source(server, { cacheDir, pageSize: 5 }));
    const requestsOfFirstRun = server.hits();
    expect(requestsOfFirstRun).toBeGreaterThan(5);
    const again = source(server, { cacheDir, pageSize: 5 });
    expect(await work(again)).toEqual(first);
    expect(server.hits()).toBe(requestsOfFirstRun);
    expect(again.stats()).toMatchObject({ requests: 0, cacheRejected: 0 });
  });

  it('asks again for the newest page of a history when told to refresh, and for nothing older', async () => {
    const server = await serve([], 5);
    const cacheDir = tempDir();
    const first = await allPages(source(server, { cacheDir, pageSize: 5 }), busyAddress);
    const before = server.hits();
    const refreshed = await allPages(source(server, { cacheDir, pageSize: 5, refreshAddressHistory: true }), busyAddress);
    expect(refreshed.map((t) => t.tx.txid)).toEqual(first.map((t) => t.tx.txid));
    expect(server.requests.slice(before).map((r) => r.path)).toEqual([`/address/${busyAddress}/txs/chain`]);
  });

  it('does not cache an unconfirmed transaction, whose status will change', async () => {
    const server = await serve();
    const cacheDir = tempDir();
    expect((await source(server, { cacheDir }).tx(unconfirmedTx))?.placement).toBeNull();
    await source(server, { cacheDir }).tx(unconfirmedTx);
    expect(server.hits(`/tx/${unconfirmedTx}`)).toBe(2);
  });

  it('rejects an edited cache file and fetches the answer again', async () => {
    const server = await serve();
    const cacheDir = tempDir();
    await source(server, { cacheDir }).tx(segwitTx);
    const file = join(cacheDir, 'v1', 'tx', segwitTx.slice(0, 2), segwitTx);
    const edited = JSON.parse(readFileSync(file, 'utf8')) as { vout: { value: number }[] };
    (edited.vout[1] as { value: number }).value += 100_000;
    writeFileSync(file, JSON.stringify(edited));
    const esplora = source(server, { cacheDir });
    const tx = await esplora.tx(segwitTx);
    expect(tx?.tx.outputs[1]?.value).toBe(845718007);
    expect(esplora.stats().cacheRejected).toBe(1);
    expect(server.hits(`/tx/${segwitTx}`)).toBe(2);
  });
});

describe('EsploraSource under injected faults', () => {
  const route = `/tx/${segwitTx}`;

  it('honours Retry-After on 429 and pauses before the next attempt', async () => {
    const server = await serve([{ match: route, fault: { kind: 'status', status: 429, retryAfter: '7' } }]);
    const { sleeps, sleep } = recordingSleep();
    const tx = await source(server, { sleep }).tx(segwitTx);
    expect(tx?.tx.txid).toBe(segwitTx);
    expect(sleeps).toEqual([7000]);
    expect(server.hits(route)).toBe(2);
  });

  it('backs off with jitter on 500s, within the exponential cap, and then succeeds', async () => {
    const server = await serve([{ match: route, fault: { kind: 'status', status: 500 }, times: 3 }]);
    const { sleeps, sleep } = recordingSleep();
    const esplora = source(server, { sleep, random: () => 0.999, limits: { retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 250 } } });
    expect((await esplora.tx(segwitTx))?.tx.txid).toBe(segwitTx);
    expect(sleeps).toEqual([99, 199, 249]);
    expect(esplora.stats().retries).toBe(3);
  });

  it.each([
    ['a slow answer past the timeout', { kind: 'slow', delayMs: 3_000 }],
    ['a body cut off mid-transfer', { kind: 'truncate' }],
    ['a complete answer with half a body', { kind: 'short-body' }],
    ['a reset connection', { kind: 'reset' }],
  ] as const)('retries %s and returns the right transaction', async (_name, fault) => {
    const server = await serve([{ match: route, fault }]);
    const esplora = source(server, { limits: { timeoutMs: 1_000, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 } } });
    expect((await esplora.tx(segwitTx))?.raw).toBe(world.txs.get(segwitTx)?.hex);
    expect(server.hits(route)).toBe(2);
  });

  it('rejects a transaction whose content does not hash to its txid, and caches nothing of it', async () => {
    const server = await serve([{ match: route, fault: { kind: 'tamper' } }]);
    const cacheDir = tempDir();
    await expect(source(server, { cacheDir }).tx(segwitTx)).rejects.toMatchObject({ code: 'CHAINTRAIL_TX_MISMATCH', expectedTxid: segwitTx });
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('rejects tampered raw hex', async () => {
    const server = await serve([{ match: `/tx/${block170Payment}/hex`, fault: { kind: 'tamper' } }]);
    await expect(source(server).rawTx(block170Payment)).rejects.toMatchObject({ code: 'CHAINTRAIL_TX_MISMATCH' });
  });

  it('rejects an address page holding a tampered transaction', async () => {
    const server = await serve([{ match: `/address/${busyAddress}/txs/chain`, fault: { kind: 'tamper' } }]);
    await expect(source(server).addressTxs(busyAddress)).rejects.toMatchObject({ code: 'CHAINTRAIL_TX_MISMATCH' });
  });

  it('rejects an address page with a transaction that does not touch the address', async () => {
    const stranger = world.txs.get(segwitTx)?.json;
    const server = await serve([{ match: `/address/${busyAddress}/txs/chain`, fault: { kind: 'status', status: 200, body: JSON.stringify([stranger]) } }]);
    const error = await caught(source(server).addressTxs(busyAddress));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_BAD_ANSWER');
    expect(error.message).toContain('neither pays nor spends');
  });

  it('rejects a merkle proof that does not lead to the header root', async () => {
    const server = await serve([{ match: `/tx/${block170Payment}/merkle-proof`, fault: { kind: 'tamper' } }]);
    const error = await caught(source(server).merkleProof(block170Payment));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_BAD_ANSWER');
    expect(error.message).toContain('does not lead from');
  });

  it('rejects a header that does not hash to the block asked for', async () => {
    const hash = world.blockAtHeight(170)?.hash ?? '';
    const server = await serve([{ match: `/block/${hash}/header`, fault: { kind: 'tamper' } }]);
    const error = await caught(source(server).blockHeader(hash));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_BAD_ANSWER');
    expect(error.message).toContain('hashes to');
  });

  it('gives up with CHAINTRAIL_SOURCE_RATE_LIMITED when 429s outlast the retries', async () => {
    const server = await serve([{ match: route, fault: { kind: 'status', status: 429 }, times: Infinity }]);
    await expect(source(server).tx(segwitTx)).rejects.toMatchObject({ code: 'CHAINTRAIL_SOURCE_RATE_LIMITED' });
    expect(server.hits(route)).toBe(4);
  });

  it('does not wait out a Retry-After longer than allowed', async () => {
    const server = await serve([{ match: route, fault: { kind: 'status', status: 429, retryAfter: '3600' } }]);
    const { sleeps, sleep } = recordingSleep();
    await expect(source(server, { sleep }).tx(segwitTx)).rejects.toMatchObject({ code: 'CHAINTRAIL_SOURCE_RATE_LIMITED', retryAfterMs: 3_600_000 });
    expect(sleeps).toEqual([]);
  });

  it('reports CHAINTRAIL_SOURCE_UNREACHABLE after 500s outlast the retries, and for a closed port', async () => {
    const server = await serve([{ match: route, fault: { kind: 'status', status: 500 }, times: Infinity }]);
    await expect(source(server).tx(segwitTx)).rejects.toMatchObject({ code: 'CHAINTRAIL_SOURCE_UNREACHABLE' });
    const url = server.url;
    await server.close();
    const esplora = new EsploraSource({ baseUrl: url, sleep: () => Promise.resolve(), limits: { retry: { retries: 1 } } });
    open.push(esplora);
    await expect(esplora.tx(segwitTx)).rejects.toMatchObject({ code: 'CHAINTRAIL_SOURCE_UNREACHABLE' });
  });
});
