export { generateWorld, WorldDidNotSettleError, type GenerateOptions, type WorldProgress } from './generate-world.js';
export { BadWorldOptionsError, resolveWorldOptions, WORLD_DEFAULTS, worldOptionsSchema, type ResolvedWorldOptions, type WalletKeyType, type WorldOptions } from './world-options.js';
export { BadTruthFileError, readTruth, streamTruth, type TruthHeader, type TruthRecord } from './truth-reader.js';
export * from './truth.js';
export { MAINNET_MAGIC } from './block-file-writer.js';
export { BlockTooHeavyError } from './block-assembler.js';
export { InsufficientFundsError } from './tx-builder.js';
