import { sha256d } from './hash.js';
import { base58Checksum, SHORT_SHA256_MAX } from './short-sha256.js';

/**
 * Base58Check as Bitcoin Core implements it (`src/base58.cpp`): leading zero bytes become
 * '1's, the rest is a big-endian base-58 number; the last 4 bytes of the payload are the
 * first 4 bytes of its double SHA-256.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const digitValue = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) digitValue[ALPHABET.charCodeAt(i)] = i;

/** Why a string failed to decode; address.ts turns these into typed errors naming the input. */
export type Base58Failure = 'character' | 'checksum' | 'length';

const ALPHABET_CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** The character codes of the two base-58 digits of every number below 58^2. */
const PAIR_HIGH = Uint8Array.from({ length: 58 * 58 }, (_, v) => ALPHABET_CODES[Math.floor(v / 58)] as number);
const PAIR_LOW = Uint8Array.from({ length: 58 * 58 }, (_, v) => ALPHABET_CODES[v % 58] as number);
const digitCodes: number[] = [];

/** 58^5: base-58 digits are produced five at a time from limbs of this base. */
const LIMB = 656_356_768;
/** Enough limbs for 58 bytes (16 * log2(58^5) > 58 * 8 bits); longer inputs allocate. */
const limbs = new Float64Array(16);

export function encodeBase58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let big = limbs;
  if (bytes.length > 58) big = new Float64Array(Math.ceil(bytes.length / 3.6) + 1);
  let count = 0;
  // Feed the number in 16-bit steps: limb * 65536 + carry stays below 2^53.
  let i = zeros;
  if ((bytes.length - zeros) % 2 === 1) count = feed(big, count, bytes[i++] as number, 256, LIMB);
  for (; i < bytes.length; i += 2) count = feed(big, count, ((bytes[i] as number) << 8) | (bytes[i + 1] as number), 65536, LIMB);
  // Each limb is five digits, taken two at a time (58^2 = 3364) from a table of pairs;
  // character codes are written from the end, then turned into one string.
  const total = zeros + count * 5;
  const digits = total <= 64 ? digitCodes : new Array<number>(total);
  let d = total;
  for (let k = 0; k < count; k++) {
    const limb = big[k] as number;
    const high = Math.floor(limb / 3364);
    const low = limb - high * 3364;
    const top = Math.floor(high / 3364);
    const middle = high - top * 3364;
    digits[--d] = PAIR_LOW[low] as number;
    digits[--d] = PAIR_HIGH[low] as number;
    digits[--d] = PAIR_LOW[middle] as number;
    digits[--d] = PAIR_HIGH[middle] as number;
    digits[--d] = ALPHABET_CODES[top] as number;
  }
  // The top limb's leading zero digits are not part of the number.
  while (d < total && digits[d] === 49) d++;
  for (let z = 0; z < zeros; z++) digits[--d] = 49; // '1'
  return String.fromCharCode.apply(null, digits.slice(d, total));
}

/**
 * Multiplies the little-endian number in `big[0, count)` (limbs of base `limb`) by `base`
 * and adds `value`; returns the new limb count. Every intermediate stays below 2^53.
 */
function feed(big: Float64Array, count: number, value: number, base: number, limb: number): number {
  let carry = value;
  for (let j = 0; j < count; j++) {
    const x = (big[j] as number) * base + carry;
    carry = Math.floor(x / limb);
    big[j] = x - carry * limb;
  }
  while (carry > 0) {
    const q = Math.floor(carry / limb);
    big[count++] = carry - q * limb;
    carry = q;
  }
  return count;
}

const POW58 = [1, 58, 58 ** 2, 58 ** 3, 58 ** 4, 58 ** 5];
/** 16-bit limbs for decoding: enough for 80 characters (80 * log2(58) < 30 * 16 bits). */
const decodeLimbs = new Float64Array(30);

/** Bytes of a base-58 string, or the kind of failure. Digits are taken five at a time. */
export function decodeBase58(text: string): Uint8Array | Base58Failure {
  const n = text.length;
  let zeros = 0;
  while (zeros < n && text.charCodeAt(zeros) === 49 /* '1' */) zeros++;
  const big = n <= 80 ? decodeLimbs : new Float64Array(Math.ceil((n * 5.86) / 16) + 1);
  let count = 0;
  for (let i = zeros; i < n; ) {
    let group = 0;
    let k = 0;
    for (; k < 5 && i < n; k++, i++) {
      const code = text.charCodeAt(i);
      const digit = code < 128 ? (digitValue[code] as number) : -1;
      if (digit < 0) return 'character';
      group = group * 58 + digit;
    }
    count = feed(big, count, group, POW58[k] as number, 65536);
  }
  let length = count * 2;
  if (count > 0 && (big[count - 1] as number) < 256) length--;
  const out = new Uint8Array(zeros + length);
  for (let j = 0, at = out.length - 1; at >= zeros; j++) {
    const limb = big[j] as number;
    out[at--] = limb & 0xff;
    if (at >= zeros) out[at--] = limb >>> 8;
  }
  return out;
}

let checked = new Uint8Array(64);

export function encodeBase58Check(payload: Uint8Array): string {
  if (checked.length < payload.length + 4) checked = new Uint8Array(payload.length + 4);
  checked.set(payload);
  writeChecksum(checked, payload.length);
  return encodeBase58(checked.subarray(0, payload.length + 4));
}

/** Writes the checksum of `bytes[0, length)` at `length`. */
function writeChecksum(bytes: Uint8Array, length: number): void {
  if (length <= SHORT_SHA256_MAX) {
    const check = base58Checksum(bytes, 0, length);
    bytes[length] = check >>> 24;
    bytes[length + 1] = check >>> 16;
    bytes[length + 2] = check >>> 8;
    bytes[length + 3] = check;
  } else {
    bytes.set(sha256d(bytes.subarray(0, length)).subarray(0, 4), length);
  }
}

/** The payload of a Base58Check string (checksum removed), or the kind of failure. */
export function decodeBase58Check(text: string): Uint8Array | Base58Failure {
  const bytes = decodeBase58(text);
  if (typeof bytes === 'string') return bytes;
  if (bytes.length < 5) return 'length';
  const length = bytes.length - 4;
  const claimed = bytes.slice(length);
  writeChecksum(bytes, length);
  for (let i = 0; i < 4; i++) if (claimed[i] !== bytes[length + i]) return 'checksum';
  return bytes.subarray(0, length);
}
