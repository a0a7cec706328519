/**
 * One hop of the expansion around the seeds (DESIGN.md, "The workflow it serves").
 *
 * Backward ("who paid"): the parents of a transaction are the transactions whose outputs
 * its inputs spend; their txids are in the transaction itself, so a backward hop costs one
 * look-up per parent.
 *
 * Forward ("where the money went"): the spender of an output is written nowhere in the
 * output. Three places know it:
 * 1. the store, when the spender is already stored (`OutputRecord.spentBy`), which covers
 *    every output paying a seed (the seed's history holds its spends) and any spender
 *    reached on another path;
 * 2. the source's spend index (`ChainSource.outspends`: Esplora's `/tx/:txid/outspends`,
 *    the block-file index), asked once per batch for every output the store cannot answer;
 *    no per-address limit applies, so a busy address costs no more than a quiet one;
 * 3. for a source without a spend index, the history of the output's address, which holds
 *    every transaction spending from it. It reads newest first and stops at
 *    `maxTxsPerAddress`, so the spender of an old output of a busy address (an exchange hot
 *    wallet) can lie past the limit: such outputs are reported as cut, never as unspent.
 *    Outputs of one address in one batch share a single history scan.
 */
import type { ChainSource, SourceTx } from '@chaintrail/chain';
import type { GraphStore, OutputRecord } from '@chaintrail/store';
import { scanAddressHistory } from './address-history.js';
import { mapConcurrent } from './map-concurrent.js';

/** Outpoints per `outspends` call: bounds one index query (or one burst of Esplora requests). */
const OUTSPENDS_PER_CALL = 2000;

export interface BackwardStep {
  /** Parent txids to fetch, unique, in input order. */
  readonly parents: string[];
  /** Inputs not followed because they spend less than the minimum value. */
  readonly belowMinimum: number;
}

/**
 * The parents of `stx` worth following: every input's funding transaction, except those
 * whose spent output is known to be worth less than `minValue`. An input whose value the
 * source cannot tell (its parent is not in the block files) is followed: the limit is
 * about value, and an unknown value is not a small one.
 */
export function parentsToFollow(stx: SourceTx, minValue: number): BackwardStep {
  if (stx.tx.isCoinbase) return { parents: [], belowMinimum: 0 };
  const parents = new Set<string>();
  let belowMinimum = 0;
  stx.tx.inputs.forEach((input, i) => {
    const value = stx.prevouts[i]?.value;
    if (value !== undefined && value < minValue) belowMinimum++;
    else parents.add(input.prevout.txid);
  });
  return { parents: [...parents], belowMinimum };
}

export interface ForwardStep {
  /** Spending transactions found, unique, in the order found. */
  readonly spenders: string[];
  /** Outputs whose spender was in the store already. */
  readonly spentInStore: number;
  /** Outputs the source says are unspent (their address's whole history was read). */
  readonly unspent: number;
  /** Outputs not followed because they are worth less than the minimum value. */
  readonly belowMinimum: number;
  /** Outputs nothing can spend (OP_RETURN), or, searching by address, without an address. */
  readonly unsearchable: number;
  /** Outputs whose spender was not found within `maxTxsPerAddress` of their address's history. */
  readonly cutOutputs: number;
  /** The addresses whose history the limit cut, with how many transactions were read. */
  readonly cutAddresses: ReadonlyArray<{ readonly address: string; readonly scanned: number }>;
}

export interface ForwardOptions {
  readonly store: GraphStore;
  readonly source: ChainSource;
  readonly minValue: number;
  readonly maxTxsPerAddress: number;
  readonly concurrency: number;
}

/**
 * The spenders of the outputs of `txids` (all stored already). Reads the store first, then
 * asks the source's spend index for the outputs the store cannot answer, or, without one,
 * scans each of their addresses' histories.
 */
export async function spendersOf(txids: readonly string[], options: ForwardOptions): Promise<ForwardStep> {
  const { store, source } = options;
  const byIndex = source.capabilities.outspends;
  const spenders = new Set<string>();
  let spentInStore = 0;
  let belowMinimum = 0;
  let unsearchable = 0;
  const open: OutputRecord[] = [];
  const stored = await mapConcurrent(txids, options.concurrency, (txid) => store.getTransaction(txid));
  for (const tx of stored) {
    for (const output of tx.outputs) {
      if (output.spentBy !== null) {
        spentInStore++;
        spenders.add(output.spentBy.txid);
      } else if (output.value < options.minValue) {
        belowMinimum++;
      } else if (output.scriptType === 'op_return' || (!byIndex && output.address === null)) {
        unsearchable++;
      } else {
        open.push(output);
      }
    }
  }
  const found = byIndex ? await searchSpendIndex(source, open) : await searchHistories(source, open, options);
  for (const txid of found.spenders) spenders.add(txid);
  return { spentInStore, belowMinimum, unsearchable, ...found, spenders: [...spenders] };
}

type SearchResult = Pick<ForwardStep, 'spenders' | 'unspent' | 'cutOutputs' | 'cutAddresses'>;

async function searchSpendIndex(source: ChainSource, outputs: readonly OutputRecord[]): Promise<SearchResult> {
  const spenders: string[] = [];
  let unspent = 0;
  for (let i = 0; i < outputs.length; i += OUTSPENDS_PER_CALL) {
    const answers = await source.outspends(outputs.slice(i, i + OUTSPENDS_PER_CALL).map((o) => ({ txid: o.txid, vout: o.vout })));
    for (const answer of answers) {
      if (answer === null) unspent++;
      else spenders.push(answer.txid);
    }
  }
  return { spenders, unspent, cutOutputs: 0, cutAddresses: [] };
}

async function searchHistories(source: ChainSource, outputs: readonly OutputRecord[], options: ForwardOptions): Promise<SearchResult> {
  const spenders: string[] = [];
  let unspent = 0;
  let cutOutputs = 0;
  const cutAddresses: { address: string; scanned: number }[] = [];
  // address → outpoints (`txid:vout`) still looking for a spender.
  const wanted = new Map<string, Set<string>>();
  for (const output of outputs) {
    const address = output.address as string;
    let set = wanted.get(address);
    if (!set) wanted.set(address, (set = new Set()));
    set.add(`${output.txid}:${output.vout}`);
  }
  const addresses = [...wanted.keys()].sort();
  const found = await mapConcurrent(addresses, options.concurrency, async (address) => {
    const open = wanted.get(address) as Set<string>;
    const hits: string[] = [];
    const scan = await scanAddressHistory(source, address, options.maxTxsPerAddress, (stx) => {
      for (const input of stx.tx.inputs) {
        if (open.delete(`${input.prevout.txid}:${input.prevout.vout}`)) hits.push(stx.tx.txid);
      }
      return open.size === 0;
    });
    return { address, hits, left: open.size, scan };
  });
  for (const { address, hits, left, scan } of found) {
    spenders.push(...hits);
    if (left === 0) continue;
    if (scan.truncated) {
      cutOutputs += left;
      cutAddresses.push({ address, scanned: scan.scanned });
    } else {
      unspent += left;
    }
  }
  return { spenders, unspent, cutOutputs, cutAddresses };
}
