import type { ResolvedTx } from './resolved-tx.js';
import type { UnionFind } from './union-find.js';

/**
 * Common-input ownership (Nakamoto 2008, section 10; Meiklejohn et al., IMC 2013; BlockSci
 * `cluster_manager.cpp`): the inputs of a transaction that is neither a coinbase nor
 * CoinJoin-like are spent by one entity. The caller decides CoinJoin-likeness first.
 */
export const COMMON_INPUT = { name: 'cioh', version: 1, confidence: 100 } as const;
/** A P2SH address and the address its redeem script wraps are one key or script (METHODS.md). */
export const P2SH_WRAPPED = { name: 'cioh:p2sh-wrapped', version: 1, confidence: 100 } as const;

export interface AddressPair {
  readonly a: string;
  readonly b: string;
  readonly heuristic: typeof COMMON_INPUT.name | typeof P2SH_WRAPPED.name;
}

/**
 * The pairs common-input ownership joins in `tx`: the first known input address with every
 * other distinct one (a star, so n addresses give n - 1 links), then each P2SH input with
 * the address it wraps. Unresolved inputs are skipped: there is nothing to link them by.
 */
export function commonInputPairs(tx: ResolvedTx): AddressPair[] {
  if (tx.isCoinbase) return [];
  const pairs: AddressPair[] = [];
  const seen = new Set<string>();
  let first: string | null = null;
  for (const input of tx.inputs) {
    const address = input.address;
    if (address === null || seen.has(address)) continue;
    seen.add(address);
    if (first === null) first = address;
    else pairs.push({ a: first, b: address, heuristic: COMMON_INPUT.name });
  }
  const wrapped = new Set<string>();
  for (const input of tx.inputs) {
    const inner = input.wrappedAddress;
    if (input.address === null || inner === undefined || inner === null || inner === input.address || wrapped.has(input.address)) continue;
    wrapped.add(input.address);
    pairs.push({ a: input.address, b: inner, heuristic: P2SH_WRAPPED.name });
  }
  return pairs;
}

/**
 * The bulk path over dense address ids: transaction t's input ids are
 * `inputIds[txStarts[t] .. txStarts[t + 1])`. Joins each transaction's first input with
 * every other (the same star as {@link commonInputPairs}) and returns how many joins merged
 * two sets. This is what `bench/cluster.bench.ts` times against graphsense-clustering.
 */
export function uniteInputs(uf: UnionFind, inputIds: Int32Array, txStarts: Int32Array): number {
  let merges = 0;
  for (let t = 0; t + 1 < txStarts.length; t++) {
    const start = txStarts[t]!;
    const end = txStarts[t + 1]!;
    if (end - start < 2) continue;
    // The transaction's root so far, carried along instead of found again for every input.
    let root = uf.find(inputIds[start]!);
    for (let i = start + 1; i < end; i++) {
      const other = uf.find(inputIds[i]!);
      if (other === root) continue;
      root = uf.linkRoots(root, other);
      merges++;
    }
  }
  return merges;
}
