/**
 * Parser throughput on every real block in ../shared/data/blocks: chaintrail's zero-copy
 * parser (full decode: txids, wtxids, scripts, witnesses, output types and addresses) and
 * its span scanner (txids only), against bitcoinjs-lib `Block.fromBuffer` + `getId()` and
 * against bitcoinjs-lib doing the same work as parseBlock, all measured in the same run.
 * Median of several rounds after a warm-up; the order of candidates rotates every round.
 */
import { nodeHasher } from '@chaintrail/chain';
import { nobleHasher, parseBlock, scanBlock, txidOfSpan, type Hasher } from '@chaintrail/core';
import { address as bitcoinjsAddress, Block as BitcoinjsBlock } from 'bitcoinjs-lib';
import { readAllRealBlocks } from '../test/support/real-blocks.js';
import type { BenchReporter } from './reporter.js';

const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function run(report: BenchReporter): Promise<void> {
  const blocks = readAllRealBlocks().flatMap((f) => f.blocks);
  const buffers = blocks.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const bytes = blocks.reduce((n, b) => n + b.length, 0);

  let sink = 0;
  const parseAll =
    (hasher: Hasher): (() => number) =>
    () => {
      let n = 0;
      for (const block of blocks) {
        const parsed = parseBlock(block, { hasher });
        for (const tx of parsed.transactions) sink += tx.txid.length;
        n += parsed.transactions.length;
      }
      return n;
    };
  const candidates = {
    'chaintrail parseBlock (node:crypto)': parseAll(nodeHasher),
    'chaintrail parseBlock (@noble/hashes)': parseAll(nobleHasher),
    'chaintrail scanBlock + txidOfSpan (node:crypto)': (): number => {
      let n = 0;
      for (const block of blocks) {
        const { txs } = scanBlock(block, { hasher: nodeHasher });
        for (const span of txs) sink += txidOfSpan(block, span, nodeHasher).length;
        n += txs.length;
      }
      return n;
    },
    'bitcoinjs-lib Block.fromBuffer + getId': (): number => {
      let n = 0;
      for (const buffer of buffers) {
        const txs = BitcoinjsBlock.fromBuffer(buffer).transactions ?? [];
        for (const tx of txs) sink += tx.getId().length;
        n += txs.length;
      }
      return n;
    },
    // About 20 times slower (address.fromOutputScript tries each payment type in turn), so it
    // runs on every 4th block; its rate is per transaction of that sample.
    'bitcoinjs-lib, same work as parseBlock (every 4th block)': (): number => {
      let n = 0;
      for (const buffer of buffers.filter((_, i) => i % 4 === 0)) {
        const txs = BitcoinjsBlock.fromBuffer(buffer).transactions ?? [];
        for (const tx of txs) {
          sink += tx.getId().length + tx.getHash(true).length;
          for (const input of tx.ins) {
            sink += Buffer.from(input.hash).reverse().toString('hex').length + Buffer.from(input.script).toString('hex').length;
            for (const item of input.witness) sink += Buffer.from(item).toString('hex').length;
          }
          for (const output of tx.outs) {
            sink += Buffer.from(output.script).toString('hex').length;
            try {
              sink += bitcoinjsAddress.fromOutputScript(output.script).length;
            } catch {
              sink += 1; // no address: P2PK, multisig, OP_RETURN, non-standard
            }
          }
        }
        n += txs.length;
      }
      return n;
    },
  };
  type Name = keyof typeof candidates;
  const names = Object.keys(candidates) as Name[];
  const times: Record<Name, number[]> = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
  const counts = Object.fromEntries(names.map((name) => [name, candidates[name]()])) as Record<Name, number>; // warm-up (JIT)
  const txCount = counts['chaintrail parseBlock (node:crypto)'];
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so no candidate always runs after the same one (GC, caches).
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length] as Name;
      const start = performance.now();
      candidates[name]();
      times[name].push(performance.now() - start);
    }
  }

  report.section(`parser: ${blocks.length} real blocks, ${txCount.toLocaleString('en-US')} txs, ${(bytes / 1e6).toFixed(1)} MB`);
  const rate = (name: Name): number => counts[name] / (median(times[name]) / 1000);
  for (const name of names) report.metric(name, rate(name), 'tx/s', `median of ${ROUNDS}, ${median(times[name]).toFixed(0)} ms/round`);
  const baseline = rate('bitcoinjs-lib Block.fromBuffer + getId');
  report.ratio('parseBlock (node:crypto) vs bitcoinjs-lib', rate('chaintrail parseBlock (node:crypto)') / baseline, { target: '>= 3' });
  report.ratio('parseBlock (@noble/hashes) vs bitcoinjs-lib', rate('chaintrail parseBlock (@noble/hashes)') / baseline);
  report.ratio('scanBlock + txid (node:crypto) vs bitcoinjs-lib', rate('chaintrail scanBlock + txidOfSpan (node:crypto)') / baseline);
  report.ratio('parseBlock (node:crypto) vs bitcoinjs-lib doing the same work', rate('chaintrail parseBlock (node:crypto)') / rate('bitcoinjs-lib, same work as parseBlock (every 4th block)'));
  report.note(
    'parseBlock does more than Block.fromBuffer + getId: wtxids, hex of every script and witness item, ' +
      'output types and addresses (a Base58Check address costs two SHA-256 compressions). The second ' +
      'bitcoinjs-lib baseline adds that work (hex through node Buffers, address.fromOutputScript).',
  );
  if (sink === 0) report.note('no transactions parsed');
  await Promise.resolve();
}
