import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { decodeBase58Check, encodeBase58, encodeBase58Check } from './base58check.js';
import { toHex } from './hex.js';
import { base58Checksum, shortSha256 } from './short-sha256.js';
import bs58check from 'bs58check';

describe('shortSha256', () => {
  it('gives the FIPS 180-4 digests of "" and "abc"', () => {
    expect(toHex(shortSha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(shortSha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('equals @noble/hashes for every length it accepts, also on a slice', () => {
    const data = Uint8Array.from({ length: 80 }, (_, i) => (i * 97 + 13) & 0xff);
    for (let n = 0; n <= 55; n++) {
      expect(toHex(shortSha256(data.subarray(0, n)))).toBe(toHex(nobleSha256(data.subarray(0, n))));
      expect(toHex(shortSha256(data, 7, 7 + n))).toBe(toHex(nobleSha256(data.subarray(7, 7 + n))));
    }
  });

  it('refuses messages that need a second block', () => {
    expect(() => shortSha256(new Uint8Array(56))).toThrow(RangeError);
  });

  it('gives the Base58Check checksum: the first 4 bytes of the double SHA-256', () => {
    const payload = Uint8Array.from({ length: 21 }, (_, i) => i * 11);
    const expected = nobleSha256(nobleSha256(payload));
    expect(base58Checksum(payload).toString(16).padStart(8, '0')).toBe(toHex(expected.subarray(0, 4)));
  });
});

describe('Base58Check', () => {
  it('agrees with bs58check on payloads of many sizes, with and without leading zero bytes', () => {
    for (let n = 1; n <= 80; n += 3) {
      for (const zeros of [0, 1, 5]) {
        const payload = Uint8Array.from({ length: n }, (_, i) => (i < zeros ? 0 : (i * 37 + n) & 0xff));
        const encoded = encodeBase58Check(payload);
        expect(encoded).toBe(bs58check.encode(payload));
        expect(decodeBase58Check(encoded)).toEqual(payload);
      }
    }
  });

  it('encodes zero bytes as 1s and the empty input as the empty string', () => {
    expect(encodeBase58(new Uint8Array(3))).toBe('111');
    expect(encodeBase58(new Uint8Array())).toBe('');
    expect(encodeBase58(Uint8Array.of(0, 0, 0x28, 0x7f, 0xb4, 0xcd))).toBe('11233QC4');
  });

  it('names the kind of failure', () => {
    expect(decodeBase58Check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toBe('checksum');
    expect(decodeBase58Check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0')).toBe('character');
    expect(decodeBase58Check('1A')).toBe('length');
  });
});
