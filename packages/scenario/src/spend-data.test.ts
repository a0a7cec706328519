import { classifyScript, hash160 } from '@chaintrail/core';
import { describe, expect, it } from 'vitest';
import { KeyFactory, type Key, type KeyType } from './keys.js';
import { nodeHasher } from './node-hasher.js';
import { Prng } from './prng.js';
import { derSignature, spendData } from './spend-data.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** BIP66 strict DER with a sighash byte, as Bitcoin Core's `IsValidSignatureEncoding`. */
function isStrictDer(sig: Uint8Array): boolean {
  const n = sig.length;
  if (n < 9 || n > 73 || sig[0] !== 0x30 || sig[1] !== n - 3) return false;
  const rLen = sig[3] as number;
  if (5 + rLen >= n) return false;
  const sLen = sig[5 + rLen] as number;
  if (rLen + sLen + 7 !== n) return false;
  if (sig[2] !== 0x02 || rLen === 0 || ((sig[4] as number) & 0x80) !== 0) return false;
  if (rLen > 1 && sig[4] === 0 && ((sig[5] as number) & 0x80) === 0) return false;
  if (sig[4 + rLen] !== 0x02 || sLen === 0 || ((sig[6 + rLen] as number) & 0x80) !== 0) return false;
  return !(sLen > 1 && sig[6 + rLen] === 0 && ((sig[7 + rLen] as number) & 0x80) === 0);
}

describe('signatures', () => {
  it('are strict DER with low S; 71 bytes with low R, 71 or 72 without', () => {
    const rng = new Prng(1);
    const lengths = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const lowR = derSignature(rng, true);
      expect(isStrictDer(lowR)).toBe(true);
      expect(lowR.length).toBe(71);
      const any = derSignature(rng, false);
      expect(isStrictDer(any)).toBe(true);
      lengths.add(any.length);
    }
    expect([...lengths].sort()).toEqual([71, 72]);
  });
});

describe('spends', () => {
  const keys = new KeyFactory(new Prng(2), () => undefined);
  const rng = new Prng(3);
  const cases: [KeyType, string, (key: Key) => void][] = [
    ['p2pkh', 'p2pkh', (key) => {
      const { scriptSig, witness } = spendData(key, rng, true);
      expect(witness).toEqual([]);
      expect(scriptSig.length).toBe(1 + 71 + 1 + 33);
      expect(hex(hash160(scriptSig.subarray(73)))).toBe(hex(key.scriptPubKey.subarray(3, 23)));
    }],
    ['p2wpkh', 'p2wpkh', (key) => {
      const { scriptSig, witness } = spendData(key, rng, true);
      expect(scriptSig.length).toBe(0);
      expect(witness.map((w) => w.length)).toEqual([71, 33]);
      expect(hex(hash160(witness[1] as Uint8Array))).toBe(hex(key.scriptPubKey.subarray(2)));
    }],
    ['p2sh-p2wpkh', 'p2sh', (key) => {
      const { scriptSig, witness } = spendData(key, rng, true);
      expect(scriptSig.length).toBe(23);
      expect(hex(hash160(scriptSig.subarray(1)))).toBe(hex(key.scriptPubKey.subarray(2, 22)));
      expect(witness.map((w) => w.length)).toEqual([71, 33]);
    }],
    ['p2tr', 'p2tr', (key) => {
      const { scriptSig, witness } = spendData(key, rng, true);
      expect(scriptSig.length).toBe(0);
      expect(witness.map((w) => w.length)).toEqual([64]);
    }],
    ['p2wsh-multisig', 'p2wsh', (key) => {
      const { witness } = spendData(key, rng, true);
      expect(witness.map((w) => w.length)).toEqual([0, 71, 71, 105]);
      expect(hex(nodeHasher.sha256(witness[3] as Uint8Array))).toBe(hex(key.scriptPubKey.subarray(2)));
    }],
  ];
  it.each(cases)('of %s keys have the shape that reveals the script type (%s)', (type, scriptType, check) => {
    const key = keys.make(type, 'user:1', 'user-receive');
    const classified = classifyScript(key.scriptPubKey);
    expect(classified.type).toBe(scriptType);
    expect(classified.address).toBe(key.address);
    check(key);
  });
});
