/**
 * Segwit address encoding: bech32 (BIP173) for witness version 0 and bech32m (BIP350) for
 * versions 1 to 16. Written here rather than taken from the `bech32` package so that
 * decoding reports *why* a string fails (checksum, case, length, variant) and does not
 * allocate on the hot path of a million-line seed import.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const charValue = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) charValue[CHARSET.charCodeAt(i)] = i;

export type Bech32Variant = 'bech32' | 'bech32m';
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

function polymodStep(chk: number): number {
  const top = chk >>> 25;
  return (
    (((chk & 0x1ffffff) << 5) ^
      (top & 1 ? 0x3b6a57b2 : 0) ^
      (top & 2 ? 0x26508e6d : 0) ^
      (top & 4 ? 0x1ea119fa : 0) ^
      (top & 8 ? 0x3d4233dd : 0) ^
      (top & 16 ? 0x2a1462b3 : 0)) >>>
    0
  );
}

function hrpChecksumState(hrp: string): number {
  let chk = 1;
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk) ^ (hrp.charCodeAt(i) >> 5);
  chk = polymodStep(chk);
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk) ^ (hrp.charCodeAt(i) & 31);
  return chk;
}

/** A segwit address for `program[start, end)` under witness `version` (bech32 for v0, bech32m otherwise). */
export function encodeSegwitAddress(hrp: string, version: number, program: Uint8Array, start = 0, end = program.length): string {
  let chk = polymodStep(hrpChecksumState(hrp)) ^ version;
  let out = `${hrp}1${CHARSET[version] as string}`;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    acc = ((acc << 8) | (program[i] as number)) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      const v = (acc >>> bits) & 31;
      chk = polymodStep(chk) ^ v;
      out += CHARSET[v] as string;
    }
  }
  if (bits > 0) {
    const v = (acc << (5 - bits)) & 31;
    chk = polymodStep(chk) ^ v;
    out += CHARSET[v] as string;
  }
  for (let i = 0; i < 6; i++) chk = polymodStep(chk);
  chk ^= version === 0 ? BECH32_CONST : BECH32M_CONST;
  for (let i = 0; i < 6; i++) out += CHARSET[(chk >>> (5 * (5 - i))) & 31] as string;
  return out;
}

export interface DecodedSegwit {
  readonly hrp: string;
  readonly version: number;
  readonly program: Uint8Array;
  readonly variant: Bech32Variant;
}

/** Why a string is not a valid segwit address; address.ts turns these into typed errors. */
export type SegwitFailure =
  | { readonly kind: 'mixed-case' | 'character' | 'no-separator' | 'too-long' | 'checksum' | 'padding' }
  | { readonly kind: 'version'; readonly version: number }
  | { readonly kind: 'program-length'; readonly version: number; readonly length: number }
  | { readonly kind: 'variant'; readonly version: number; readonly variant: Bech32Variant };

/**
 * Decodes a segwit address by BIP173 and BIP350: at most 90 characters, one case, checksum
 * constant chosen by the witness version, program of 2 to 40 bytes (20 or 32 for v0), and
 * zero padding of at most 4 bits. `text` must already be trimmed; upper case is accepted.
 */
export function decodeSegwitAddress(text: string): DecodedSegwit | SegwitFailure {
  if (text.length > 90) return { kind: 'too-long' };
  let hasLower = false;
  let hasUpper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c > 126) return { kind: 'character' };
    if (c >= 97 && c <= 122) hasLower = true;
    else if (c >= 65 && c <= 90) hasUpper = true;
  }
  if (hasLower && hasUpper) return { kind: 'mixed-case' };
  const lower = hasUpper ? text.toLowerCase() : text;
  const sep = lower.lastIndexOf('1');
  // At least the witness version and the 6 checksum characters follow the separator.
  if (sep < 1 || sep + 8 > lower.length) return { kind: 'no-separator' };
  const hrp = lower.slice(0, sep);
  const dataLength = lower.length - sep - 1;
  let chk = hrpChecksumState(hrp);
  const values = new Uint8Array(dataLength);
  for (let i = 0; i < dataLength; i++) {
    const code = lower.charCodeAt(sep + 1 + i);
    const v = code < 128 ? (charValue[code] as number) : -1;
    if (v < 0) return { kind: 'character' };
    values[i] = v;
    chk = polymodStep(chk) ^ v;
  }
  const variant: Bech32Variant | null = chk === BECH32_CONST ? 'bech32' : chk === BECH32M_CONST ? 'bech32m' : null;
  if (variant === null) return { kind: 'checksum' };
  const version = values[0] as number;
  if (version > 16) return { kind: 'version', version };
  const program = new Uint8Array((((dataLength - 7) * 5) / 8) | 0);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = 1; i < dataLength - 6; i++) {
    acc = ((acc << 5) | (values[i] as number)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      program[n++] = (acc >>> bits) & 0xff;
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) !== 0) return { kind: 'padding' };
  if (n < 2 || n > 40 || (version === 0 && n !== 20 && n !== 32)) return { kind: 'program-length', version, length: n };
  if ((version === 0) !== (variant === 'bech32')) return { kind: 'variant', version, variant };
  return { hrp, version, program: program.subarray(0, n), variant };
}
