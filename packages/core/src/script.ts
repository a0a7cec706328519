import { encodeBase58Check } from './base58check.js';
import { encodeSegwitAddress } from './bech32.js';
import { hash160, nobleHasher, type Hasher, type HasherOption } from './hash.js';
import { toHex } from './hex.js';
import type { Network, ScriptType } from './model.js';
import { NETWORKS, type NetworkParams } from './networks.js';

/** What an output script is, and the address an investigator follows it by. */
export interface ScriptClass {
  readonly type: ScriptType;
  /**
   * The encoded address for standard scripts; for P2PK the P2PKH address of the key (as
   * explorers show them); `script:<sha256 hex of the script>` for outputs without an
   * address (bare multisig, non-standard, witness v0 of a wrong length); null for OP_RETURN.
   */
  readonly address: string | null;
}

export interface ScriptOptions extends HasherOption {
  /** Network the addresses are encoded for; default mainnet. */
  readonly network?: Network;
}

const OP_0 = 0x00;
const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_RETURN = 0x6a;
const OP_DUP = 0x76;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_HASH160 = 0xa9;
const OP_CHECKSIG = 0xac;
const OP_CHECKMULTISIG = 0xae;

/** Prefix of the identifier given to outputs that have no address. */
export const SCRIPT_ID_PREFIX = 'script:';

/**
 * Classifies an output script the way Bitcoin Core's `Solver` (`src/script/solver.cpp`) and
 * Esplora do, so `address` equals Esplora's `scriptpubkey_address` wherever Esplora gives one.
 *
 * Two decisions differ from a naive reading and are deliberate:
 * - P2TR: any 32-byte witness v1 program is `p2tr` with its bech32m address, also when the
 *   x-only key is not a point on secp256k1. Such an output can only be spent by script path
 *   if at all (BIP341 requires a valid output key, so it is in practice unspendable), but
 *   Bitcoin Core (`ExtractDestination` -> `WitnessV1Taproot`), Esplora and mempool.space all
 *   show that address, and an investigator must be able to look it up there. Deciding curve
 *   membership would also cost a square root per output in the parser's hot loop.
 * - P2PK: the key's P2PKH address, as explorers list P2PK outputs under it; the type stays
 *   `p2pk`. Keys of a size that does not match their prefix byte are non-standard, as in Core.
 */
export function classifyScript(script: Uint8Array, options?: ScriptOptions): ScriptClass {
  return classifyScriptFor(script, 0, script.length, NETWORKS[options?.network ?? 'mainnet'], options?.hasher ?? nobleHasher);
}

/**
 * {@link classifyScript} of `bytes[start, end)` with resolved parameters: the parser's hot
 * loop classifies every output in place, without a subarray per script.
 */
export function classifyScriptFor(bytes: Uint8Array, start: number, end: number, params: NetworkParams, hasher: Hasher): ScriptClass {
  const type = scriptTypeAt(bytes, start, end);
  return { type, address: scriptAddressFor(type, bytes, start, end, params, hasher) };
}

/**
 * The type of the output script `bytes[start, end)`, as {@link classifyScript} decides it,
 * without deriving its address: pattern matching only, no hashing.
 */
