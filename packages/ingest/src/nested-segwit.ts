import { classifyScript, fromHex, type Network } from '@chaintrail/core';
import { nodeHasher } from '@chaintrail/chain';

/**
 * The segwit address a P2SH input wraps, when its scriptSig is the single push of a
 * witness v0 program (BIP141 "P2WPKH nested in BIP16 P2SH": `16 0014{20}`, and P2WSH:
 * `22 0020{32}`). Common-input ownership links the two (METHODS.md): they are one key or
 * one script under two encodings. Other P2SH redeem scripts (multisig, ...) reveal no
 * address and give null.
 */
export function nestedSegwitAddress(scriptSig: string, network: Network): string | null {
  const nestedP2wpkh = scriptSig.length === 46 && scriptSig.startsWith('160014');
  const nestedP2wsh = scriptSig.length === 70 && scriptSig.startsWith('220020');
  if (!nestedP2wpkh && !nestedP2wsh) return null;
  return classifyScript(fromHex(scriptSig.slice(2)), { network, hasher: nodeHasher }).address;
}
