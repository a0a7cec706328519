import { ChaintrailError } from './errors.js';

/** A string that is not an even-length run of hexadecimal digits. */
export class BadHexError extends ChaintrailError {
  constructor(input: string, detail: string) {
    const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
    super('CHAINTRAIL_BAD_HEX', `Invalid hex "${shown}": ${detail}. Pass an even number of the digits 0-9 and a-f.`);
  }
}

const byteToHex: string[] = [];
/**
 * The two ASCII codes of each byte's hex as one 16-bit unit, laid out in memory as the
 * characters read (written through a byte view, so it holds on either endianness).
 */
const byteToHexCodes = new Uint16Array(256);
const byteToHexCodeBytes = new Uint8Array(byteToHexCodes.buffer);
for (let i = 0; i < 256; i++) {
  const pair = i.toString(16).padStart(2, '0');
  byteToHex.push(pair);
  byteToHexCodeBytes[2 * i] = pair.charCodeAt(0);
  byteToHexCodeBytes[2 * i + 1] = pair.charCodeAt(1);
}

const hexValue = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) hexValue[48 + i] = i;
for (let i = 0; i < 6; i++) {
  hexValue[65 + i] = 10 + i;
  hexValue[97 + i] = 10 + i;
}

/**
 * Hex digits are ASCII, which UTF-8 decodes to the same characters; V8's UTF-8 decoder has
 * an ASCII fast path that is about twice as fast as its windows-1252 ('latin1') one.
 */
const ascii = new TextDecoder('utf-8', { ignoreBOM: true });
let scratch = new Uint16Array(4096);
/** Views of `scratch` by byte length, so decoding does not allocate one per call. */
let views: (Uint8Array | undefined)[] = [];

/** Below this many bytes, concatenating table strings beats a TextDecoder call. */
const SHORT = 12;

function decodeScratch(n: number): string {
  let view = views[n];
  if (view === undefined) {
    view = new Uint8Array(scratch.buffer, 0, n * 2);
    if (n <= 4096) views[n] = view;
  }
  return ascii.decode(view);
}

function ensureScratch(n: number): void {
  if (scratch.length >= n) return;
  scratch = new Uint16Array(Math.max(n, scratch.length * 2));
  views = [];
}

/**
 * Encodes `bytes[start, end)` as lower-case hex. Core's own {@link toHex} is portable; a
 * runtime may offer a native one (node's `Buffer#toString('hex')`, several times faster
 * on whole transactions), which @chaintrail/chain passes to the parser as `nodeHexEncoder`.
 */
export type HexEncoder = (bytes: Uint8Array, start: number, end: number) => string;

/** Lower-case hex of `bytes[start, end)`. */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n <= SHORT) {
    let out = '';
    for (let i = start; i < end; i++) out += byteToHex[bytes[i] as number] as string;
    return out;
  }
  ensureScratch(n);
  for (let i = 0; i < n; i++) scratch[i] = byteToHexCodes[bytes[start + i] as number] as number;
  return decodeScratch(n);
}

/**
 * Hex of `bytes[start, end)` in reverse byte order: how Bitcoin displays hashes (txids,
 * block hashes), which are little-endian 256-bit numbers on the wire.
 */
export function toReversedHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  ensureScratch(n);
  for (let i = 0; i < n; i++) scratch[i] = byteToHexCodes[bytes[end - 1 - i] as number] as number;
  return decodeScratch(n);
}

/**
 * The display hex of `count` 32-byte hashes starting at `offsets[0..count)` in `bytes`,
 * concatenated into one string (64 characters each): one decode for all the prevout txids
 * of a transaction, which callers cut with `substring` (V8 keeps those as slices).
 */
export function toReversedHashesHex(bytes: Uint8Array, offsets: ArrayLike<number>, count: number): string {
  ensureScratch(count * 32);
  let k = 0;
  for (let j = 0; j < count; j++) {
    const end = (offsets[j] as number) + 32;
    for (let i = 1; i <= 32; i++) scratch[k++] = byteToHexCodes[bytes[end - i] as number] as number;
  }
  return decodeScratch(count * 32);
}

/** Bytes of a hex string (either case). Throws {@link BadHexError} on odd length or a non-hex digit. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (typeof hex !== 'string') throw new BadHexError(String(hex), 'not a string');
  const n = hex.length;
  if (n % 2 !== 0) throw new BadHexError(hex, `odd length ${n}`);
  const out = new Uint8Array(n / 2);
  for (let i = 0; i < n; i += 2) {
    const hi = nibble(hex.charCodeAt(i));
    const lo = nibble(hex.charCodeAt(i + 1));
    if ((hi | lo) < 0) throw new BadHexError(hex, `non-hex character at offset ${hi < 0 ? i : i + 1}`);
    out[i >> 1] = (hi << 4) | lo;
  }
  return out;
}

function nibble(code: number): number {
  return code < 128 ? (hexValue[code] as number) : -1;
}

/** Bytes of a display-order hash hex, in wire (internal) order. */
export function fromReversedHex(hex: string): Uint8Array {
  return fromHex(hex).reverse();
}

/** The same bytes in reverse order, as hex: converts a hash between display and wire order. */
export function reverseHex(hex: string): string {
  return toReversedHex(fromHex(hex));
}
