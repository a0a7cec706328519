import {
  computeTxid,
  draftFromEsplora,
  esploraPrevouts,
  rawTransactionFromEsplora,
  toError,
  toHex,
  type Hasher,
  type Network,
} from '@chaintrail/core';
import type { ResolvedPrevout, SourceTx } from './chain-source.js';
import type { EsploraTxJson } from './esplora-schemas.js';
import { SourceBadAnswerError, TxMismatchError } from './source-errors.js';
import { touchesAddress } from './touches-address.js';
import { resolvedPrevout } from './resolved-prevout.js';

/** Who answered which question, for the errors that reject an answer. */
export interface AnswerContext {
  readonly source: string;
  readonly route: string;
  readonly network: Network;
  readonly hasher: Hasher;
}

/**
 * Turns a schema-valid Esplora transaction into a {@link SourceTx}, rejecting it unless the
 * transaction rebuilt from its fields hashes to the txid asked for, and the addresses the
 * server printed agree with the scripts they claim to encode.
 */
export function sourceTxFromEsplora(json: EsploraTxJson, context: AnswerContext, expectedTxid?: string): SourceTx {
  if (expectedTxid !== undefined && json.txid !== expectedTxid) {
    throw new TxMismatchError(context.source, context.route, expectedTxid, json.txid);
  }
  const options = { network: context.network, hasher: context.hasher };
  let rebuilt;
  try {
    rebuilt = rawTransactionFromEsplora(json, options);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'CHAINTRAIL_TXID_MISMATCH') {
      throw new TxMismatchError(context.source, context.route, json.txid, computeTxid(draftFromEsplora(json), options));
    }
    throw new SourceBadAnswerError(context.source, context.route, toError(error).message, { cause: error });
  }
  const { transaction: tx, raw } = rebuilt;
  json.vout.forEach((output, i) => {
    const claimed = output.scriptpubkey_address;
    const derived = tx.outputs[i]?.address;
    if (claimed !== undefined && derived !== undefined && derived !== null && claimed !== derived && tx.outputs[i]?.scriptType !== 'p2pk') {
      throw new SourceBadAnswerError(context.source, context.route, `output ${i} of ${json.txid} is labelled ${claimed} but its script encodes ${derived}`);
    }
  });
  const claimedPrevouts = esploraPrevouts(json, options);
  const prevouts: (ResolvedPrevout | null)[] = [];
  const unresolved: { txid: string; vout: number }[] = [];
  json.vin.forEach((input, i) => {
    const output = claimedPrevouts[i] ?? null;
    if (output === null) {
      if (!input.is_coinbase) unresolved.push({ txid: input.txid, vout: input.vout });
      prevouts.push(null);
      return;
    }
    const claimed = input.prevout?.scriptpubkey_address;
    if (claimed !== undefined && output.address !== null && claimed !== output.address && output.scriptType !== 'p2pk') {
      throw new SourceBadAnswerError(context.source, context.route, `input ${i} of ${json.txid} spends an output labelled ${claimed} whose script encodes ${output.address}`);
    }
    prevouts.push(resolvedPrevout(input, output));
  });
  if (json.vin.some((input) => input.is_coinbase) !== tx.isCoinbase) {
    throw new SourceBadAnswerError(context.source, context.route, `${json.txid} is ${tx.isCoinbase ? '' : 'not '}a coinbase, the answer says otherwise`);
  }
  const { status } = json;
  return {
    tx,
    raw: toHex(raw),
    placement: status.confirmed
      ? { blockHash: status.block_hash as string, blockHeight: status.block_height as number, blockTime: status.block_time as number, position: null }
      : null,
    prevouts,
    unresolvedPrevouts: unresolved,
    prevoutTrust: 'source-claimed',
  };
}

/**
 * What a page of address history must be for its transactions to be used: confirmed, no
 * more than a page, newest first, no repeats, not the cursor again (a server that returns
 * the cursor would page forever), and each transaction touching the address through an
 * output or a spent output. A server can still leave transactions out; only a second
 * source can show that.
 */
export function checkAddressPage(address: string, afterTxid: string | undefined, txs: readonly SourceTx[], pageSize: number, context: AnswerContext): void {
  const fail = (detail: string): never => {
    throw new SourceBadAnswerError(context.source, context.route, detail);
  };
  if (txs.length > pageSize) fail(`${txs.length} transactions in a page of at most ${pageSize}`);
  const seen = new Set<string>();
  let previousHeight = Number.POSITIVE_INFINITY;
  for (const sourceTx of txs) {
    const { tx, placement } = sourceTx;
    if (placement === null) fail(`unconfirmed transaction ${tx.txid} in confirmed history`);
    if (tx.txid === afterTxid) fail(`the page after ${afterTxid} contains ${afterTxid} again`);
    if (seen.has(tx.txid)) fail(`transaction ${tx.txid} twice in one page`);
    seen.add(tx.txid);
    const height = placement?.blockHeight ?? 0;
    if (height > previousHeight) fail(`transaction ${tx.txid} at height ${height} after one at ${previousHeight}: history must be newest first`);
    previousHeight = height;
    if (!touchesAddress(sourceTx, address)) fail(`transaction ${tx.txid} neither pays nor spends from ${address}`);
  }
}
