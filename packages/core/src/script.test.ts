import * as ecc from '@bitcoinerlab/secp256k1';
import { address as bjsAddress, initEccLib, networks, payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { sha256 } from './hash.js';
import { fromHex, toHex } from './hex.js';
import {
  classifyScript,
  multisigScript,
  opReturnScript,
  p2pkhScript,
  p2pkScript,
  p2shScript,
  p2trScript,
  p2wpkhScript,
  p2wshScript,
} from './script.js';

initEccLib(ecc);
const hash20 = fromHex('751e76e8199196d454941c45d1b3a323f1433bd6');
const hash32 = fromHex('1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262');
const compressedKey = fromHex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
const uncompressedKey = fromHex(
  '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8',
);
const xOnlyKey = compressedKey.subarray(1);

describe('classifyScript on the standard output types', () => {
  it.each([
    ['P2PKH', p2pkhScript(hash20), 'p2pkh'],
    ['P2SH', p2shScript(hash20), 'p2sh'],
    ['P2WPKH', p2wpkhScript(hash20), 'p2wpkh'],
    ['P2WSH', p2wshScript(hash32), 'p2wsh'],
    ['P2TR', p2trScript(xOnlyKey), 'p2tr'],
  ] as const)('%s gets the address bitcoinjs-lib derives, on mainnet and testnet', (_name, script, type) => {
    expect(classifyScript(script)).toEqual({ type, address: bjsAddress.fromOutputScript(script, networks.bitcoin) });
    expect(classifyScript(script, { network: 'testnet' })).toEqual({ type, address: bjsAddress.fromOutputScript(script, networks.testnet) });
    expect(classifyScript(script, { network: 'regtest' })).toEqual({ type, address: bjsAddress.fromOutputScript(script, networks.regtest) });
  });

  it.each([
    ['compressed', compressedKey],
    ['uncompressed', uncompressedKey],
  ])('P2PK with a %s key is listed under the P2PKH address of that key, as explorers do', (_name, key) => {
    expect(classifyScript(p2pkScript(key))).toEqual({ type: 'p2pk', address: payments.p2pkh({ pubkey: key }).address });
  });

  it('P2PK of the genesis coinbase is listed under 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', () => {
    const genesisKey = fromHex(
      '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f',
    );
    expect(classifyScript(p2pkScript(genesisKey)).address).toBe('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
  });
});

describe('classifyScript on outputs without an address', () => {
  it('OP_RETURN has no address', () => {
    expect(classifyScript(opReturnScript(new TextEncoder().encode('chaintrail')))).toEqual({ type: 'op_return', address: null });
    expect(classifyScript(Uint8Array.of(0x6a))).toEqual({ type: 'op_return', address: null });
  });

  it('bare multisig gets script:<sha256 of the script>', () => {
    const script = multisigScript(1, [compressedKey, uncompressedKey]);
    expect(classifyScript(script)).toEqual({ type: 'multisig', address: `script:${toHex(sha256(script))}` });
  });

  it.each([
    ['empty script', new Uint8Array()],
    ['witness v0 program of 21 bytes (invalid under BIP141)', Uint8Array.of(0x00, 21, ...new Uint8Array(21))],
    ['P2PK with a key whose size does not match its prefix', Uint8Array.of(33, 0x04, ...new Uint8Array(32), 0xac)],
    ['multisig with m greater than n', Uint8Array.of(0x52, 33, ...compressedKey, 0x51, 0xae)],
    ['OP_TRUE', Uint8Array.of(0x51)],
  ])('%s is non-standard with a stable script identifier', (_name, script) => {
    const result = classifyScript(script);
    expect(result).toEqual({ type: 'nonstandard', address: `script:${toHex(sha256(script))}` });
    expect(classifyScript(Uint8Array.from(script))).toEqual(result);
  });
});

describe('classifyScript on witness programs other than v0 and v1/32', () => {
  it.each([
    ['v1 with a 2-byte program', '51024e73', 'bc1pfeessrawgf'],
    ['v1 with a 20-byte program', '5114d71c6c3ea7ba7e6ee477a0bfd82c20c78997882c', 'bc1p6uwxc048hflxaerh5zlastpqc7ye0zpvq7gq2a'],
    ['v2 with a 16-byte program (BIP350 vector)', '5210751e76e8199196d454941c45d1b3a323', 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs'],
    ['v16 with a 2-byte program (BIP350 vector)', '6002751e', 'bc1sw50qgdz25j'],
  ])('%s is witness_unknown with its bech32m address, as Esplora shows it', (_name, script, address) => {
    expect(classifyScript(fromHex(script))).toEqual({ type: 'witness_unknown', address });
  });

  it('a P2TR output whose x-only key is not a curve point keeps its bech32m address (what Core and Esplora show)', () => {
    const notAPoint = new Uint8Array(32); // x = 0: 7 is not a square mod p, so no point has x = 0
    expect(ecc.isXOnlyPoint(notAPoint)).toBe(false);
    expect(classifyScript(p2trScript(notAPoint))).toEqual({ type: 'p2tr', address: bjsAddress.toBech32(notAPoint, 1, 'bc') });
  });
});

describe('script builders', () => {
  it('write the exact bytes of each standard script', () => {
    expect(toHex(p2pkhScript(hash20))).toBe('76a914751e76e8199196d454941c45d1b3a323f1433bd688ac');
    expect(toHex(p2shScript(hash20))).toBe('a914751e76e8199196d454941c45d1b3a323f1433bd687');
    expect(toHex(p2wpkhScript(hash20))).toBe('0014751e76e8199196d454941c45d1b3a323f1433bd6');
    expect(toHex(p2wshScript(hash32))).toBe('00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262');
    expect(toHex(p2trScript(xOnlyKey))).toBe('512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    expect(toHex(p2pkScript(compressedKey))).toBe(`21${toHex(compressedKey)}ac`);
    expect(toHex(multisigScript(1, [compressedKey]))).toBe(`5121${toHex(compressedKey)}51ae`);
    expect(toHex(opReturnScript(Uint8Array.of(1, 2)))).toBe('6a020102');
    expect(toHex(opReturnScript(new Uint8Array(80))).slice(0, 6)).toBe('6a4c50');
  });

  it('reject hashes and keys of the wrong size', () => {
    expect(() => p2pkhScript(hash32)).toThrow(RangeError);
    expect(() => p2wshScript(hash20)).toThrow(RangeError);
    expect(() => p2trScript(compressedKey)).toThrow(RangeError);
    expect(() => p2pkScript(hash32)).toThrow(RangeError);
    expect(() => multisigScript(3, [compressedKey, compressedKey])).toThrow(RangeError);
  });
});
