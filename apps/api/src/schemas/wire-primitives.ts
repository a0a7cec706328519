/**
 * Building blocks of the JSON shapes the API serves and the CLI prints with `--json`.
 * Each schema's *output* side is the domain value (bigint sums), its *input* side the JSON
 * on the wire (sums as decimal strings, since JSON numbers lose precision past 2^53):
 * `z.encode(schema, value)` gives the JSON, `z.decode(schema, json)` reads it back.
 */
import { z } from 'zod';

/** Satoshis: a decimal string on the wire, a bigint in code. */
export const satsSchema = z
  .codec(z.string().regex(/^-?\d{1,20}$/), z.bigint(), {
    decode: (text) => BigInt(text),
    encode: (value) => value.toString(),
  })
  .meta({ description: 'Satoshis, as a decimal string (JSON numbers lose precision past 2^53).' });

export const txidSchema = z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'Transaction id: 64 lowercase hex digits, display order.' });

export const nodeKindSchema = z.enum(['address', 'tx', 'entity']);

export const nodeRefSchema = z.object({
  kind: nodeKindSchema,
  id: z.string().meta({ description: 'Address, txid or entity id.' }),
});

export const scriptTypeSchema = z.enum(['p2pk', 'p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr', 'witness_unknown', 'multisig', 'op_return', 'nonstandard']);

export const unixTimeSchema = z.number().int().meta({ description: 'Unix seconds (block time).' });

export const chainPointSchema = z.object({
  txid: txidSchema,
  height: z.number().int().nullable(),
  time: unixTimeSchema.nullable(),
});

export const isoTimestampSchema = z.string().meta({ description: 'ISO 8601 timestamp.' });

/** A cursor-paged list: pass `nextCursor` back as `cursor` for the next page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** JSON of any shape (a saved view's state, a job checkpoint). */
export const jsonValueSchema = z.json();