export function scriptTypeAt(bytes: Uint8Array, start: number, end: number): ScriptType {
  const n = end - start;
  if (
    n === 25 &&
    bytes[start] === OP_DUP &&
    bytes[start + 1] === OP_HASH160 &&
    bytes[start + 2] === 20 &&
    bytes[start + 23] === OP_EQUALVERIFY &&
    bytes[start + 24] === OP_CHECKSIG
  ) {
    return 'p2pkh';
  }
  if (n === 23 && bytes[start] === OP_HASH160 && bytes[start + 1] === 20 && bytes[start + 22] === OP_EQUAL) return 'p2sh';
  // BIP141 witness program: a version opcode, then one direct push of 2 to 40 bytes.
  const first = n > 0 ? (bytes[start] as number) : -1;
  if (n >= 4 && n <= 42 && (first === OP_0 || (first >= OP_1 && first <= OP_16)) && bytes[start + 1] === n - 2) {
    // BIP141: a v0 program of a length other than 20 or 32 fails validation; no address exists.
    if (first === OP_0) return n === 22 ? 'p2wpkh' : n === 34 ? 'p2wsh' : 'nonstandard';
    return first === OP_1 && n === 34 ? 'p2tr' : 'witness_unknown';
  }
  if (first === OP_RETURN) return 'op_return';
  if ((n === 35 || n === 67) && first === n - 2 && bytes[start + n - 1] === OP_CHECKSIG && isPubKeyOfSize(bytes, start + 1, n - 2)) return 'p2pk';
  if (isBareMultisig(bytes, start, end)) return 'multisig';
  return 'nonstandard';
}

/**
 * The address of the output script `bytes[start, end)` whose type {@link scriptTypeAt} gave:
 * the costly half of {@link classifyScriptFor} (Base58Check hashes twice, P2PK and
 * scripts without an address hash their bytes), which the parser defers until it is read.
 */
export function scriptAddressFor(type: ScriptType, bytes: Uint8Array, start: number, end: number, params: NetworkParams, hasher: Hasher): string | null {
  switch (type) {
    case 'p2pkh':
      return base58Address(params.pubKeyHash, bytes, start + 3);
    case 'p2sh':
      return base58Address(params.scriptHash, bytes, start + 2);
    case 'p2wpkh':
    case 'p2wsh':
    case 'p2tr':
    case 'witness_unknown': {
      const first = bytes[start] as number;
      return encodeSegwitAddress(params.bech32, first === OP_0 ? 0 : first - OP_1 + 1, bytes, start + 2, end);
    }
    case 'op_return':
      return null;
    case 'p2pk':
      return base58Address(params.pubKeyHash, hash160(bytes.subarray(start + 1, end - 1), hasher), 0);
    case 'multisig':
    case 'nonstandard':
      return scriptId(bytes.subarray(start, end), hasher);
  }
}

/** The identifier of an output without an address: stable, and distinct from any address. */
export function scriptId(script: Uint8Array, hasher: Hasher = nobleHasher): string {
  return SCRIPT_ID_PREFIX + toHex(hasher.sha256(script));
}

const addressPayload = new Uint8Array(21);

/** The Base58Check address of the 20-byte hash at `bytes[at]` under `version`. */
function base58Address(version: number, bytes: Uint8Array, at: number): string {
  addressPayload[0] = version;
  for (let i = 0; i < 20; i++) addressPayload[1 + i] = bytes[at + i] as number;
  return encodeBase58Check(addressPayload);
}

/** Bitcoin Core `CPubKey::ValidSize`: 33 bytes after 02/03, 65 after 04/06/07. */
function isPubKeyOfSize(s: Uint8Array, at: number, size: number): boolean {
  const prefix = s[at];
  return size === 33 ? prefix === 2 || prefix === 3 : size === 65 && (prefix === 4 || prefix === 6 || prefix === 7);
}

/** `OP_m <pubkey>... OP_n OP_CHECKMULTISIG` with 1 <= m <= n <= 16, as Core's `MatchMultisig`. */
function isBareMultisig(s: Uint8Array, start: number, end: number): boolean {
  if (end - start < 37 || s[end - 1] !== OP_CHECKMULTISIG) return false;
  const m = (s[start] as number) - OP_1 + 1;
  const keys = (s[end - 2] as number) - OP_1 + 1;
  if (m < 1 || m > 16 || keys < 1 || keys > 16 || m > keys) return false;
  let at = start + 1;
  for (let k = 0; k < keys; k++) {
    const size = s[at] as number;
    if ((size !== 33 && size !== 65) || at + 1 + size > end - 2 || !isPubKeyOfSize(s, at + 1, size)) return false;
    at += 1 + size;
  }
  return at === end - 2;
}

/** OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG. */
export function p2pkhScript(pubKeyHash: Uint8Array): Uint8Array {
  checkLength(pubKeyHash, 20, 'P2PKH key hash');
  return concat([OP_DUP, OP_HASH160, 20], pubKeyHash, [OP_EQUALVERIFY, OP_CHECKSIG]);
}

/** OP_HASH160 <20> OP_EQUAL (BIP16). */
export function p2shScript(scriptHash: Uint8Array): Uint8Array {
  checkLength(scriptHash, 20, 'P2SH script hash');
  return concat([OP_HASH160, 20], scriptHash, [OP_EQUAL]);
}

/** OP_0 <20-byte key hash> (BIP141). */
export function p2wpkhScript(pubKeyHash: Uint8Array): Uint8Array {
  checkLength(pubKeyHash, 20, 'P2WPKH key hash');
  return concat([OP_0, 20], pubKeyHash, []);
}

/** OP_0 <32-byte SHA-256 of the witness script> (BIP141). */
export function p2wshScript(scriptSha256: Uint8Array): Uint8Array {
  checkLength(scriptSha256, 32, 'P2WSH script hash');
  return concat([OP_0, 32], scriptSha256, []);
}

/** OP_1 <32-byte x-only output key> (BIP341). */
export function p2trScript(xOnlyKey: Uint8Array): Uint8Array {
  checkLength(xOnlyKey, 32, 'P2TR x-only key');
  return concat([OP_1, 32], xOnlyKey, []);
}

/** <33- or 65-byte public key> OP_CHECKSIG. */
export function p2pkScript(pubKey: Uint8Array): Uint8Array {
  if (pubKey.length !== 33 && pubKey.length !== 65) throw new RangeError(`A P2PK public key has 33 or 65 bytes, not ${pubKey.length}.`);
  return concat([pubKey.length], pubKey, [OP_CHECKSIG]);
}

/** OP_m <pubkeys> OP_n OP_CHECKMULTISIG, 1 <= m <= n <= 16. */
export function multisigScript(m: number, pubKeys: readonly Uint8Array[]): Uint8Array {
  if (!Number.isInteger(m) || m < 1 || m > pubKeys.length || pubKeys.length > 16) {
    throw new RangeError(`A bare multisig needs 1 <= m <= n <= 16; got m=${m}, n=${pubKeys.length}.`);
  }
  const parts: number[] = [OP_1 + m - 1];
  for (const key of pubKeys) {
    if (key.length !== 33 && key.length !== 65) throw new RangeError(`A multisig public key has 33 or 65 bytes, not ${key.length}.`);
    parts.push(key.length, ...key);
  }
  parts.push(OP_1 + pubKeys.length - 1, OP_CHECKMULTISIG);
  return Uint8Array.from(parts);
}

/** OP_RETURN followed by one push of `data` (minimal push opcode, as Core's `CScript() << data`). */
export function opReturnScript(data: Uint8Array): Uint8Array {
  const n = data.length;
  const head = n < OP_PUSHDATA1 ? [OP_RETURN, n] : n <= 0xff ? [OP_RETURN, OP_PUSHDATA1, n] : [OP_RETURN, OP_PUSHDATA2, n & 0xff, n >> 8];
  if (n > 0xffff) throw new RangeError(`OP_RETURN data of ${n} bytes is too large to push.`);
  return concat(head, data, []);
}

function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) throw new RangeError(`A ${what} has ${length} bytes, not ${bytes.length}.`);
}

function concat(head: readonly number[], body: Uint8Array, tail: readonly number[]): Uint8Array {
  const out = new Uint8Array(head.length + body.length + tail.length);
  out.set(head);
  out.set(body, head.length);
  out.set(tail, head.length + body.length);
  return out;
}
