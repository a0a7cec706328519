/**
 * SHA-256 (FIPS 180-4) of a message that fits one 64-byte block (at most 55 bytes), and
 * the Base58Check checksum built on it. A Base58Check checksum hashes 21 bytes and then 32;
 * for inputs that small the fixed cost of a call into node:crypto or @noble/hashes (a few
 * microseconds: objects, buffers, a C++ boundary) is many times the 64 rounds themselves,
 * and address encoding runs once per output of every parsed block and once per line of a
 * seed list. Longer messages go through the pluggable `Hasher`. Tested against
 * @noble/hashes and the FIPS 180-4 examples in short-sha256.test.ts.
 */

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
/** Largest message that fits one block with its 0x80 terminator and 64-bit length. */
export const SHORT_SHA256_MAX = 55;

const W = new Int32Array(64);
const state = new Int32Array(8);

/** Hashes `data[start, end)` (at most 55 bytes) into `state`. */
function hashOneBlock(data: Uint8Array, start: number, end: number): void {
  const n = end - start;
  if (n > SHORT_SHA256_MAX || n < 0) throw new RangeError(`shortSha256 takes at most ${SHORT_SHA256_MAX} bytes, not ${n}.`);
  const full = n >> 2;
  let p = start;
  for (let i = 0; i < full; i++, p += 4) {
    W[i] = ((data[p] as number) << 24) | ((data[p + 1] as number) << 16) | ((data[p + 2] as number) << 8) | (data[p + 3] as number);
  }
  // The last partial word, then the 0x80 terminator, zeros, and the bit length.
  let last = 0;
  for (let k = 0; k < (n & 3); k++) last |= (data[p + k] as number) << (24 - 8 * k);
  W[full] = last | (0x80 << (24 - 8 * (n & 3)));
  for (let i = full + 1; i < 15; i++) W[i] = 0;
  W[15] = n * 8;
  compress();
}

/** Hashes the 32-byte digest held in `state` again (the second pass of a double SHA-256). */
function hashStateAgain(): void {
  for (let i = 0; i < 8; i++) W[i] = state[i] as number;
  W[8] = 0x80000000;
  for (let i = 9; i < 15; i++) W[i] = 0;
  W[15] = 256;
  compress();
}

/**
 * One SHA-256 compression of the block in W[0..15], from the initial hash value into `state`.
 * The message schedule is extended inside the rounds, and Ch and Maj use their
 * three-operation forms (`g ^ (e & (f ^ g))`, `(a & b) | (c & (a | b))`): both measured
 * faster in V8 than a separate schedule loop and the textbook forms.
 */
function compress(): void {
  let a = IV[0] as number;
  let b = IV[1] as number;
  let c = IV[2] as number;
  let d = IV[3] as number;
  let e = IV[4] as number;
  let f = IV[5] as number;
  let g = IV[6] as number;
  let h = IV[7] as number;
  for (let i = 0; i < 64; i++) {
    let w: number;
    if (i < 16) w = W[i] as number;
    else {
      const w15 = W[i - 15] as number;
      const w2 = W[i - 2] as number;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      w = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) | 0;
      W[i] = w;
    }
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + (g ^ (e & (f ^ g))) + (K[i] as number) + w) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (IV[0] as number) + a;
  state[1] = (IV[1] as number) + b;
  state[2] = (IV[2] as number) + c;
  state[3] = (IV[3] as number) + d;
  state[4] = (IV[4] as number) + e;
  state[5] = (IV[5] as number) + f;
  state[6] = (IV[6] as number) + g;
  state[7] = (IV[7] as number) + h;
}

function stateBytes(out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++) {
    const v = state[i] as number;
    out[at + 4 * i] = v >>> 24;
    out[at + 4 * i + 1] = v >>> 16;
    out[at + 4 * i + 2] = v >>> 8;
    out[at + 4 * i + 3] = v;
  }
}

/** SHA-256 of `data[start, end)`, at most 55 bytes. */
export function shortSha256(data: Uint8Array, start = 0, end = data.length): Uint8Array {
  hashOneBlock(data, start, end);
  const out = new Uint8Array(32);
  stateBytes(out, 0);
  return out;
}

/**
 * The Base58Check checksum of `data[start, end)` (at most 55 bytes): the first 4 bytes of
 * its double SHA-256, big-endian in one unsigned number.
 */
export function base58Checksum(data: Uint8Array, start = 0, end = data.length): number {
  hashOneBlock(data, start, end);
  hashStateAgain();
  return (state[0] as number) >>> 0;
}
