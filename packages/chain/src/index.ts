export type {
  AddressTxPage,
  AddressTxsOptions,
  ChainSource,
  ChainSourceCapabilities,
  ChainSourceKind,
  ChainTip,
  OutSpend,
  PrevoutTrust,
  ResolvedPrevout,
  SourceBlockHeader,
  SourceMerkleProof,
  SourcePlacement,
  SourceStats,
  SourceTx,
} from './chain-source.js';
export * from './source-errors.js';
export { nodeHasher } from './node-hasher.js';
export { nodeHexEncoder } from './node-hex-encoder.js';
export { defaultRetryPolicy, backoffDelayMs, parseRetryAfterMs, type RetryPolicy } from './retry-policy.js';
export { defaultHttpLimits, type HttpLimits } from './http-transport.js';
export { DiskCache, routeKey } from './disk-cache.js';
export { EsploraSource, type EsploraSourceOptions } from './esplora-source.js';
export { CoreRpcClient, type CoreRpcAuth, type CoreRpcClientOptions } from './core-rpc-client.js';
export { CoreRpcSource, type CoreRpcSourceOptions } from './core-rpc-source.js';
export { BlockFileSource, openBlockFileSource, type BlockFileSourceOptions } from './block-file-source.js';
export type { BlockIndexReport } from './block-index.js';
export { listBlockFiles, readBlockRecords, type BlockFile, type BlockFraming, type BlockRecord, type SkippedRecord } from './block-file-reader.js';
export { readXorKey, xorAt } from './block-file-xor.js';
export { arrangeChain, type ChainArrangement, type ChainNode, type ChainPlace } from './header-chain.js';
export { openChainSource, parseSourceSpec, type OpenChainSourceOptions, type SourceSpec } from './open-chain-source.js';
export { requirePrevouts } from './require-prevouts.js';
export { touchesAddress } from './touches-address.js';
