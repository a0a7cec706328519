import { describe, expect, it } from 'vitest';
import { readAllRealBlocks } from '../../../test/support/real-blocks.js';
import { BadHexError, toHex } from './hex.js';
import { parseBlock, scanBlock } from './tx-parser.js';
import {
  BadTxDraftError,
  computeTxid,
  computeWtxid,
  draftFromTransaction,
  serializeBlockHeader,
  serializeTransaction,
  serializeTransactionWithIds,
  type TxDraft,
} from './tx-serializer.js';

const blocks = readAllRealBlocks().flatMap((f) => f.blocks);

describe('serializeTransaction', () => {
  it('rebuilds every transaction of every real block byte for byte, with its txid and wtxid', () => {
    let count = 0;
    for (const bytes of blocks) {
      const { txs } = scanBlock(bytes);
      parseBlock(bytes).transactions.forEach((tx, i) => {
        const span = txs[i];
        const draft = draftFromTransaction(tx);
        const built = serializeTransactionWithIds(draft);
        // Compared as hex: element-wise equality of large Uint8Arrays is very slow in vitest.
        expect(toHex(built.bytes)).toBe(toHex(bytes, span?.start, span?.end));
        expect([built.txid, built.wtxid]).toEqual([tx.txid, tx.wtxid]);
        if (i % 20 === 0) expect([computeTxid(draft), computeWtxid(draft)]).toEqual([tx.txid, tx.wtxid]);
        count++;
      });
    }
    expect(count).toBe(21088);
  });

  it('writes the legacy form when no input has a witness, and BIP144 form otherwise', () => {
    const input = { prevout: { txid: 'ab'.repeat(32), vout: 1 }, scriptSig: new Uint8Array(), witness: [], sequence: 0xfffffffd };
    const draft: TxDraft = { version: 2, locktime: 0, inputs: [input], outputs: [{ value: 2_100_000_000_000_000, scriptPubKey: Uint8Array.of(0x51) }] };
    const withWitness: TxDraft = { ...draft, inputs: [{ ...input, witness: [Uint8Array.of(1, 2)] }] };
    const legacy = serializeTransaction(draft);
    expect(legacy[4]).toBe(1); // input count right after the version
    const segwit = serializeTransaction(withWitness);
    expect([segwit[4], segwit[5]]).toEqual([0, 1]); // marker and flag
    expect(computeTxid(withWitness)).toBe(computeTxid(draft));
    expect(computeWtxid(withWitness)).not.toBe(computeTxid(draft));
  });

  it.each([
    ['a value above 21 million BTC', { value: 2_100_000_000_000_001 }, BadTxDraftError],
    ['a fractional value', { value: 1.5 }, BadTxDraftError],
    ['a negative value', { value: -1 }, BadTxDraftError],
  ])('rejects %s with CHAINTRAIL_BAD_TX_DRAFT', (_name, output, errorClass) => {
    const draft: TxDraft = {
      version: 1,
      locktime: 0,
      inputs: [{ prevout: { txid: '00'.repeat(32), vout: 0 }, scriptSig: new Uint8Array(), witness: [], sequence: 0 }],
      outputs: [{ scriptPubKey: new Uint8Array(), ...output }],
    };
    expect(() => serializeTransaction(draft)).toThrow(errorClass);
  });

  it('rejects a prevout txid that is not 64 hex digits', () => {
    const input = { scriptSig: new Uint8Array(), witness: [], sequence: 0 };
    const draft = (txid: string): TxDraft => ({ version: 1, locktime: 0, inputs: [{ ...input, prevout: { txid, vout: 0 } }], outputs: [] });
    expect(() => serializeTransaction(draft('ab'))).toThrow(BadTxDraftError);
    expect(() => serializeTransaction(draft('zz'.repeat(32)))).toThrow(BadHexError);
    expect(() => serializeTransaction({ version: 1, locktime: 0, inputs: [], outputs: [] })).toThrow(BadTxDraftError);
  });
});

describe('serializeBlockHeader', () => {
  it('rebuilds the 80 header bytes of every real block', () => {
    for (const bytes of blocks) expect(toHex(serializeBlockHeader(scanBlock(bytes).header))).toBe(toHex(bytes, 0, 80));
  });
});
