import type { Key } from './keys.js';
import type { Prng } from './prng.js';

/**
 * The scriptSig and witness an input needs to spend from a key, with the exact shapes and
 * sizes real wallets produce, so that weights and fees are realistic and a reader can tell
 * the spent script type from the spend alone (BIP141 "P2WPKH": 2 witness items; BIP341 key
 * path: one 64-byte item). Signatures are random bytes in DER form: nobody checks them.
 */
export interface SpendData {
  readonly scriptSig: Uint8Array;
  readonly witness: readonly Uint8Array[];
}

const EMPTY = new Uint8Array(0);
const SIGHASH_ALL = 0x01;

/**
 * A DER-encoded ECDSA signature with its sighash byte (BIP66 strict DER, BIP62/146 low S).
 * Wallets that grind for a low R (Bitcoin Core since 0.17) always produce 71 bytes; others
 * need a 0x00 pad when R's top bit is set, half of the time, giving 72 bytes.
 */
export function derSignature(rng: Prng, lowR: boolean): Uint8Array {
  // r and s are drawn in place: 32 bytes each, after the DER headers.
  const first = rng.u32();
  const padR = lowR || (first & 0x80) === 0 ? 0 : 1;
  const rLen = 32 + padR;
  const sig = new Uint8Array(2 + 2 + rLen + 2 + 32 + 1);
  sig[0] = 0x30;
  sig[1] = sig.length - 3;
  sig[2] = 0x02;
  sig[3] = rLen;
  const r = 4 + padR;
  rng.fill(sig, r, r + 32);
  // A leading zero byte would have to be dropped by minimal DER; keep every length fixed.
  sig[r] = Math.max(1, lowR ? first & 0x7f : first & 0xff);
  sig[4 + rLen] = 0x02;
  sig[5 + rLen] = 32;
  const s = 6 + rLen;
  rng.fill(sig, s, s + 32);
  sig[s] = Math.max(1, (sig[s] as number) & 0x7f);
  sig[sig.length - 1] = SIGHASH_ALL;
  return sig;
}

export function spendData(key: Key, rng: Prng, lowR: boolean): SpendData {
  switch (key.type) {
    case 'p2pkh': {
      const sig = derSignature(rng, lowR);
      const pub = key.pubkeys[0] as Uint8Array;
      const scriptSig = new Uint8Array(1 + sig.length + 1 + pub.length);
      scriptSig[0] = sig.length;
      scriptSig.set(sig, 1);
      scriptSig[1 + sig.length] = pub.length;
      scriptSig.set(pub, 2 + sig.length);
      return { scriptSig, witness: [] };
    }
    case 'p2wpkh':
      return { scriptSig: EMPTY, witness: [derSignature(rng, lowR), key.pubkeys[0] as Uint8Array] };
    case 'p2sh-p2wpkh': {
      const redeem = key.redeem as Uint8Array;
      const scriptSig = new Uint8Array(1 + redeem.length);
      scriptSig[0] = redeem.length;
      scriptSig.set(redeem, 1);
      return { scriptSig, witness: [derSignature(rng, lowR), key.pubkeys[0] as Uint8Array] };
    }
    case 'p2tr':
      // BIP341 key path with SIGHASH_DEFAULT: one 64-byte Schnorr signature.
      return { scriptSig: EMPTY, witness: [rng.fill(new Uint8Array(64))] };
    case 'p2wsh-multisig':
      // CHECKMULTISIG pops one extra item (the empty dummy), then 2 signatures and the script.
      return { scriptSig: EMPTY, witness: [EMPTY, derSignature(rng, lowR), derSignature(rng, lowR), key.redeem as Uint8Array] };
  }
}
