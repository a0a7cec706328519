import { readFileSync } from 'node:fs';
import { initEccLib, payments, address as bjsAddress, Block as BjsBlock } from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';
import { describe, expect, it } from 'vitest';
import { readAllRealBlocks, readHeaderFile, type ManifestBlock, type ManifestSummary } from '../../../test/support/real-blocks.js';
import { sharedData } from '../../../test/support/shared-data.js';
import { sha256d } from './hash.js';
import { toHex } from './hex.js';
import type { Block, Transaction } from './model.js';
import { BadBlockError, BadTransactionError } from './parse-errors.js';
import { checkProofOfWork } from './pow.js';
import { parseBlock, parseBlockHeader, parseTransaction, scanBlock, scanTransaction, txidOfSpan, wtxidOfSpan } from './tx-parser.js';

initEccLib(ecc);
const files = readAllRealBlocks();
const parsedFiles = files.map(({ entry, blocks }) => ({ entry, blocks, parsed: blocks.map((b) => parseBlock(b, { verify: true })) }));
const reversedHex = (bytes: Uint8Array): string => toHex(Uint8Array.from(bytes).reverse());
/** Every field, lazy ones included, as plain objects (`toEqual` compares own fields only). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parseBlock on every real block (verified: merkle root and proof of work)', () => {
  it.each(parsedFiles.map((f) => [f.entry.file, f] as const))('%s matches MANIFEST.json', (_file, { entry, parsed }) => {
    expect(parsed).toHaveLength(entry.nBlocks);
    expect(parsed.reduce((n, b) => n + b.transactions.length, 0)).toBe(entry.txs);
    const described = Array.isArray(entry.blocks) ? (entry.blocks as ManifestBlock[]) : [];
    if (!Array.isArray(entry.blocks)) {
      const summary = entry.blocks as ManifestSummary;
      expect([parsed[0]?.header.hash, parsed.at(-1)?.header.hash]).toEqual([summary.first, summary.last]);
      expect([parsed[0]?.header.time, parsed.at(-1)?.header.time]).toEqual([Date.parse(summary.firstTime) / 1000, Date.parse(summary.lastTime) / 1000]);
    }
    described.forEach((m, i) => {
      const block = parsed[i] as Block;
      expect(block.header).toEqual({
        hash: m.hash,
        version: Number.parseInt(m.version, 16),
        prevHash: m.prev,
        merkleRoot: m.merkleRoot,
        time: Date.parse(m.time) / 1000,
        bits: Number.parseInt(m.bits, 16),
        nonce: m.nonce,
      });
      expect(block.transactions).toHaveLength(m.ntx);
      expect(block.transactions.filter((tx) => tx.hasWitness)).toHaveLength(m.nSegwitTx);
      expect(block.size).toBe(m.size);
      expect(block.transactions[0]?.isCoinbase).toBe(true);
      expect(block.transactions.slice(1).some((tx) => tx.isCoinbase)).toBe(false);
    });
    const links = parsed.slice(1).filter((b, i) => b.header.prevHash === parsed[i]?.header.hash).length;
    expect(links).toBe(entry.consecutiveLinks);
  });

  it('reads the 590 consecutive blocks of firstblocks.blk as heights 0 to 589, each linked to the one before', () => {
    const first = parsedFiles.find((f) => f.entry.file.endsWith('firstblocks.blk'));
    const rows = readFileSync(sharedData('blocks', 'hadoopcryptoledger', 'firstblocks.index.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(first?.parsed).toHaveLength(590);
    expect(rows).toHaveLength(590);
    first?.parsed.forEach((block, height) => {
      const [h, hash, prev, time, ntx] = rows[height] as string[];
      expect(Number(h)).toBe(height);
      expect(block.header.hash).toBe(hash);
      expect(block.header.prevHash).toBe(prev);
      expect(block.header.time).toBe(Date.parse(time as string) / 1000);
      expect(block.transactions).toHaveLength(Number(ntx));
      if (height > 0) expect(block.header.prevHash).toBe(first.parsed[height - 1]?.header.hash);
      expect(checkProofOfWork(block.header)).toBe(true);
    });
    // Block 170: the first payment from one person to another (Satoshi to Hal Finney).
    expect(first?.parsed[170]?.transactions[1]?.txid).toBe('f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16');
  });

  it('parses the header file of blocks 1 to 11; each header proves its work and links to the previous', () => {
    const headers = readHeaderFile().map((bytes) => parseBlockHeader(bytes));
    const firstBlocks = parsedFiles.find((f) => f.entry.file.endsWith('firstblocks.blk'))?.parsed ?? [];
    expect(headers).toHaveLength(11);
    headers.forEach((header, i) => {
      expect(header).toEqual(firstBlocks[i + 1]?.header);
      expect(checkProofOfWork(header)).toBe(true);
    });
  });
});

describe('agreement with bitcoinjs-lib on every transaction of every real block', () => {
  it.each(parsedFiles.map((f) => [f.entry.file, f] as const))('%s', (_file, { blocks, parsed }) => {
    blocks.forEach((bytes, b) => {
      const theirs = BjsBlock.fromBuffer(Buffer.from(bytes)).transactions ?? [];
      const ours = (parsed[b] as Block).transactions;
      expect(ours).toHaveLength(theirs.length);
      theirs.forEach((t, i) => {
        const tx = ours[i] as Transaction;
        expect(tx.txid).toBe(t.getId());
        // bitcoinjs-lib gives a coinbase the all-zero wtxid of the BIP141 commitment; chaintrail,
        // like Bitcoin Core's getrawtransaction `hash`, the hash of its full serialization.
        expect(tx.wtxid).toBe(reversedHex(t.isCoinbase() ? sha256d(t.toBuffer()) : t.getHash(true)));
        expect([tx.version, tx.locktime, tx.isCoinbase, tx.hasWitness]).toEqual([t.version, t.locktime, t.isCoinbase(), t.hasWitnesses()]);
        expect([tx.size, tx.weight, tx.vsize]).toEqual([t.byteLength(), t.weight(), t.virtualSize()]);
        expect(plain(tx.inputs)).toEqual(
          t.ins.map((input) => ({
            prevout: { txid: reversedHex(input.hash), vout: input.index },
            scriptSig: toHex(input.script),
            witness: input.witness.map((w) => toHex(w)),
            sequence: input.sequence,
          })),
        );
        expect(tx.outputs.map((o) => [o.value, o.scriptPubKey])).toEqual(t.outs.map((o) => [Number(o.value), toHex(o.script)]));
        tx.outputs.forEach((o, k) => {
          const script = (t.outs[k] as { script: Uint8Array }).script;
          if (o.scriptType === 'p2pk') expect(o.address).toBe(payments.p2pkh({ pubkey: script.subarray(1, script.length - 1) }).address);
          else if (['p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr'].includes(o.scriptType)) expect(o.address).toBe(bjsAddress.fromOutputScript(script));
          else if (o.scriptType === 'op_return') expect(o.address).toBeNull();
          else expect(o.address).toMatch(/^script:[0-9a-f]{64}$/);
        });
      });
    });
  });
});

describe('scanBlock and the span readers', () => {
  const segwitFile = parsedFiles.find((f) => f.entry.file.endsWith('block2019Jan.blk'));

  it('finds every transaction and hashes txid and wtxid from the original bytes', () => {
    for (const { blocks, parsed } of parsedFiles) {
      blocks.forEach((bytes, b) => {
        const { header, txs, end } = scanBlock(bytes);
        const block = parsed[b] as Block;
        expect(header).toEqual(block.header);
        expect(end).toBe(bytes.length);
        expect(txs.map((span) => txidOfSpan(bytes, span))).toEqual(block.transactions.map((tx) => tx.txid));
        expect(txs.map((span) => wtxidOfSpan(bytes, span))).toEqual(block.transactions.map((tx) => tx.wtxid));
      });
    }
  });

  it('parses each transaction of a segwit block alone exactly as within its block', () => {
    const bytes = segwitFile?.blocks[0] as Uint8Array;
    const block = segwitFile?.parsed[0] as Block;
    expect(block.transactions.filter((tx) => tx.hasWitness).length).toBeGreaterThan(10);
    scanBlock(bytes).txs.forEach((span, i) => {
      expect(scanTransaction(bytes, span.start)).toEqual(span);
      expect(plain(parseTransaction(bytes.subarray(span.start, span.end)))).toEqual(plain(block.transactions[i]));
    });
  });
});

describe('the parsed model', () => {
  const segwitFile = parsedFiles.find((f) => f.entry.file.endsWith('block2019Jan.blk'));
  const bytes = segwitFile?.blocks[0] as Uint8Array;

  it('keeps its scripts, witnesses and addresses when the caller reuses the buffer afterwards', () => {
    const expected = plain(parseBlock(bytes));
    const reused = Uint8Array.from(bytes);
    const parsed = parseBlock(reused);
    const tx = parseTransaction(reused.subarray(scanBlock(reused).txs[1]?.start, scanBlock(reused).txs[1]?.end));
    const txExpected = plain(tx);
    reused.fill(0);
    expect(plain(parsed)).toEqual(expected);
    expect(plain(tx)).toEqual(txExpected);
  });

  it('writes every field of inputs and outputs to JSON, in the order of the model', () => {
    const tx = parseBlock(bytes).transactions.find((t) => t.hasWitness) as Transaction;
    const input = JSON.parse(JSON.stringify(tx.inputs[0])) as Record<string, unknown>;
    const output = JSON.parse(JSON.stringify(tx.outputs[0])) as Record<string, unknown>;
    expect(Object.keys(input)).toEqual(['prevout', 'scriptSig', 'witness', 'sequence']);
    expect(Object.keys(output)).toEqual(['value', 'scriptPubKey', 'scriptType', 'address']);
    expect(input.witness).toEqual(tx.inputs[0]?.witness);
    expect(output.address).toBe(tx.outputs[0]?.address);
    expect(Object.keys(JSON.parse(JSON.stringify(tx)) as object)).toEqual(Object.keys(tx));
  });
});

describe('malformed input gives a typed error naming the byte offset', () => {
  const segwitBlock = parsedFiles.find((f) => f.entry.file.endsWith('block2019Jan.blk'))?.blocks[0] as Uint8Array;
  const span = scanBlock(segwitBlock).txs.find((s) => s.hasWitness && s.inputCount > 1 && s.inputCount < 0xfd);
  const raw = segwitBlock.slice(span?.start, span?.end);

  const errorOf = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('rejects a raw transaction cut short at any byte with CHAINTRAIL_BAD_TX', () => {
    for (let cut = 0; cut < raw.length; cut += 7) {
      const error = errorOf(() => parseTransaction(raw.subarray(0, cut)));
      expect(error, `cut at ${cut}`).toBeInstanceOf(BadTransactionError);
      expect((error as BadTransactionError).code).toBe('CHAINTRAIL_BAD_TX');
      expect((error as BadTransactionError).offset).toBeLessThanOrEqual(cut);
      expect((error as Error).message).toContain(`byte offset ${(error as BadTransactionError).offset}`);
    }
  });

  it('rejects trailing bytes, an unknown segwit flag, a non-canonical CompactSize and an impossible amount', () => {
    const cases: [string, Uint8Array, number][] = [];
    const trailing = new Uint8Array(raw.length + 1);
    trailing.set(raw);
    cases.push(['trailing byte', trailing, raw.length]);
    const flag = raw.slice();
    flag[5] = 2;
    cases.push(['segwit flag 2', flag, 5]);
    // Input count 0x02 re-encoded as 0xfd 0x02 0x00.
    const nonCanonical = new Uint8Array(raw.length + 2);
    nonCanonical.set(raw.subarray(0, 6));
    nonCanonical.set([0xfd, raw[6] as number, 0], 6);
    nonCanonical.set(raw.subarray(7), 9);
    cases.push(['non-canonical input count', nonCanonical, 6]);
    const legacy = parsedFiles[1]?.blocks[0] as Uint8Array; // block 413567: legacy transactions only
    const first = scanBlock(legacy).txs[1];
    const rich = legacy.slice(first?.start, first?.end);
    const valueAt = scanOutputValueOffset(rich);
    rich.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00], valueAt); // 2^51 - 1 satoshis
    cases.push(['output value above 21 million BTC', rich, valueAt]);
    for (const [name, bytes, offset] of cases) {
      const error = errorOf(() => parseTransaction(bytes));
      expect(error, name).toBeInstanceOf(BadTransactionError);
      expect((error as BadTransactionError).offset, name).toBe(offset);
    }
  });

  it('rejects a truncated block, a block whose transactions do not match its merkle root, and a header without proof of work', () => {
    const truncated = errorOf(() => parseBlock(segwitBlock.subarray(0, segwitBlock.length - 10)));
    expect(truncated).toBeInstanceOf(BadBlockError);
    expect((truncated as BadBlockError).code).toBe('CHAINTRAIL_BAD_BLOCK');
    expect((truncated as Error).message).toMatch(/transaction \d+ of block 0+[0-9a-f]+/);

    const altered = segwitBlock.slice();
    const at = (span?.ioEnd ?? 0) - 5; // a byte of the last output script (witnesses are not in the txid)
    altered[at] = (altered[at] as number) ^ 1;
    expect(() => parseBlock(altered)).not.toThrow();
    expect(errorOf(() => parseBlock(altered, { verify: true }))).toBeInstanceOf(BadBlockError);

    const noWork = segwitBlock.slice();
    noWork[76] = (noWork[76] as number) ^ 1; // nonce
    const error = errorOf(() => parseBlock(noWork, { verify: true }));
    expect(error).toBeInstanceOf(BadBlockError);
    expect((error as Error).message).toContain('target');

    expect(errorOf(() => parseBlockHeader(segwitBlock.subarray(0, 79)))).toBeInstanceOf(BadBlockError);
  });
});

/** Offset of the first output's value in a legacy transaction. */
function scanOutputValueOffset(raw: Uint8Array): number {
  const span = scanTransaction(raw);
  let pos = span.ioStart + 1;
  for (let i = 0; i < span.inputCount; i++) {
    pos += 36;
    const len = raw[pos] as number;
    pos += 1 + len + 4;
  }
  return pos + 1;
}
