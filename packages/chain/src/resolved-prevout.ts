import type { OutPoint, TxOutput } from '@chaintrail/core';
import type { ResolvedPrevout } from './chain-source.js';

/**
 * The output `prevout` names, with its outpoint. Fields are copied one by one: the parser's
 * outputs make `scriptPubKey` and `address` on first read (getters), which `{ ...output }`
 * would silently drop.
 */
export function resolvedPrevout(prevout: OutPoint, output: TxOutput): ResolvedPrevout {
  return { txid: prevout.txid, vout: prevout.vout, value: output.value, scriptPubKey: output.scriptPubKey, scriptType: output.scriptType, address: output.address };
}
