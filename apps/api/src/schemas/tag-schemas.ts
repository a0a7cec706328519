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

export const tagFileKindSchema = z.enum(['tagpack', 'ofac', 'csv']);

export const tagFileImportResultSchema = z.object({
  file: z.string().meta({ description: 'The name given with `name`: tags record it in their source (`tagpack:<name>`, `ofac:<name>`).' }),
  kind: tagFileKindSchema,
  tags: z.number().int().meta({ description: 'Tags written (a re-import of the same file updates them).' }),
  addresses: z.number().int(),
  otherChains: z.number().int().meta({ description: 'Tags for other chains, skipped.' }),
  errors: z.number().int().meta({ description: 'Entries rejected.' }),
  warnings: z.number().int(),
  problems: z
    .array(z.object({ severity: z.enum(['error', 'warning']), code: z.string(), line: z.number().int(), message: z.string() }))
    .meta({ description: 'The first problems, each naming the line of the file.' }),
  entitiesLabelled: z.number().int().meta({ description: 'Entities given a label or category from these tags (0 before clustering).' }),
});
