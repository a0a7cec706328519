import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { sharedData } from '../../../../test/support/shared-data.js';
import { hash160 } from '../hash.js';
import { fromHex } from '../hex.js';
import { classifyScript, p2pkhScript, p2shScript, p2wpkhScript } from '../script.js';
import { parseBlock } from '../tx-parser.js';
import type { Transaction } from '../model.js';
import { detectCoinJoin } from './coinjoin.js';
import { COINJOIN_RULES, WASABI2_DENOMINATIONS, genericEqualOutput } from './coinjoin-rules.js';
import fixtures from './fixtures/coinjoin.json' with { type: 'json' };
import { resolvedFromFixture, type FixtureTx } from './fixtures/fixture-tx.js';

interface CoinJoinCase {
  name: string;
  source: { kind: string; file?: string; height?: number };
  tx: FixtureTx;
  exchangeAddresses?: string[];
  expected: { isCoinJoin: boolean; rule: string | null; fired: string[]; veto: string | null };
}
const cases = fixtures.cases as unknown as CoinJoinCase[];

describe('CoinJoin verdicts (fixtures/coinjoin.json)', () => {
  test.each(cases)('$name', (c) => {
    const exchanges = new Set(c.exchangeAddresses ?? []);
    const verdict = detectCoinJoin(resolvedFromFixture(c.tx), { isExchangeAddress: (a) => exchanges.has(a) });
    expect({
      isCoinJoin: verdict.isCoinJoin,
      rule: verdict.rule,
      fired: verdict.fired.map((f) => f.rule),
      veto: verdict.veto?.veto ?? null,
    }).toEqual(c.expected);
    expect(verdict.txid).toBe(c.tx.txid);
    if (verdict.rule !== null) expect(verdict.version).toBe(COINJOIN_RULES.find((r) => r.name === verdict.rule)!.version);
  });

  test('every rule has a firing and a non-firing case', () => {
    const positives = new Set(cases.flatMap((c) => c.expected.fired));
    for (const rule of COINJOIN_RULES) expect(positives, rule.name).toContain(rule.name);
    expect(cases.some((c) => c.expected.veto === 'stonewall')).toBe(true);
    expect(cases.some((c) => c.expected.veto === 'exchange-batch')).toBe(true);
    expect(cases.filter((c) => c.source.kind === 'mainnet' && c.expected.isCoinJoin).length).toBeGreaterThan(0);
  });
});

describe('a rule that does not fire says why', () => {
  test('the BlockSci rule names the participant count it needed', () => {
    const tx = resolvedFromFixture(cases.find((c) => c.name.startsWith('forty equal outputs'))!.tx);
    const verdict = genericEqualOutput(tx);
    expect(verdict.isCoinJoin).toBe(false);
    expect(verdict.reason).toBe('42 outputs imply 21 participants but there are only 2 inputs');
  });
});

describe('Wasabi 2 denominations', () => {
  test('hold the series of Dumplings between 5,000 and 134,375,000,000 sat', () => {
    for (const v of [5_000, 6_561, 8_192, 10_000, 13_122, 20_000, 50_000, 1_048_576, 68_719_476_736, 100_000_000_000]) expect(WASABI2_DENOMINATIONS.has(v), String(v)).toBe(true);
    for (const v of [4_096, 4_999, 7_000, 12_345, 137_438_953_472]) expect(WASABI2_DENOMINATIONS.has(v), String(v)).toBe(false);
  });
});

const parsedBlocks = new Map<string, Transaction[]>();
/** Raw blocks of the shared data; `.blk` files hold several, framed by magic and length. */
function blocksIn(file: string): Transaction[] {
  const cached = parsedBlocks.get(file);
  if (cached !== undefined) return cached;
  const txs = readBlocks(file);
  parsedBlocks.set(file, txs);
  return txs;
}

function readBlocks(file: string): Transaction[] {
  const bytes = readFileSync(sharedData('blocks', file));
  const magic = bytes.readUInt32LE(0) === 0xd9b4bef9;
  if (!magic) return [...parseBlock(bytes).transactions];
  const txs: Transaction[] = [];
  for (let at = 0; at + 8 <= bytes.length && bytes.readUInt32LE(at) === 0xd9b4bef9; ) {
    const length = bytes.readUInt32LE(at + 4);
    txs.push(...parseBlock(bytes.subarray(at + 8, at + 8 + length)).transactions);
    at += 8 + length;
  }
  return txs;
}

/** The address an input spends from, read from its scriptSig or witness (the recorded blocks lack the spent outputs). */
function inputAddress(input: Transaction['inputs'][number], type: string | null): string | null {
  const sig = fromHex(input.scriptSig);
  const lastPush = (): Uint8Array => {
    let at = 0;
    let last = new Uint8Array();
    while (at < sig.length) {
      const n = sig[at]!;
      last = sig.subarray(at + 1, at + 1 + n);
      at += 1 + n;
    }
    return last;
  };
  if (type === 'p2pkh') return classifyScript(p2pkhScript(hash160(lastPush()))).address;
  if (type === 'p2sh') return classifyScript(p2shScript(hash160(lastPush()))).address;
  if (type === 'p2wpkh') return classifyScript(p2wpkhScript(hash160(fromHex(input.witness[1]!)))).address;
  return null;
}

describe('real fixtures are the recorded mainnet transactions', () => {
  const real = cases.filter((c) => c.source.kind === 'mainnet');
  test.each(real)('$name', (c) => {
    const tx = blocksIn(c.source.file!).find((t) => t.txid === c.tx.txid);
    expect(tx, `txid ${c.tx.txid} in ${c.source.file}`).toBeDefined();
    expect(tx!.outputs.map((o) => [o.address, o.value, o.scriptType])).toEqual(c.tx.outputs);
    expect(tx!.locktime).toBe(c.tx.locktime);
    expect(tx!.inputs.map((input, i) => inputAddress(input, c.tx.inputs[i]![2]))).toEqual(c.tx.inputs.map((i) => i[0]));
  });
});
