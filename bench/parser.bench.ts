/**
 * Parser throughput on every real block in ../shared/data/blocks, against bitcoinjs-lib
 * `Block.fromBuffer` + `getId()` (and bitcoinjs-lib doing the same work as parseBlock), all
 * measured in the same run. Median of several rounds after a warm-up; the order of
 * candidates rotates every round. Each figure is given in wall-clock time and in CPU time
 * of this process (`process.cpuUsage`), with the load average: on a shared machine the CPU
 * figures and their ratios are the steadier ones.
 *
 * parseBlock makes the hex of scripts and witness items and the output addresses on first
 * access (the txid, wtxid, prevouts, values and script types are read while parsing). So
 * chaintrail is measured three ways: reading txids only (evidence checks, txid lookups),
 * reading what the block-file index reads (txids, prevouts, values, addresses), and
 * reading every field of every input and output.
 */
import { loadavg } from 'node:os';
import { nodeHasher, nodeHexEncoder } from '@chaintrail/chain';
import { nobleHasher, parseBlock, scanBlock, txidOfSpan, type BlockParseOptions, type Transaction } from '@chaintrail/core';
import { address as bitcoinjsAddress, Block as BitcoinjsBlock } from 'bitcoinjs-lib';
import { readAllRealBlocks } from '../test/support/real-blocks.js';
import type { BenchReporter } from './reporter.js';

const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** How much of each parsed transaction a candidate reads. */
type Reading = (tx: Transaction) => number;

const readTxid: Reading = (tx) => tx.txid.length;

/** What BlockIndex (packages/chain) reads of every transaction it indexes. */
const readAsIndex: Reading = (tx) => {
  let n = tx.txid.length + tx.size;
  for (const input of tx.inputs) n += input.prevout.txid.length + input.prevout.vout;
  for (const output of tx.outputs) n += output.value + (output.address?.length ?? 0);
  return n;
};

const readEverything: Reading = (tx) => {
  let n = tx.txid.length + tx.wtxid.length + tx.version + tx.locktime + tx.weight;
  for (const input of tx.inputs) {
    n += input.prevout.txid.length + input.prevout.vout + input.scriptSig.length + input.sequence;
    for (const item of input.witness) n += item.length;
  }
  for (const output of tx.outputs) n += output.value + output.scriptPubKey.length + output.scriptType.length + (output.address?.length ?? 0);
  return n;
};

export async function run(report: BenchReporter): Promise<void> {
  const blocks = readAllRealBlocks().flatMap((f) => f.blocks);
  const buffers = blocks.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const bytes = blocks.reduce((n, b) => n + b.length, 0);

  let sink = 0;
  const parseAll =
    (options: BlockParseOptions, read: Reading): (() => number) =>
    () => {
      let n = 0;
      for (const block of blocks) {
        const parsed = parseBlock(block, options);
        for (const tx of parsed.transactions) sink += read(tx);
        n += parsed.transactions.length;
      }
      return n;
    };
  const native = { hasher: nodeHasher, hexEncoder: nodeHexEncoder };
  const candidates = {
    'chaintrail parseBlock, txids read (node:crypto)': parseAll(native, readTxid),
    'chaintrail parseBlock, txids read (@noble/hashes)': parseAll({ hasher: nobleHasher }, readTxid),
    'chaintrail parseBlock, read as BlockIndex does: txids, prevouts, values, addresses (node:crypto)': parseAll(native, readAsIndex),
    'chaintrail parseBlock, every field read (node:crypto, node hex)': parseAll(native, readEverything),
    'chaintrail parseBlock, every field read (node:crypto, portable hex)': parseAll({ hasher: nodeHasher }, readEverything),
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
    'bitcoinjs-lib, same work as parseBlock with every field read (every 4th block)': (): number => {
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
  const wall = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
  const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
  const counts = Object.fromEntries(names.map((name) => [name, candidates[name]()])) as Record<Name, number>; // warm-up (JIT)
  const loadBefore = loadavg()[0] as number;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so no candidate always runs after the same one (GC, caches).
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length] as Name;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      candidates[name]();
      wall[name].push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu[name].push((used.user + used.system) / 1000);
    }
  }
  const load = `load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] as number).toFixed(2)} after`;

  const txCount = counts['chaintrail parseBlock, txids read (node:crypto)'];
  report.section(`parser: ${blocks.length} real blocks, ${txCount.toLocaleString('en-US')} txs, ${(bytes / 1e6).toFixed(1)} MB; ${load}`);
  const wallRate = (name: Name): number => counts[name] / (median(wall[name]) / 1000);
  const cpuRate = (name: Name): number => counts[name] / (median(cpu[name]) / 1000);
  for (const name of names) {
    report.metric(name, wallRate(name), 'tx/s', `median of ${ROUNDS}: ${median(wall[name]).toFixed(0)} ms wall, ${median(cpu[name]).toFixed(0)} ms CPU per round; ${Math.round(cpuRate(name)).toLocaleString('en-US')} tx per CPU-second`);
  }
  const baseline: Name = 'bitcoinjs-lib Block.fromBuffer + getId';
  const ratio = (label: string, name: Name, against: Name = baseline, target?: string): void => {
    const byWall = wallRate(name) / wallRate(against);
    const byCpu = cpuRate(name) / cpuRate(against);
    report.ratio(`${label} (CPU time)`, byCpu, target === undefined ? undefined : { target });
    report.ratio(`${label} (wall clock)`, byWall);
  };
  ratio('parseBlock, txids read (node:crypto) vs bitcoinjs-lib', 'chaintrail parseBlock, txids read (node:crypto)', baseline, '>= 3');
  ratio('parseBlock, txids read (@noble/hashes) vs bitcoinjs-lib', 'chaintrail parseBlock, txids read (@noble/hashes)');
  ratio('parseBlock, read as BlockIndex does vs bitcoinjs-lib', 'chaintrail parseBlock, read as BlockIndex does: txids, prevouts, values, addresses (node:crypto)');
  ratio('parseBlock, every field read (node hex) vs bitcoinjs-lib', 'chaintrail parseBlock, every field read (node:crypto, node hex)');
  ratio('parseBlock, every field read (portable hex) vs bitcoinjs-lib', 'chaintrail parseBlock, every field read (node:crypto, portable hex)');
  ratio('scanBlock + txid (node:crypto) vs bitcoinjs-lib', 'chaintrail scanBlock + txidOfSpan (node:crypto)');
  ratio(
    'parseBlock, every field read (node hex) vs bitcoinjs-lib doing the same work',
    'chaintrail parseBlock, every field read (node:crypto, node hex)',
    'bitcoinjs-lib, same work as parseBlock with every field read (every 4th block)',
  );
  report.note(
    'parseBlock reads txids, wtxids, prevouts, values and script types while parsing; the hex of scripts ' +
      'and witness items and the output addresses (a Base58Check address costs two SHA-256 compressions) ' +
      'are made when first read and then kept. "txids read" leaves those untouched; "every field read" ' +
      'touches every field of every input and output, as a full decode would. bitcoinjs-lib Block.fromBuffer ' +
      'decodes scripts as bytes and makes no addresses; the last baseline adds that work (hex through node ' +
      'Buffers, address.fromOutputScript).',
  );
  if (sink === 0) report.note('no transactions parsed');
  await Promise.resolve();
}
