/**
 * Made-up transactions for tests that need shapes real blocks do not have: hostile
 * strings as addresses, or a batch large enough to be killed mid-write. They are plain
 * data in core's Transaction shape; stores do not re-derive txids from raw hex.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from '@chaintrail/core';
import type { TxWrite } from '@chaintrail/store';

export function syntheticTxid(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** One transaction spending `spends` and paying each address `value` sats. */
export function syntheticTx(seed: string, spends: readonly { txid: string; vout: number }[], pays: readonly { address: string; value: number }[], height?: number): TxWrite {
  const txid = syntheticTxid(seed);
  const tx: Transaction = {
    txid,
    wtxid: txid,
    version: 2,
    locktime: 0,
    inputs: spends.map((prevout) => ({ prevout, scriptSig: '', witness: [], sequence: 0xffffffff })),
    outputs: pays.map(({ address, value }) => ({ value, scriptPubKey: '51', scriptType: 'nonstandard', address })),
    isCoinbase: false,
    hasWitness: false,
    size: 60,
    weight: 240,
    vsize: 60,
  };
  const raw = createHash('sha256').update(`raw:${seed}`).digest('hex');
  return height === undefined
    ? { tx, raw }
    : { tx, raw, placement: { blockHash: syntheticTxid(`block:${height}`), blockHeight: height, blockTime: 1_600_000_000 + height, position: 0 } };
}

/** A chain of `count` transactions, each spending the previous one's first output. */
export function syntheticChain(prefix: string, count: number, addresses: number): TxWrite[] {
  const writes: TxWrite[] = [];
  let previous = { txid: syntheticTxid(`${prefix}:funding`), vout: 0 };
  for (let i = 0; i < count; i++) {
    const write = syntheticTx(`${prefix}:${i}`, [previous], [
      { address: `${prefix}-addr-${i % addresses}`, value: 50_000 + (i % 1000) },
      { address: `${prefix}-addr-${(i * 7 + 3) % addresses}`, value: 1_000 },
    ]);
    writes.push(write);
    previous = { txid: write.tx.txid, vout: 0 };
  }
  return writes;
}
