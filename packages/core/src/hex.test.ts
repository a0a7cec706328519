import { describe, expect, it } from 'vitest';
import { BadHexError, fromHex, fromReversedHex, reverseHex, toHex, toReversedHex } from './hex.js';

describe('hex', () => {
  it('round-trips bytes of every length through both encoding paths (short and long)', () => {
    for (let n = 0; n < 300; n += 7) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n) & 0xff);
      const hex = toHex(bytes);
      expect(hex).toBe(Buffer.from(bytes).toString('hex'));
      expect(fromHex(hex)).toEqual(bytes);
      expect(fromHex(hex.toUpperCase())).toEqual(bytes);
      expect(toReversedHex(bytes)).toBe(Buffer.from(bytes).reverse().toString('hex'));
    }
  });

  it('encodes a range of a buffer without copying it', () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
    expect(toHex(bytes, 10, 13)).toBe('0a0b0c');
    expect(toHex(bytes, 0, 64)).toBe(Buffer.from(bytes.subarray(0, 64)).toString('hex'));
    expect(toReversedHex(bytes, 1, 3)).toBe('0201');
  });

  it('converts a txid between display and wire order', () => {
    const txid = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
    expect(reverseHex(reverseHex(txid))).toBe(txid);
    expect(toHex(fromReversedHex(txid))).toBe(reverseHex(txid));
    expect(reverseHex('0102ff')).toBe('ff0201');
  });

  it.each([
    ['odd length', 'abc', /odd length 3/],
    ['a non-hex character', 'abzz', /offset 2/],
    ['a non-ASCII character', 'ab\u0130b', /offset 2/],
    ['whitespace', 'ab  cd', /offset 2/],
  ])('rejects %s with CHAINTRAIL_BAD_HEX naming the input', (_name, input, detail) => {
    expect(() => fromHex(input)).toThrow(BadHexError);
    expect(() => fromHex(input)).toThrow(detail);
    expect(() => fromHex(input)).toThrow(input);
  });
});
