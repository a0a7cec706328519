import { z } from 'zod';

/**
 * The shapes of Esplora's answers (Blockstream electrs `src/rest.rs`; mempool.space serves
 * the same), checked before anything is read from them. Unknown extra fields are allowed
 * (servers add some, such as mempool.space's `vsize`); wrong or missing ones are not.
 */

const MAX_MONEY = 21_000_000 * 100_000_000;

export const hashHex = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-digit lower-case hex hash');
const hex = z.string().regex(/^(?:[0-9a-f]{2})*$/, 'even-length lower-case hex');
const u32 = z.number().int().min(0).max(0xffffffff);
const satoshis = z.number().int().min(0).max(MAX_MONEY);

export const esploraOutputSchema = z.object({
  scriptpubkey: hex,
  scriptpubkey_type: z.string(),
  scriptpubkey_address: z.string().optional(),
  value: satoshis,
});

export const esploraInputSchema = z.object({
  txid: hashHex,
  vout: u32,
  /** Null for a coinbase input, and from servers that cannot resolve it. */
  prevout: esploraOutputSchema.nullable(),
  scriptsig: hex,
  witness: z.array(hex).optional(),
  is_coinbase: z.boolean(),
  sequence: u32,
});

export const esploraStatusSchema = z
  .object({
    confirmed: z.boolean(),
    block_height: z.number().int().min(0).optional(),
    block_hash: hashHex.optional(),
    block_time: u32.optional(),
  })
  .refine((s) => !s.confirmed || (s.block_height !== undefined && s.block_hash !== undefined && s.block_time !== undefined), {
    message: 'a confirmed status needs block_height, block_hash and block_time',
  });

export const esploraTxSchema = z.object({
  txid: hashHex,
  // Esplora prints the version as Rust's i32; a u32 reading appears on some servers.
  version: z.number().int().min(-0x80000000).max(0xffffffff),
  locktime: u32,
  vin: z.array(esploraInputSchema).min(1),
  vout: z.array(esploraOutputSchema),
  size: z.number().int().positive(),
  weight: z.number().int().positive(),
  fee: z.number().int().min(0).optional(),
  status: esploraStatusSchema,
});

export type EsploraTxJson = z.infer<typeof esploraTxSchema>;
export type EsploraOutputJson = z.infer<typeof esploraOutputSchema>;

/** `/address/:a/txs/chain[/:last_seen_txid]`: confirmed transactions, newest first. */
export const esploraAddressPageSchema = z.array(esploraTxSchema);

/** `/tx/:txid/merkle-proof`. */
export const esploraMerkleProofSchema = z.object({
  block_height: z.number().int().min(0),
  merkle: z.array(hashHex).max(64),
  pos: z.number().int().min(0),
});

/** `/block/:hash/header`: 80 bytes as hex text. */
export const esploraHeaderSchema = z.string().regex(/^[0-9a-f]{160}$/, '160 hex digits (an 80-byte header)');
/** `/tx/:txid/hex`. */
export const esploraRawTxSchema = z.string().regex(/^(?:[0-9a-f]{2})+$/, 'even-length lower-case hex');
/** `/blocks/tip/height`. */
export const esploraHeightSchema = z.string().regex(/^\d{1,9}$/, 'a block height').transform(Number);
/** `/blocks/tip/hash`, `/block-height/:height`. */
export const esploraHashTextSchema = hashHex;

/**
 * `/tx/:txid/outspends`: one entry per output, in output order (electrs `SpendingValue`):
 * `{ spent: false }`, or the spending input with its transaction's status.
 */
export const esploraOutspendsSchema = z.array(
  z
    .object({ spent: z.boolean(), txid: hashHex.optional(), vin: u32.optional(), status: esploraStatusSchema.optional() })
    .refine((s) => !s.spent || (s.txid !== undefined && s.vin !== undefined && s.status !== undefined), { message: 'a spent output needs txid, vin and status' }),
);

export type EsploraOutspendJson = z.infer<typeof esploraOutspendsSchema>[number];
