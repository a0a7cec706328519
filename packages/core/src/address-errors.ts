import { ChaintrailError } from './errors.js';
import type { Network } from './model.js';

/**
 * Why a string is not a usable address. Each kind has its own class and stable code; all
 * extend {@link AddressError}, which carries the input so a seed import can report it
 * with its line number.
 */
export class AddressError extends ChaintrailError {
  readonly input: string;
  constructor(code: string, input: string, detail: string, hint: string) {
    super(code, `Invalid address "${shorten(input)}": ${detail}. ${hint}`);
    this.input = input;
  }
}

/** Not an address at all: empty, unknown characters, unknown prefix or version byte. */
export class BadAddressError extends AddressError {
  constructor(input: string, detail: string) {
    super('CHAINTRAIL_BAD_ADDRESS', input, detail, 'Expected a Base58 (1..., 3..., m..., n..., 2...) or bech32 (bc1..., tb1..., bcrt1...) Bitcoin address.');
  }
}

/** The characters are right but the Base58Check or bech32/bech32m checksum fails: a typo or truncation. */
export class BadAddressChecksumError extends AddressError {
  constructor(input: string, detail: string) {
    super('CHAINTRAIL_BAD_CHECKSUM', input, detail, 'The address was probably mistyped or cut off; copy it again from the source.');
  }
}

/** Wrong payload size or witness program length (BIP141/BIP350), or over 90 characters. */
export class BadAddressLengthError extends AddressError {
  constructor(input: string, detail: string) {
    super('CHAINTRAIL_BAD_ADDRESS_LENGTH', input, detail, 'The address was probably cut off or has extra characters.');
  }
}

/** A bech32 string mixing upper and lower case, which BIP173 forbids. */
export class MixedCaseAddressError extends AddressError {
  constructor(input: string) {
    super('CHAINTRAIL_MIXED_CASE_ADDRESS', input, 'bech32 addresses are all lower case or all upper case (BIP173)', 'Copy the address again; mixed case is a sign of manual editing.');
  }
}

/** Witness v0 encoded with bech32m, v1+ with bech32, a witness version above 16 or bad padding (BIP350). */
export class BadAddressEncodingError extends AddressError {
  constructor(input: string, detail: string) {
    super('CHAINTRAIL_BAD_ADDRESS_ENCODING', input, detail, 'The address was produced by faulty software; ask for it again.');
  }
}

/** A valid address for another network than the one expected (a testnet address in a mainnet case). */
export class WrongNetworkError extends AddressError {
  readonly expected: Network;
  readonly actual: readonly Network[];
  constructor(input: string, expected: Network, actual: readonly Network[]) {
    super('CHAINTRAIL_WRONG_NETWORK', input, `it is a ${actual.join('/')} address, not ${expected}`, `Use a ${expected} address or set the case's network to ${actual[0] ?? 'its network'}.`);
    this.expected = expected;
    this.actual = actual;
  }
}

function shorten(input: string): string {
  return input.length > 100 ? `${input.slice(0, 97)}...` : input;
}
