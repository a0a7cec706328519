/**
 * Every raw transaction: its bytes decode as a transaction and hash (double SHA-256 of the
 * serialization without witness) to the txid its file is named after. 64-byte
 * transactions are refused: a merkle proof cannot tell them from inner nodes of the tree
 * (CVE-2017-12842).
 */
import { nodeHasher } from '@chaintrail/chain';
import { fromHex, parseTransaction } from '@chaintrail/core';
import { RAW_DIR } from '../bundle-layout.js';
import type { VerifyContext } from './verify-context.js';

const RAW_FILE = new RegExp(`^${RAW_DIR}/([0-9a-f]{64})\\.hex$`);

export async function verifyRawTransactions(ctx: VerifyContext): Promise<void> {
  for (const file of ctx.reader.files) {
    if (!file.startsWith(`${RAW_DIR}/`)) continue;
    const match = RAW_FILE.exec(file);
    if (!match) {
      ctx.findings.fail({ check: 'raw', file, message: `not named <txid>.hex (64 lowercase hex digits)` });
      continue;
    }
    const txid = match[1] as string;
    const text = (await ctx.reader.read(file)).toString('utf8').trim();
    if (!/^(?:[0-9a-f]{2})+$/.test(text)) {
      ctx.findings.fail({ check: 'raw', file, txid, message: 'not a hex string' });
      continue;
    }
    let tx;
    try {
      tx = parseTransaction(fromHex(text), { network: ctx.network, hasher: nodeHasher });
    } catch (error) {
      ctx.findings.fail({ check: 'raw', file, txid, message: `does not decode as a transaction: ${(error as Error).message}` });
      continue;
    }
    if (tx.txid !== txid) {
      ctx.findings.fail({ check: 'raw', file, txid, message: `its bytes hash to txid ${tx.txid}, not ${txid}: the raw transaction was replaced` });
      continue;
    }
    if (text.length === 128) {
      ctx.findings.fail({ check: 'raw', file, txid, message: 'a 64-byte transaction cannot be proven by a merkle branch (CVE-2017-12842)' });
      continue;
    }
    ctx.raw.set(txid, { tx, file, bytes: text.length / 2 });
  }
}
