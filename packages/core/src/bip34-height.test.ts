import { describe, expect, it } from 'vitest';
import type { Transaction } from './model.js';
import { bip34Height } from './bip34-height.js';

function coinbase(scriptSig: string): Transaction {
  return {
    txid: '',
    wtxid: '',
    version: 1,
    locktime: 0,
    inputs: [{ prevout: { txid: '0'.repeat(64), vout: 0xffffffff }, scriptSig, witness: [], sequence: 0xffffffff }],
    outputs: [],
    isCoinbase: true,
    hasWitness: false,
    size: 0,
    weight: 0,
    vsize: 0,
  };
}

describe('bip34Height', () => {
  it.each([
    ['block 227836 (first pushes 3 bytes)', 2, '03fc7903062f503253482f', 227836],
    ['block 556977', 0x20c00000, '03b17f08', 556977],
    ['a height of 0 (OP_0)', 2, '00', 0],
    ['a height of 5 (OP_5)', 2, '55', 5],
    ['a height of 17 (one byte)', 2, '0111', 17],
    ['a height needing a sign byte (128)', 2, '028000', 128],
    ['a version 1 block (no BIP34 promise)', 1, '03fc7903', null],
    ['the genesis coinbase (a push of the bits)', 1, '04ffff001d0104', null],
    ['a negative number', 2, '0180', null],
    ['a push longer than 5 bytes', 2, '0801020304050607', null],
    ['a push cut short', 2, '03fc79', null],
  ])('%s', (_name, version, scriptSig, expected) => {
    expect(bip34Height(version, coinbase(scriptSig))).toBe(expected);
  });
});
