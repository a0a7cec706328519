import { classifyScript, hash160, multisigScript, p2pkhScript, p2shScript, p2trScript, p2wpkhScript, p2wshScript, type ScriptType } from '@chaintrail/core';
import { nodeHasher } from './node-hasher.js';
import type { Prng } from './prng.js';
import type { AddressRole } from './truth.js';
import type { WalletKeyType } from './world-options.js';

/** The address types the world uses: the four wallet types, and 2-of-3 P2WSH cold storage. */
export type KeyType = WalletKeyType | 'p2wsh-multisig';

/**
 * One address of the world and what is needed to spend from it. Keys are not real: the
 * public keys are random bytes of the right shape, because no one verifies signatures here,
 * but everything derived from them (hashes, scripts, addresses) is exact.
 */
export interface Key {
  readonly type: KeyType;
  readonly scriptPubKey: Uint8Array;
  readonly address: string;
  readonly owner: string;
  readonly role: AddressRole;
  /** Compressed public keys: one for the key-hash types, three for multisig, none for P2TR. */
  readonly pubkeys: readonly Uint8Array[];
  /** The P2SH redeem script (P2SH-P2WPKH) or the witness script (P2WSH). */
  readonly redeem: Uint8Array | null;
}

/** Told of every key as it is made, so truth.json lists every address. */
export type KeyListener = (key: Key, customer: string | undefined) => void;

const scriptTypeOf: Readonly<Record<KeyType, ScriptType>> = {
  p2pkh: 'p2pkh',
  'p2sh-p2wpkh': 'p2sh',
  p2wpkh: 'p2wpkh',
  p2tr: 'p2tr',
  'p2wsh-multisig': 'p2wsh',
};

export function scriptTypeOfKey(type: KeyType): ScriptType {
  return scriptTypeOf[type];
}

export class KeyFactory {
  constructor(
    private readonly rng: Prng,
    private readonly listener: KeyListener,
  ) {}

  /** A fresh key of `type` owned by `owner`; `customer` for exchange deposit addresses. */
  make(type: KeyType, owner: string, role: AddressRole, customer?: string): Key {
    let key: Key;
    switch (type) {
      case 'p2pkh': {
        const pub = this.pubkey();
        key = this.key(type, p2pkhScript(hash160(pub, nodeHasher)), owner, role, [pub], null);
        break;
      }
      case 'p2wpkh': {
        const pub = this.pubkey();
        key = this.key(type, p2wpkhScript(hash160(pub, nodeHasher)), owner, role, [pub], null);
        break;
      }
      case 'p2sh-p2wpkh': {
        const pub = this.pubkey();
        // BIP141 "P2WPKH nested in BIP16 P2SH": the redeem script is the P2WPKH program.
        const redeem = p2wpkhScript(hash160(pub, nodeHasher));
        key = this.key(type, p2shScript(hash160(redeem, nodeHasher)), owner, role, [pub], redeem);
        break;
      }
      case 'p2tr': {
        // An x-only output key from random bytes, as the lead decided: core gives any 32-byte
        // v1 program its bech32m address, as Bitcoin Core and Esplora do.
        const xOnly = this.rng.fill(new Uint8Array(32));
        key = this.key(type, p2trScript(xOnly), owner, role, [], null);
        break;
      }
      case 'p2wsh-multisig': {
        const pubs = [this.pubkey(), this.pubkey(), this.pubkey()];
        // The usual cold-storage witness script: OP_2 <pk1> <pk2> <pk3> OP_3 OP_CHECKMULTISIG.
        const witnessScript = multisigScript(2, pubs);
        key = this.key(type, p2wshScript(nodeHasher.sha256(witnessScript)), owner, role, pubs, witnessScript);
        break;
      }
    }
    this.listener(key, customer);
    return key;
  }

  private key(type: KeyType, scriptPubKey: Uint8Array, owner: string, role: AddressRole, pubkeys: Uint8Array[], redeem: Uint8Array | null): Key {
    const address = classifyScript(scriptPubKey, { hasher: nodeHasher }).address as string;
    return { type, scriptPubKey, address, owner, role, pubkeys, redeem };
  }

  private pubkey(): Uint8Array {
    const pub = this.rng.fill(new Uint8Array(33), 1);
    pub[0] = 2 + (this.rng.u32() & 1);
    return pub;
  }
}
