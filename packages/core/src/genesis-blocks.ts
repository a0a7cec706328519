import type { Network } from './model.js';

/**
 * The hash of each network's genesis block (display hex), from Bitcoin Core
 * `src/kernel/chainparams.cpp`. Testnet has two: testnet3 and testnet4 (BIP94) share the
 * `testnet` address encodings, so a block file of either reads as `testnet`.
 */
export const GENESIS_BLOCK_HASHES: Readonly<Record<Network, readonly string[]>> = {
  mainnet: ['000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f'],
  testnet: [
    '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943', // testnet3
    '00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043', // testnet4
  ],
  signet: ['00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6'],
  regtest: ['0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206'],
};

const ALL_GENESIS_HASHES: ReadonlySet<string> = new Set(Object.values(GENESIS_BLOCK_HASHES).flat());

/** Whether `hash` is the genesis block of a network chaintrail knows (of `network`, when given). */
export function isGenesisBlockHash(hash: string, network?: Network): boolean {
  return network === undefined ? ALL_GENESIS_HASHES.has(hash) : GENESIS_BLOCK_HASHES[network].includes(hash);
}
