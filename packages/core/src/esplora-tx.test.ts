import { describe, expect, it } from 'vitest';
import { readRecordedEsploraTxs, type EsploraOutputJson } from '../../../test/support/esplora-fixtures.js';
import { BadEsploraTxError, esploraPrevouts, rawTransactionFromEsplora, scriptTypesForEsplora, TxidMismatchError, transactionFromEsplora } from './esplora-tx.js';
import { toHex } from './hex.js';
import type { TxOutput } from './model.js';
import { parseTransaction } from './tx-parser.js';

const recorded = readRecordedEsploraTxs();

/** Our output against Esplora's view of the same output. */
function expectSameOutput(ours: TxOutput | null, theirs: EsploraOutputJson, where: string): void {
  expect(ours, where).not.toBeNull();
  const output = ours as TxOutput;
  expect(output.value, where).toBe(theirs.value);
  expect(output.scriptPubKey, where).toBe(theirs.scriptpubkey);
  expect(scriptTypesForEsplora(theirs.scriptpubkey_type), where).toContain(output.scriptType);
  // Esplora leaves P2PK, bare multisig and non-standard outputs without an address (one
  // recorded OP_RETURN carries an empty string); wherever it gives one, ours is the same.
  if (theirs.scriptpubkey_address) expect(output.address, where).toBe(theirs.scriptpubkey_address);
  else if (output.scriptType === 'op_return') expect(output.address, where).toBeNull();
  else if (output.scriptType === 'p2pk') expect(output.address, where).toMatch(/^1[1-9A-HJ-NP-Za-km-z]{25,33}$/);
  else expect(output.address, where).toMatch(/^script:[0-9a-f]{64}$/);
}

describe('transactionFromEsplora on every recorded Esplora transaction', () => {
  it('covers the block 680000 pages and the mempool fixtures', () => {
    expect(recorded.length).toBeGreaterThan(1400);
    const types = new Set(recorded.flatMap(({ tx }) => tx.vout.map((o) => o.scriptpubkey_type)));
    expect([...types].sort()).toEqual(['multisig', 'op_return', 'p2pk', 'p2pkh', 'p2sh', 'unknown', 'v0_p2wpkh', 'v0_p2wsh', 'v1_p2tr']);
  });

  it('rebuilds each to its txid, size and weight; outputs match Esplora (values, scripts, types, addresses)', () => {
    for (const { source, tx: json } of recorded) {
      const where = `${source} ${json.txid}`;
      const { transaction: tx, raw } = rawTransactionFromEsplora(json);
      expect(tx.txid, where).toBe(json.txid);
      if (json.size !== undefined) expect(tx.size, where).toBe(json.size);
      if (json.weight !== undefined) expect(tx.weight, where).toBe(json.weight);
      expect(tx.isCoinbase, where).toBe(json.vin[0]?.is_coinbase);
      expect(parseTransaction(raw)).toEqual(tx);
      json.vout.forEach((out, i) => expectSameOutput(tx.outputs[i] ?? null, out, `${where}:${i}`));
    }
  });

  it('classifies the prevouts Esplora attaches, and their values give its fee', () => {
    let checkedFees = 0;
    for (const { source, tx: json } of recorded) {
      const prevouts = esploraPrevouts(json);
      json.vin.forEach((input, i) => {
        if (input.prevout) expectSameOutput(prevouts[i] ?? null, input.prevout, `${source} ${json.txid} vin ${i}`);
        else expect(prevouts[i]).toBeNull();
      });
      if (json.fee !== undefined && prevouts.every((p) => p !== null) && !json.vin[0]?.is_coinbase) {
        const inputs = prevouts.reduce((sum, p) => sum + BigInt(p?.value ?? 0), 0n);
        const outputs = json.vout.reduce((sum, o) => sum + BigInt(o.value), 0n);
        expect(inputs - outputs, `${json.txid} fee`).toBe(BigInt(json.fee));
        checkedFees++;
      }
    }
    expect(checkedFees).toBeGreaterThan(1400);
  });
});

describe('transactionFromEsplora on altered answers', () => {
  const original = recorded.find(({ tx }) => tx.vin.some((i) => (i.witness ?? []).length > 0))?.tx;
  if (original === undefined) throw new Error('no segwit transaction among the recorded ones');

  it('rejects an altered output value or script with CHAINTRAIL_TXID_MISMATCH naming the txid', () => {
    const value = structuredClone(original);
    (value.vout[0] as EsploraOutputJson).value += 1;
    expect(() => transactionFromEsplora(value)).toThrow(TxidMismatchError);
    expect(() => transactionFromEsplora(value)).toThrow(original.txid);
    const script = structuredClone(original);
    (script.vout[0] as EsploraOutputJson).scriptpubkey = `${script.vout[0]?.scriptpubkey.slice(0, -2)}00`;
    expect(() => transactionFromEsplora(script)).toThrow(TxidMismatchError);
  });

  it('does not see an altered witness, which the txid does not cover; the wtxid shows it', () => {
    const witness = structuredClone(original);
    const input = witness.vin.find((i) => (i.witness ?? []).length > 0);
    const items = input?.witness as string[];
    items[0] = `${items[0]?.slice(0, -2)}00`;
    expect(transactionFromEsplora(witness).txid).toBe(original.txid);
    expect(transactionFromEsplora(witness).wtxid).not.toBe(transactionFromEsplora(original).wtxid);
  });

  it('rejects malformed fields with CHAINTRAIL_BAD_ESPLORA_TX', () => {
    const badHex = structuredClone(original);
    (badHex.vout[0] as EsploraOutputJson).scriptpubkey = 'xyz';
    expect(() => transactionFromEsplora(badHex)).toThrow(BadEsploraTxError);
    const badValue = structuredClone(original);
    (badValue.vout[0] as EsploraOutputJson).value = 0.5;
    expect(() => transactionFromEsplora(badValue)).toThrow(BadEsploraTxError);
    expect(toHex(rawTransactionFromEsplora(original).raw).length).toBeGreaterThan(100);
  });
});
