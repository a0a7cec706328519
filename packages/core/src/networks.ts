import type { Network } from './model.js';

/**
 * What distinguishes one Bitcoin network from another in addresses and headers.
 * Values from Bitcoin Core `src/kernel/chainparams.cpp`.
 */
export interface NetworkParams {
  readonly network: Network;
  /** Base58Check version byte of P2PKH addresses. */
  readonly pubKeyHash: number;
  /** Base58Check version byte of P2SH addresses. */
  readonly scriptHash: number;
  /** BIP173 human-readable part of segwit addresses. */
  readonly bech32: string;
  /** The easiest target a header may claim (`consensus.powLimit`). */
  readonly powLimit: bigint;
}

const mainnetPowLimit = 0x00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffn;

export const NETWORKS: Readonly<Record<Network, NetworkParams>> = {
  mainnet: { network: 'mainnet', pubKeyHash: 0x00, scriptHash: 0x05, bech32: 'bc', powLimit: mainnetPowLimit },
  testnet: { network: 'testnet', pubKeyHash: 0x6f, scriptHash: 0xc4, bech32: 'tb', powLimit: mainnetPowLimit },
  signet: {
    network: 'signet',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
    bech32: 'tb',
    powLimit: 0x00000377ae000000000000000000000000000000000000000000000000000000n,
  },
  regtest: {
    network: 'regtest',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
    bech32: 'bcrt',
    powLimit: 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
  },
};
