import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyMerkleProof } from '@chaintrail/core';
import { CoreRpcSource, type CoreRpcSourceOptions } from '@chaintrail/chain';
import { FaultPlan, startCoreRpcFixtureServer, type FaultRule, type FixtureServer, type FixtureWorld } from '@chaintrail/chain/testing';
import { caught } from './caught.js';
import { sharedData } from '../support/shared-data.js';
import { loadFirstBlocks } from './real-world.js';

const block170Payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
/** Block 586: five inputs spending five different coinbases. */
const fiveParents = '4d6edbeb62735d45ff1565385a8b0045f066055c9425e21540ea7a8060f08bf2';
/** Block 413567 (Bitcoin Core's benchmark block): four inputs whose parents this node lacks. */
const orphanInputs = 'a6304501c08ad56057b131edb82f24668bac41b57c5093d465f3f760f136fe42';
const block413567 = '0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069';
const user = 'investigator';
const password = 'correct horse battery staple';

let world: FixtureWorld;
const open: { close(): Promise<void> }[] = [];
let dir: string;

beforeAll(() => {
  world = loadFirstBlocks();
  world.addBlock(readFileSync(sharedData('blocks', 'bitcoin-core-bench', 'block413567.raw')), 413567);
  dir = mkdtempSync(join(tmpdir(), 'chaintrail-core-'));
});

afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(faults: readonly FaultRule[] = [], extra: { withoutTxindex?: boolean } = {}): Promise<FixtureServer> {
  const server = await startCoreRpcFixtureServer({ world, user, password, faults: new FaultPlan(faults), ...extra });
  open.push(server);
  return server;
}

function source(server: FixtureServer, options: Partial<CoreRpcSourceOptions> = {}): CoreRpcSource {
  const core = new CoreRpcSource({
    url: server.url,
    auth: { user, password },
    sleep: () => Promise.resolve(),
    limits: { timeoutMs: 10_000, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 } },
    ...options,
  });
  open.push(core);
  return core;
}

describe('CoreRpcSource on real blocks', () => {
  it('returns a transaction with its block position and prevouts read from the hashed parent', async () => {
    const tx = await source(await serve()).tx(block170Payment);
    expect(tx?.placement).toEqual({ blockHash: world.blockAtHeight(170)?.hash, blockHeight: 170, blockTime: 1231731025, position: 1 });
    expect(tx?.prevoutTrust).toBe('verified');
    // Block 9's coinbase, paid to Satoshi's key; explorers show it as 12cbQLTF...
    expect(tx?.prevouts).toEqual([
      expect.objectContaining({ txid: '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9', vout: 0, value: 5_000_000_000, scriptType: 'p2pk', address: '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S' }),
    ]);
    expect(tx?.tx.outputs.map((o) => o.value)).toEqual([1_000_000_000, 4_000_000_000]);
  });

  it('fetches all parents of a transaction in one JSON-RPC batch', async () => {
    const server = await serve();
    const tx = await source(server).tx(fiveParents);
    expect(tx?.prevouts.every((p) => p?.value === 5_000_000_000)).toBe(true);
    expect(tx?.unresolvedPrevouts).toEqual([]);
    expect(server.requests.map((r) => r.target)).toContain(Array(5).fill('getrawtransaction').join(','));
    expect(server.hits()).toBe(3);
  });

  it('reports prevouts the node does not have instead of guessing them', async () => {
    const tx = await source(await serve()).tx(orphanInputs);
    expect(tx?.prevouts).toEqual([null, null, null, null]);
    expect(tx?.unresolvedPrevouts).toEqual(tx?.tx.inputs.map((i) => i.prevout));
    expect(tx?.placement).toMatchObject({ blockHash: block413567, blockHeight: 413567 });
  });

  it('answers null for what the node does not have', async () => {
    const core = source(await serve());
    expect(await core.tx('11'.repeat(32))).toBeNull();
    expect(await core.rawTx('11'.repeat(32))).toBeNull();
    expect(await core.blockHeader('22'.repeat(32))).toBeNull();
    expect(await core.blockHeader(590)).toBeNull();
  });

  it('reads headers by height and hash, the tip, and a verified merkle proof', async () => {
    const core = source(await serve());
    const header = await core.blockHeader(170);
    expect(header).toMatchObject({ height: 170, hash: world.blockAtHeight(170)?.hash });
    expect((await core.blockHeader(header?.hash ?? ''))?.raw).toBe(header?.raw);
    expect(await core.tip()).toEqual({ height: 413567, hash: block413567 });
    const proof = await core.merkleProof(block170Payment);
    expect(proof).toMatchObject({ blockHeight: 170, pos: 1 });
    expect(proof && verifyMerkleProof(block170Payment, proof, proof.header.merkleRoot)).toBe(true);
  });

  it('reads a block with verbosity 2 and checks every transaction in it', async () => {
    const block = await source(await serve()).blockVerbose(block413567);
    expect(block?.tx).toHaveLength(1557);
    expect(block?.height).toBe(413567);
  });

  it('says it has no address index, and what to use instead', async () => {
    const error = await caught(source(await serve()).addressTxs('12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S'));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_UNSUPPORTED');
    expect(error.message).toContain('blocks:<datadir>/blocks');
  });

  it('explains that a node without txindex cannot find confirmed transactions', async () => {
    const core = source(await serve([], { withoutTxindex: true }));
    const error = await caught(core.tx(block170Payment));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_UNSUPPORTED');
    expect(error.message).toContain('txindex=1');
  });
});

