import { describe, expect, it } from 'vitest';
import { encodeSegwitAddress, fromHex } from '@chaintrail/core';
import { nestedSegwitAddress } from './nested-segwit.js';

const keyHash = '751e76e8199196d454941c45d1b3a323f1433bd6';
const scriptHash = '1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262';

describe('nestedSegwitAddress', () => {
  const cases: [string, string, string | null][] = [
    ['P2SH-P2WPKH: the key hash under witness v0', `160014${keyHash}`, encodeSegwitAddress('bc', 0, fromHex(keyHash))],
    ['P2SH-P2WSH: the script hash under witness v0', `220020${scriptHash}`, encodeSegwitAddress('bc', 0, fromHex(scriptHash))],
    ['a 2-of-2 multisig redeem script reveals no address', `0047${'30'.repeat(71)}47${'30'.repeat(71)}475221${'02'.repeat(33)}21${'03'.repeat(33)}52ae`, null],
    ['an empty scriptSig (a native segwit input)', '', null],
    ['a push of the wrong length', `170014${keyHash}00`, null],
  ];
  for (const [name, scriptSig, expected] of cases) {
    it(name, () => {
      expect(nestedSegwitAddress(scriptSig, 'mainnet')).toBe(expected);
    });
  }
  it('encodes for the case network', () => {
    expect(nestedSegwitAddress(`160014${keyHash}`, 'testnet')).toBe(encodeSegwitAddress('tb', 0, fromHex(keyHash)));
  });
});
