import { parseAddress, parseBlock } from '@chaintrail/core';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from './generate-world.js';
import { nodeHasher } from './node-hasher.js';
import { readBlockRecords } from './testing/block-records.js';
import { replayChain, type ChainReplay } from './testing/chain-replay.js';
import { PlainCommonInput } from './testing/plain-common-input.js';
import type { Truth, TruthAddress, WorldSummary } from './truth.js';
import { readTruth, streamTruth, type TruthRecord } from './truth-reader.js';
import { WHIRLPOOL_POOLS } from './whirlpool.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-scenario-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every file of a world, by path relative to its folder. */
function filesOf(dir: string, sub = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const rel = join(sub, entry.name);
    if (entry.isDirectory()) for (const [k, v] of filesOf(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, rel)));
  }
  return out;
}

describe('a 1,000-user world', () => {
  let dir: string;
  let summary: WorldSummary;
  let truth: Truth;
  let chain: ChainReplay;
  let owners: Map<string, TruthAddress>;

  beforeAll(async () => {
    dir = tempDir();
    // Misleading cases more often than by default, so that a small world surely has some.
    summary = await generateWorld({ users: 1000, seed: 42, coinjoinLookalikeEveryBlocks: 10, misleadingPaymentShare: 0.05 }, dir);
    truth = await readTruth(join(dir, 'truth.json'));
    chain = replayChain(join(dir, 'blocks'));
    owners = new Map(truth.addresses.map((a) => [a.address, a]));
  });

  it('writes blocks a node would accept: links, proof of work, merkle roots, BIP34, witness commitments, spends and fees', () => {
    expect(chain.problems).toEqual([]);
    expect(chain.blocks.length).toBe(summary.blocks);
    expect(chain.heights).toEqual(chain.heights.map((_, i) => summary.firstHeight + i));
    expect(chain.blocks.at(-1)?.header.hash).toBe(summary.tipHash);
    expect(chain.blocks.reduce((n, b) => n + b.transactions.length, 0)).toBe(summary.transactions);
  });

  it('uses every address type, with realistic sizes', () => {
    const types = new Set([...chain.outputs.values()].map((o) => o.scriptType));
    expect([...types].sort()).toEqual(['op_return', 'p2pkh', 'p2sh', 'p2tr', 'p2wpkh', 'p2wsh']);
    const payments = chain.blocks.flatMap((b) => b.transactions).filter((t) => truth.transactions.find((x) => x.txid === t.txid)?.kind === 'user-payment');
    const vsizes = payments.map((t) => t.vsize).sort((a, b) => a - b);
    // One input and two outputs: from 1-in-2-out P2TR (about 154 vB) to two P2PKH inputs (about 374 vB).
    expect(vsizes[0]).toBeGreaterThanOrEqual(100);
    expect(vsizes[Math.floor(vsizes.length / 2)]).toBeLessThan(260);
  });

  it('lists every address on the chain in truth.json with its owner', () => {
    const missing = [...chain.outputs.values()].filter((o) => o.address !== null && !owners.has(o.address));
    expect(missing).toEqual([]);
    expect(truth.transactions.length).toBe(summary.transactions);
  });

  it('records each payment as it is on the chain: output, amount, site address', () => {
    expect(truth.payments.length).toBe(summary.payments);
    expect(truth.payments.length).toBeGreaterThan(summary.payingUsers);
    for (const p of truth.payments) {
      const out = chain.outputs.get(`${p.txid}:${p.vout}`);
      expect(out, `payment ${p.txid}:${p.vout}`).toEqual(expect.objectContaining({ value: p.value, address: p.address }));
      expect(owners.get(p.address)?.role).toBe('site-deposit');
      expect(truth.entities.find((e) => e.id === p.user)?.exchange).toBe(p.exchange);
      if (p.sweptIn === null) expect(chain.unspent.has(`${p.txid}:${p.vout}`)).toBe(true);
      else expect(chain.inputAddresses.get(p.sweptIn)).toContain(p.address);
    }
    const routes = new Set(truth.payments.map((p) => p.route));
    expect([...routes].sort()).toEqual(['direct', 'wallet', 'wasabi', 'whirlpool']);
    const direct = truth.payments.filter((p) => p.route === 'direct');
    expect(direct.every((p) => p.fundedBy === p.txid)).toBe(true);
  });

  it('has users who pay from two of their addresses at once, and users who take change back to the address they spend from', () => {
    const txs = new Map(chain.blocks.flatMap((b) => b.transactions).map((t) => [t.txid, t]));
    const firstPayment = new Map<string, string>();
    for (const p of truth.payments) if (p.route === 'wallet' && !firstPayment.has(p.user)) firstPayment.set(p.user, p.txid);
    const multi = truth.entities.filter((e) => e.multiInput === true && firstPayment.has(e.id));
    const reusing = truth.entities.filter((e) => e.reusesAddresses === true && firstPayment.has(e.id));
    expect(multi.length).toBeGreaterThan(5);
    expect(reusing.length).toBeGreaterThan(5);
    for (const user of multi) {
      const inputs = chain.inputAddresses.get(firstPayment.get(user.id) as string) ?? [];
      expect(inputs.length).toBeGreaterThanOrEqual(2);
      expect(inputs.every((a) => owners.get(a)?.owner === user.id)).toBe(true);
    }
    for (const user of reusing) {
      const txid = firstPayment.get(user.id) as string;
      const outputs = txs.get(txid)?.outputs.map((o) => o.address) ?? [];
      expect(outputs.some((a) => a !== null && chain.inputAddresses.get(txid)?.includes(a))).toBe(true);
    }
  });

  it('accounts for every satoshi the site received: exits, fees and holdings', () => {
    const { received, exited, fees, held } = summary.site;
    expect(received).toBe(truth.payments.reduce((s, p) => s + BigInt(p.value), 0n));
    expect(exited + fees + held).toBe(received);
    expect(exited).toBe(truth.siteExits.reduce((s, e) => s + BigInt(e.value), 0n));
    expect(held).toBe(truth.siteHoldings.reduce((s, h) => s + BigInt(h.value), 0n));
    for (const h of truth.siteHoldings) expect(chain.unspent.get(`${h.txid}:${h.vout}`)?.value).toBe(h.value);
    for (const e of truth.siteExits) expect(owners.get(e.address)?.owner).toBe(e.to);
    expect(truth.siteExits.some((e) => e.kind === 'exchange-deposit')).toBe(true);
    expect(truth.transactions.some((t) => t.kind === 'operator-peel')).toBe(true);
  });

  it('labels CoinJoins that have the Whirlpool and Wasabi shapes', () => {
    const txs = new Map(chain.blocks.flatMap((b) => b.transactions).map((t) => [t.txid, t]));
    const mixes = truth.transactions.filter((t) => t.coinjoin);
    expect(mixes.length).toBeGreaterThan(0);
    for (const label of mixes) {
      const tx = txs.get(label.txid);
      if (tx === undefined) throw new Error(`labelled CoinJoin ${label.txid} is not on the chain`);
      const values = tx.outputs.map((o) => o.value);
      expect(tx.inputs.every((i) => i.witness.length === 2)).toBe(true);
      if (label.kind === 'whirlpool-mix') {
        expect(tx.inputs.length).toBe(5);
        expect(new Set(values).size).toBe(1);
        const denomination = values[0] as number;
        expect(WHIRLPOOL_POOLS.map((p) => p.denomination as number)).toContain(denomination);
        // At least one remixer exactly at the denomination; premixes at most 110,000 above it.
        const inputs = tx.inputs.map((i) => chain.outputs.get(`${i.prevout.txid}:${i.prevout.vout}`)?.value ?? -1);
        expect(inputs).toContain(denomination);
        expect(inputs.every((v) => v >= denomination && v <= denomination + 110_000)).toBe(true);
      } else {
        expect(label.kind).toBe('wasabi-round');
        const counts = new Map<number, number>();
        for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
        const [denomination, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] as [number, number];
        expect(count).toBeGreaterThanOrEqual(10);
        expect(Math.abs(denomination - 10_000_000)).toBeLessThanOrEqual(2_000_000);
      }
    }
    expect(new Set(mixes.map((m) => m.kind))).toEqual(new Set(['whirlpool-mix', 'wasabi-round']));
  });

  it('plants misleading cases: an exchange batch that looks like a CoinJoin, a payment that looks like change', () => {
    const txs = new Map(chain.blocks.flatMap((b) => b.transactions).map((t) => [t.txid, t]));
    const lookalikes = truth.transactions.filter((t) => t.misleading === 'exchange-batch-looks-like-coinjoin');
    expect(lookalikes.length).toBeGreaterThan(0);
    for (const label of lookalikes) {
      const tx = txs.get(label.txid);
      if (tx === undefined) throw new Error(`lookalike ${label.txid} is not on the chain`);
      // BlockSci's generic rule: p = ceil(outputs / 2) equal outputs, at least p distinct inputs.
      const p = Math.ceil(tx.outputs.length / 2);
      const counts = new Map<number, number>();
      for (const o of tx.outputs) counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBe(p);
      expect(new Set(chain.inputAddresses.get(tx.txid)).size).toBeGreaterThanOrEqual(p);
      expect(label.coinjoin).toBe(false);
      expect(new Set(chain.inputAddresses.get(tx.txid)?.map((a) => owners.get(a)?.owner))).toEqual(new Set([owners.get(chain.inputAddresses.get(tx.txid)?.[0] ?? '')?.owner]));
    }
    const fakeChange = truth.transactions.filter((t) => t.misleading === 'payment-looks-like-change');
    expect(fakeChange.length).toBeGreaterThan(0);
    for (const label of fakeChange) {
      const tx = txs.get(label.txid);
      if (tx === undefined) throw new Error(`misleading payment ${label.txid} is not on the chain`);
      const inputTypes = new Set((chain.inputAddresses.get(tx.txid) ?? []).map((a) => owners.get(a)?.scriptType));
      const payment = tx.outputs.find((o) => o.address !== null && owners.get(o.address)?.role === 'site-deposit');
      const change = tx.outputs.find((o) => o !== payment);
      // The address-type heuristic picks the output of the inputs' type as change: here, the payment.
      expect(inputTypes).toEqual(new Set([payment?.scriptType]));
      expect(change?.scriptType).not.toBe(payment?.scriptType);
    }
  });

  it('clusters, by plain common-input ownership without the CoinJoins, into the site as one entity and never two users together', () => {
    const coinjoins = new Set(truth.transactions.filter((t) => t.coinjoin).map((t) => t.txid));
    const cioh = new PlainCommonInput();
    for (const [txid, inputs] of chain.inputAddresses) if (!coinjoins.has(txid)) cioh.addTransaction(inputs);

    const siteSpent = [...new Set([...chain.inputAddresses.values()].flat())].filter((a) => owners.get(a)?.owner === 'site');
    expect(siteSpent.length).toBeGreaterThan(100);
    const siteRoots = new Set(siteSpent.map((a) => cioh.find(a)));
    expect(siteRoots.size).toBe(1);
    const siteCluster = cioh.clusters().get([...siteRoots][0] as string) ?? [];
    expect(new Set(siteCluster.map((a) => owners.get(a)?.owner))).toEqual(new Set(['site']));

    for (const members of cioh.clusters().values()) {
      const users = new Set(members.map((a) => owners.get(a)?.owner).filter((o) => o?.startsWith('user:')));
      const ownersHere = new Set(members.map((a) => owners.get(a)?.owner));
      expect(users.size, `cluster of ${members.join(', ')}`).toBeLessThanOrEqual(1);
      expect(ownersHere.size).toBe(1);
    }

    // The same clustering through the CoinJoins would merge users: the labels matter.
    const naive = new PlainCommonInput();
    for (const inputs of chain.inputAddresses.values()) naive.addTransaction(inputs);
    const merged = [...naive.clusters().values()].some((m) => new Set(m.map((a) => owners.get(a)?.owner).filter((o) => o?.startsWith('user:'))).size > 1);
    expect(merged).toBe(true);
  });

  it('writes the seized address list with the noise truth.json describes', () => {
    const lines = readFileSync(join(dir, 'seized-addresses.txt'), 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const content = lines.slice(0, -1).map((l) => l.replace(/\r$/, ''));
    const noise = summary.seizedList;
    expect(content.length).toBe(noise.lines);
    expect(content.filter((l) => l.trim() === '').length).toBe(noise.blankLines);
    for (const n of noise.malformedLines) expect(() => parseAddress(content[n - 1] as string), `line ${n}`).toThrow();
    for (const n of noise.wrongNetworkLines) expect(parseAddress(content[n - 1] as string).network).toBe('testnet');
    const listed = new Set(content.map((l) => l.trim()).filter((l) => l !== ''));
    const deposits = truth.addresses.filter((a) => a.role === 'site-deposit').map((a) => a.address);
    expect(deposits.length).toBe(1000);
    expect(deposits.every((a) => listed.has(a))).toBe(true);
    const valid = [...listed].filter((l) => {
      try {
        return parseAddress(l, { network: 'mainnet' }) !== null;
      } catch {
        return false;
      }
    });
    expect(new Set(valid)).toEqual(new Set(deposits));

    const csv = readFileSync(join(dir, 'seized-addresses.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('user_id,username,btc_address,registered_at,points,last_login_ip');
    expect(csv.filter((row) => /^\d+,/.test(row)).length).toBe(1000);
  });

  it('tags some, not all, of the exchange wallets in a GraphSense TagPack', () => {
    const pack = parseYaml(readFileSync(join(dir, 'tags.yaml'), 'utf8')) as { creator: string; category: string; tags: { address: string; actor: string }[] };
    expect(pack.creator).toBeTruthy();
    expect(pack.category).toBe('exchange');
    const wallets = truth.addresses.filter((a) => a.role === 'exchange-hot' || a.role === 'exchange-cold');
    expect(pack.tags.length).toBe(summary.taggedAddresses);
    expect(pack.tags.length).toBeGreaterThan(0);
    expect(pack.tags.length).toBeLessThan(wallets.length);
    for (const tag of pack.tags) {
      const owner = owners.get(tag.address);
      expect(['exchange-hot', 'exchange-cold']).toContain(owner?.role);
      expect(tag.actor).toBe(owner?.owner.replace(':', '-'));
    }
  });

  it('reads back the same records line by line as whole', async () => {
    const records: TruthRecord[] = [];
    let header: WorldSummary | null = null;
    for await (const r of streamTruth(join(dir, 'truth.json'), (h) => (header = h.summary))) records.push(r);
    expect(header).toEqual(truth.summary);
    expect(records.filter((r) => r.section === 'payments').map((r) => r.record)).toEqual(truth.payments);
    expect(records.filter((r) => r.section === 'addresses').length).toBe(truth.addresses.length);
    expect(records.length).toBe(truth.entities.length + truth.addresses.length + truth.transactions.length + truth.payments.length + truth.siteExits.length + truth.siteHoldings.length);
  });
});

describe('determinism and block files', () => {
  it('gives byte-identical output for the same seed and parameters, and another world for another seed', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    await generateWorld({ users: 60, seed: 5 }, a);
    await generateWorld({ users: 60, seed: 5 }, b);
    await generateWorld({ users: 60, seed: 6 }, c);
    const fa = filesOf(a);
    expect([...fa.keys()].sort()).toEqual(['blocks/blk00000.dat', 'seized-addresses.csv', 'seized-addresses.txt', 'tags.yaml', 'truth.json']);
    expect(filesOf(b)).toEqual(fa);
    expect(filesOf(c).get('blocks/blk00000.dat')?.equals(fa.get('blocks/blk00000.dat') as Buffer)).toBe(false);
  });

  it('obfuscates with xor.dat by file position and splits files as Bitcoin Core does', async () => {
    const plain = tempDir();
    const xored = tempDir();
    const options = { users: 150, seed: 9, maxBlockFileBytes: 1 << 16 };
    await generateWorld(options, plain);
    const summary = await generateWorld({ ...options, obfuscate: true }, xored);
    const key = readFileSync(join(xored, 'blocks', 'xor.dat'));
    expect(key.length).toBe(8);
    expect(summary.blockFiles).toBeGreaterThan(1);
    const names = readdirSync(join(plain, 'blocks')).sort();
    expect(names.length).toBe(summary.blockFiles);
    for (const name of names) {
      const clear = readFileSync(join(plain, 'blocks', name));
      const obfuscated = readFileSync(join(xored, 'blocks', name));
      expect(clear.length).toBeLessThan(1 << 16);
      expect(obfuscated.equals(clear)).toBe(false);
      expect(Buffer.from(obfuscated.map((byte, i) => byte ^ (key[i % 8] as number))).equals(clear)).toBe(true);
    }
    const blocks = [...readBlockRecords(join(xored, 'blocks'))].map((raw) => parseBlock(raw, { hasher: nodeHasher }).header.hash);
    expect(blocks.length).toBe(summary.blocks);
    expect(blocks.at(-1)).toBe(summary.tipHash);
  });
});
