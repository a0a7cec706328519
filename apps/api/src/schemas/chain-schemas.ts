/** Transactions, outputs, addresses and block headers, as served and printed. */
import { z } from 'zod';
import { chainPointSchema, pageSchema, satsSchema, scriptTypeSchema, txidSchema, unixTimeSchema } from './wire-primitives.js';

export const txPlacementSchema = z.object({
  blockHash: z.string(),
  blockHeight: z.number().int(),
  blockTime: unixTimeSchema,
  position: z.number().int(),
});

export const outputSchema = z.object({
  txid: txidSchema,
  vout: z.number().int(),
  value: z.number().int().meta({ description: 'Satoshis (one output fits a JSON number exactly).' }),
  scriptType: scriptTypeSchema,
  scriptPubKey: z.string(),
  address: z.string().nullable(),
  spentBy: z.object({ txid: txidSchema, vin: z.number().int() }).nullable(),
});

export const addressOutputSchema = outputSchema.extend({
  height: z.number().int().nullable(),
  time: unixTimeSchema.nullable(),
  position: z.number().int().nullable(),
});

export const inputSchema = z.object({
  vin: z.number().int(),
  prevout: z.object({ txid: txidSchema, vout: z.number().int() }),
  sequence: z.number().int(),
  coinbase: z.boolean(),
  resolved: z.boolean(),
  address: z.string().nullable(),
  value: z.number().int().nullable(),
  scriptType: scriptTypeSchema.nullable(),
});

export const transactionSchema = z.object({
  txid: txidSchema,
  wtxid: txidSchema,
  version: z.number().int(),
  locktime: z.number().int(),
  isCoinbase: z.boolean(),
  hasWitness: z.boolean(),
  size: z.number().int(),
  weight: z.number().int(),
  vsize: z.number().int(),
  placement: txPlacementSchema.nullable(),
  raw: z.string().meta({ description: 'The raw transaction, hex; its double SHA-256 is the txid.' }),
  inputs: z.array(inputSchema),
  outputs: z.array(outputSchema),
  fee: satsSchema.nullable(),
  coinjoin: z.string().nullable().meta({ description: 'The CoinJoin rule that flagged it (METHODS.md), or null.' }),
});

export const addressSummarySchema = z.object({
  address: z.string(),
  scriptType: scriptTypeSchema.nullable(),
  entityId: z.string().nullable(),
  firstSeen: chainPointSchema.nullable(),
  lastSeen: chainPointSchema.nullable(),
  received: satsSchema,
  sent: satsSchema,
  balance: satsSchema,
  txCount: z.number().int(),
  outputCount: z.number().int(),
  unspentCount: z.number().int(),
});

export const addressTxEntrySchema = z.object({
  txid: txidSchema,
  height: z.number().int().nullable(),
  time: unixTimeSchema.nullable(),
  position: z.number().int().nullable(),
  received: satsSchema,
  sent: satsSchema,
});

export const addressHistoryPageSchema = pageSchema(addressTxEntrySchema);
export const addressOutputsPageSchema = pageSchema(addressOutputSchema);

export const blockHeaderSchema = z.object({
  hash: z.string(),
  height: z.number().int(),
  version: z.number().int(),
  prevHash: z.string(),
  merkleRoot: z.string(),
  time: unixTimeSchema,
  bits: z.number().int(),
  nonce: z.number().int(),
});
