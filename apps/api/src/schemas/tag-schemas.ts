/** Attribution tags and search results, as served and printed. */
import { z } from 'zod';
import { txidSchema } from './wire-primitives.js';

export const tagSchema = z.object({
  address: z.string(),
  label: z.string(),
  category: z.string().nullable(),
  source: z.string(),
  confidence: z.string().nullable(),
  url: z.string().nullable().optional(),
  lastmod: z.string().nullable().optional(),
  abuse: z.string().nullable().optional(),
  actor: z.string().nullable().optional(),
  context: z.string().nullable().optional(),
});

export const tagListSchema = z.object({ tags: z.array(tagSchema) });

export const searchResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('address'), address: z.string() }),
  z.object({ kind: z.literal('tx'), txid: txidSchema }),
  z.object({ kind: z.literal('tag'), address: z.string(), label: z.string(), category: z.string().nullable(), source: z.string() }),
  z.object({ kind: z.literal('entity'), entityId: z.string(), label: z.string().nullable() }),
]);

export const searchResultsSchema = z.object({ results: z.array(searchResultSchema) });

export const tagImportResultSchema = z.object({
  imported: z.number().int().meta({ description: 'Tags written (a re-import of the same address, label and source updates it).' }),
});
