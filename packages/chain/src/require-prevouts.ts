import type { ResolvedPrevout, SourceTx } from './chain-source.js';
import { UnresolvedPrevoutError } from './source-errors.js';

/**
 * The prevout of every input, for work that needs them all (fees, flow models); throws
 * `CHAINTRAIL_UNRESOLVED_PREVOUT` naming the inputs the source could not resolve. A coinbase
 * has none and gives an empty list.
 */
export function requirePrevouts(sourceTx: SourceTx, source: string): ResolvedPrevout[] {
  if (sourceTx.tx.isCoinbase) return [];
  if (sourceTx.unresolvedPrevouts.length > 0) throw new UnresolvedPrevoutError(source, sourceTx.tx.txid, sourceTx.unresolvedPrevouts);
  return sourceTx.prevouts.filter((p): p is ResolvedPrevout => p !== null);
}
