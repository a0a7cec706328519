import {
  BadAddressChecksumError,
  BadAddressEncodingError,
  BadAddressError,
  BadAddressLengthError,
  MixedCaseAddressError,
  WrongNetworkError,
} from './address-errors.js';
import { decodeBase58Check } from './base58check.js';
import { decodeSegwitAddress } from './bech32.js';
import { toHex } from './hex.js';
import type { Network, ScriptType } from './model.js';

/** A decoded address. */
export interface ParsedAddress {
  /** Normalised: whitespace trimmed, bech32 in lower case. */
  readonly address: string;
  /**
   * The network the address is read as: the expected network when the address is valid
   * there, else the first of `networks`.
   */
  readonly network: Network;
  /**
   * Every network whose encoding the address matches. Testnet and signet share all
   * prefixes (`tb1`, `m`/`n`, `2`), and regtest shares the Base58 ones, so an address alone
   * can say "testnet or signet" but not which; `network` then reads `testnet` unless the
   * caller expected another.
   */
  readonly networks: readonly Network[];
  readonly scriptType: ScriptType;
  /** The output script the address pays to, hex. */
  readonly scriptPubKey: string;
}

export interface ParseAddressOptions {
  /** Reject (`CHAINTRAIL_WRONG_NETWORK`) an address that is not valid on this network. */
  readonly network?: Network;
}

const MAINNET: readonly Network[] = ['mainnet'];
const TEST_BASE58: readonly Network[] = ['testnet', 'signet', 'regtest'];
const TEST_BECH32: readonly Network[] = ['testnet', 'signet'];
const REGTEST: readonly Network[] = ['regtest'];
const bech32Networks: Readonly<Record<string, readonly Network[]>> = { bc: MAINNET, tb: TEST_BECH32, bcrt: REGTEST };

/**
 * Decodes a Bitcoin address: Base58Check P2PKH/P2SH or a segwit address under the BIP173
 * and BIP350 rules. Every failure is a typed {@link AddressError} naming the input.
 */
export function parseAddress(input: string, options?: ParseAddressOptions): ParsedAddress {
  if (typeof input !== 'string') throw new BadAddressError(String(input), 'not a string');
  const text = input.trim();
  if (text.length === 0) throw new BadAddressError(input, 'empty');
  const sep = text.lastIndexOf('1');
  const maybeHrp = sep > 0 ? text.slice(0, sep).toLowerCase() : '';
  const parsed = bech32Networks[maybeHrp] !== undefined ? parseSegwit(text, input) : parseBase58(text, input);
  const expected = options?.network;
  if (expected === undefined) return parsed;
  if (!parsed.networks.includes(expected)) throw new WrongNetworkError(input, expected, parsed.networks);
  return parsed.network === expected ? parsed : { ...parsed, network: expected };
}

/** Whether `input` is a valid address (for `network`, when given). */
export function isValidAddress(input: string, options?: ParseAddressOptions): boolean {
  try {
    parseAddress(input, options);
    return true;
  } catch {
    return false;
  }
}

function parseSegwit(text: string, input: string): ParsedAddress {
  const decoded = decodeSegwitAddress(text);
  if ('kind' in decoded) {
    switch (decoded.kind) {
      case 'mixed-case':
        throw new MixedCaseAddressError(input);
      case 'checksum':
        throw new BadAddressChecksumError(input, 'the bech32/bech32m checksum does not match');
      case 'too-long':
        throw new BadAddressLengthError(input, `${text.length} characters, more than the 90 a segwit address may have`);
      case 'program-length':
        throw new BadAddressLengthError(input, `witness v${decoded.version} program of ${decoded.length} bytes (v0: 20 or 32, others: 2 to 40)`);
      case 'variant':
        throw new BadAddressEncodingError(input, `witness v${decoded.version} must be encoded with ${decoded.version === 0 ? 'bech32' : 'bech32m'}, not ${decoded.variant} (BIP350)`);
      case 'version':
        throw new BadAddressEncodingError(input, `witness version ${decoded.version} does not exist (0 to 16)`);
      case 'padding':
        throw new BadAddressEncodingError(input, 'non-zero or excess padding bits in the witness program');
      case 'character':
        throw new BadAddressError(input, 'contains a character outside the bech32 alphabet');
      case 'no-separator':
        throw new BadAddressError(input, 'too short for a segwit address');
    }
  }
  const networks = bech32Networks[decoded.hrp] ?? MAINNET;
  const { version, program } = decoded;
  const scriptType: ScriptType = version === 0 ? (program.length === 20 ? 'p2wpkh' : 'p2wsh') : version === 1 && program.length === 32 ? 'p2tr' : 'witness_unknown';
  const opcode = version === 0 ? '00' : (0x50 + version).toString(16);
  return {
    address: text.toLowerCase(),
    network: networks[0] as Network,
    networks,
    scriptType,
    scriptPubKey: opcode + (program.length < 16 ? '0' : '') + program.length.toString(16) + toHex(program),
  };
}

function parseBase58(text: string, input: string): ParsedAddress {
  // 25 bytes take at most 35 Base58 characters (testnet P2SH uses all 35).
  if (text.length > 35) {
    rejectForeignSegwit(text, input);
    throw new BadAddressLengthError(input, `${text.length} characters, more than the 35 of a Base58 address`);
  }
  const payload = decodeBase58Check(text);
  if (payload === 'character') {
    rejectForeignSegwit(text, input);
    throw new BadAddressError(input, 'contains a character outside the Base58 alphabet (0, O, I and l are not used)');
  }
  if (payload === 'checksum') throw new BadAddressChecksumError(input, 'the Base58Check checksum does not match');
  if (payload === 'length' || payload.length !== 21) {
    throw new BadAddressLengthError(input, `payload of ${payload === 'length' ? 'fewer than 5' : payload.length} bytes, not 21`);
  }
  const version = payload[0] as number;
  const hash = toHex(payload.subarray(1));
  let networks: readonly Network[];
  let scriptType: ScriptType;
  if (version === 0x00 || version === 0x6f) {
    networks = version === 0 ? MAINNET : TEST_BASE58;
    scriptType = 'p2pkh';
  } else if (version === 0x05 || version === 0xc4) {
    networks = version === 5 ? MAINNET : TEST_BASE58;
    scriptType = 'p2sh';
  } else {
    throw new BadAddressError(input, `unknown Base58 version byte 0x${version.toString(16).padStart(2, '0')}`);
  }
  return {
    address: text,
    network: networks[0] as Network,
    networks,
    scriptType,
    scriptPubKey: scriptType === 'p2pkh' ? `76a914${hash}88ac` : `a914${hash}87`,
  };
}

/** A well-formed segwit address of another chain (ltc1..., tc1...) is named as such. */
function rejectForeignSegwit(text: string, input: string): void {
  const segwit = decodeSegwitAddress(text);
  if (!('kind' in segwit)) throw new BadAddressError(input, `"${segwit.hrp}" is not the prefix of a Bitcoin network (bc, tb, bcrt)`);
}