describe('CoreRpcSource authentication', () => {
  it('uses the cookie file bitcoind writes', async () => {
    const cookieFile = join(dir, '.cookie');
    writeFileSync(cookieFile, `${user}:${password}`);
    const server = await serve();
    expect((await source(server, { auth: { cookieFile } }).tip()).height).toBe(413567);
  });

  it('takes credentials from the URL and keeps them out of the description', async () => {
    const server = await serve();
    const url = new URL(server.url);
    url.username = user;
    url.password = password;
    const core = new CoreRpcSource({ url: url.toString() });
    open.push(core);
    expect((await core.tip()).height).toBe(413567);
    expect(core.description).toBe(`core:${server.url}`);
  });

  it('fails with CHAINTRAIL_SOURCE_AUTH on a wrong password, without retrying', async () => {
    const server = await serve();
    await expect(source(server, { auth: { user, password: 'wrong' } }).tip()).rejects.toMatchObject({ code: 'CHAINTRAIL_SOURCE_AUTH' });
    expect(server.hits()).toBe(1);
  });
});

describe('CoreRpcSource under injected faults', () => {
  it.each([
    ['HTTP 500', { kind: 'status', status: 500 }],
    ['a full work queue (503)', { kind: 'status', status: 503, body: 'Work queue depth exceeded' }],
    ['429 with Retry-After', { kind: 'status', status: 429, retryAfter: '1' }],
    ['a node still loading its index', { kind: 'status', status: 200, body: JSON.stringify([{ result: null, error: { code: -28, message: 'Loading block index…' }, id: 1 }]) }],
    ['a slow answer past the timeout', { kind: 'slow', delayMs: 3_000 }],
    ['a body cut off mid-transfer', { kind: 'truncate' }],
    ['a reset connection', { kind: 'reset' }],
  ] as const)('retries %s', async (_name, fault) => {
    const server = await serve([{ match: 'getblockchaininfo', fault }]);
    expect(await source(server, { limits: { timeoutMs: 1_000, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 } } }).tip()).toEqual({ height: 413567, hash: block413567 });
    expect(server.hits('getblockchaininfo')).toBe(2);
  });

  it('rejects a transaction that does not hash to its txid', async () => {
    const server = await serve([{ match: 'getrawtransaction', fault: { kind: 'tamper' } }]);
    await expect(source(server).rawTx(block170Payment)).rejects.toMatchObject({ code: 'CHAINTRAIL_TX_MISMATCH' });
  });

  it('rejects a raw block whose transactions do not match the header merkle root', async () => {
    const server = await serve([{ match: /^getblock,/, fault: { kind: 'tamper' } }]);
    const error = await caught(source(server).merkleProof(block170Payment));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_BAD_ANSWER');
    expect(error.message).toContain('merkle root');
  });

  it('rejects a verbosity 2 block carrying a tampered transaction', async () => {
    const server = await serve([{ match: /^getblock,/, fault: { kind: 'tamper' } }]);
    await expect(source(server).blockVerbose(world.blockAtHeight(170)?.hash ?? '')).rejects.toMatchObject({ code: 'CHAINTRAIL_TX_MISMATCH' });
  });

  it('rejects a header that does not hash to its block', async () => {
    const server = await serve([{ match: 'getblockheader,getblockheader', fault: { kind: 'tamper' } }]);
    const error = await caught(source(server).blockHeader(170));
    expect(error.code).toBe('CHAINTRAIL_SOURCE_BAD_ANSWER');
    expect(error.message).toContain('hashes to');
  });
});
