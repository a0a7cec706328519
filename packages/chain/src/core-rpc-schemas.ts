import { z } from 'zod';
import { hashHex } from './esplora-schemas.js';

/**
 * The parts of Bitcoin Core's RPC answers chaintrail reads (`src/rpc/blockchain.cpp`,
 * `src/rpc/rawtransaction.cpp`). Decoded amounts (`vout[].value`) are BTC as JSON floats
 * and are never read: values come from the raw hex, in satoshis.
 */

const hex = z.string().regex(/^(?:[0-9a-f]{2})+$/, 'even-length lower-case hex');

/** One JSON-RPC answer in a batch. */
export const rpcResponseSchema = z.object({
  result: z.unknown(),
  error: z.object({ code: z.number().int(), message: z.string() }).nullable().optional(),
  id: z.union([z.number(), z.string(), z.null()]),
});

export const rpcBatchResponseSchema = z.array(rpcResponseSchema);

/** `getrawtransaction <txid> false`. */
export const rawTxHexSchema = hex;

/** `getrawtransaction <txid> true`: the hex plus where the node has it confirmed. */
export const verboseRawTxSchema = z.object({
  txid: hashHex,
  hex,
  blockhash: hashHex.optional(),
  confirmations: z.number().int().optional(),
  blocktime: z.number().int().min(0).optional(),
});

/** `getblockhash <height>`, `getblockchaininfo().bestblockhash`. */
export const blockHashSchema = hashHex;

/** `getblockheader <hash> false`. */
export const headerHexSchema = z.string().regex(/^[0-9a-f]{160}$/, '160 hex digits (an 80-byte header)');

/** `getblockheader <hash> true`. */
export const verboseHeaderSchema = z.object({
  hash: hashHex,
  height: z.number().int().min(0),
  /** -1 for a block off the active chain. */
  confirmations: z.number().int(),
  time: z.number().int().min(0),
});

/** `getblock <hash> 0`: the raw block. */
export const rawBlockSchema = hex;

/** `getblock <hash> 2`: the block with every transaction decoded and its hex. */
export const verboseBlockSchema = z.object({
  hash: hashHex,
  height: z.number().int().min(0),
  confirmations: z.number().int(),
  time: z.number().int().min(0),
  merkleroot: hashHex,
  tx: z.array(z.object({ txid: hashHex, hex })).min(1),
});

/** `getblockchaininfo`. */
export const blockchainInfoSchema = z.object({
  chain: z.string(),
  blocks: z.number().int().min(0),
  bestblockhash: hashHex,
});

export type VerboseRawTx = z.infer<typeof verboseRawTxSchema>;
export type VerboseHeader = z.infer<typeof verboseHeaderSchema>;
export type VerboseBlock = z.infer<typeof verboseBlockSchema>;
export type BlockchainInfo = z.infer<typeof blockchainInfoSchema>;
