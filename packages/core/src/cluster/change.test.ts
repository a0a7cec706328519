import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { sharedData } from '../../../../test/support/shared-data.js';
import { esploraPrevouts, transactionFromEsplora, type EsploraTx } from '../esplora-tx.js';
import { CHANGE_HEURISTICS, findChange, type ChangeContext, type ChangeHeuristicName, type TxShape } from './change.js';
import fixtures from './fixtures/change.json' with { type: 'json' };
import { resolvedFromFixture, type FixtureTx } from './fixtures/fixture-tx.js';
import { resolveTransaction, type ResolvedTx } from './resolved-tx.js';

interface ChangeCase {
  name: string;
  heuristic: ChangeHeuristicName;
  source: { kind: string };
  tx: FixtureTx | { esplora: string };
  context?: { firstSeen?: number[]; spenders?: Record<string, TxShape | null>; parent?: TxShape };
  expected: { vout: number | null };
}
const cases = fixtures.cases as unknown as ChangeCase[];

let block680000: Map<string, EsploraTx> | undefined;
/** The recorded Esplora answer for block 680,000, by txid. */
function esploraTx(txid: string): EsploraTx {
  if (block680000 === undefined) {
    const dir = sharedData('esplora', 'block680000_txs');
    block680000 = new Map();
    for (const file of readdirSync(dir)) {
      for (const tx of JSON.parse(readFileSync(join(dir, file), 'utf8')) as EsploraTx[]) block680000.set(tx.txid, tx);
    }
  }
  const tx = block680000.get(txid);
  if (tx === undefined) throw new Error(`txid ${txid} is not in esplora/block680000_txs`);
  return tx;
}

function txOf(c: ChangeCase): ResolvedTx {
  if (!('esplora' in c.tx)) return resolvedFromFixture(c.tx);
  const json = esploraTx(c.tx.esplora);
  const prevouts = esploraPrevouts(json);
  const tx = transactionFromEsplora(json);
  const byOutpoint = new Map(tx.inputs.map((input, i) => [`${input.prevout.txid}:${input.prevout.vout}`, prevouts[i] ?? undefined]));
  return resolveTransaction(tx, (p) => byOutpoint.get(`${p.txid}:${p.vout}`), 680_000);
}

function contextOf(c: ChangeCase, tx: ResolvedTx): ChangeContext {
  const context: { -readonly [K in keyof ChangeContext]: ChangeContext[K] } = {};
  const { firstSeen, spenders, parent } = c.context ?? {};
  if (firstSeen !== undefined) {
    const fresh = new Set(firstSeen.map((vout) => tx.outputs[vout]!.address));
    context.isFirstSeen = (address, txid) => (txid === tx.txid ? fresh.has(address) : undefined);
  }
  if (spenders !== undefined) context.spender = (txid, vout) => (txid === tx.txid ? spenders[String(vout)] : undefined);
  if (parent !== undefined) context.shapeOf = (txid) => (txid === tx.inputs[0]!.txid ? parent : undefined);
  return context;
}

describe('change heuristics (fixtures/change.json)', () => {
  test.each(cases)('$heuristic: $name', (c) => {
    const tx = txOf(c);
    const heuristic = CHANGE_HEURISTICS[c.heuristic];
    const result = findChange(tx, heuristic, contextOf(c, tx));
    expect(result.vout).toBe(c.expected.vout);
    expect(result.heuristic).toBe(c.heuristic);
    expect(result.confidence).toBe(heuristic.confidence);
    if (result.vout !== null) expect(result.candidates).toEqual([result.vout]);
  });

  test('every heuristic has a case that finds change and one that does not', () => {
    for (const name of Object.keys(CHANGE_HEURISTICS)) {
      const own = cases.filter((c) => c.heuristic === name);
      expect(own.some((c) => c.expected.vout !== null), name).toBe(true);
      if (name !== 'change:address-reuse') expect(own.some((c) => c.expected.vout === null), name).toBe(true);
    }
  });

  test('a heuristic that lacks a chain fact says so instead of guessing', () => {
    const c = cases.find((x) => x.heuristic === 'change:locktime')!;
    const result = findChange(txOf(c), CHANGE_HEURISTICS['change:locktime'], {});
    expect(result.vout).toBeNull();
    expect(result.reason).toBe('no spending facts supplied');
  });
});
