/** Cases with their seeds, jobs, annotations and saved views, as served and printed. */
import { z } from 'zod';
import { isoTimestampSchema, jsonValueSchema, nodeRefSchema, pageSchema } from './wire-primitives.js';

export const caseSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: isoTimestampSchema,
  seedCount: z.number().int(),
});

export const caseListSchema = z.object({ cases: z.array(caseSchema) });

export const seedSchema = z.object({
  address: z.string(),
  line: z.number().int().meta({ description: '1-based line of the seized file the address came from.' }),
  file: z.string().nullable().optional(),
});

export const seedPageSchema = pageSchema(seedSchema);

export const jobSchema = z.object({
  jobId: z.string(),
  caseId: z.string().nullable(),
  kind: z.string(),
  state: jsonValueSchema,
  updatedAt: isoTimestampSchema,
});

export const jobListSchema = z.object({ jobs: z.array(jobSchema) });

/** The named colour labels an investigator can put on a node (the viewer's swatches). */
export const ANNOTATION_COLOURS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'grey'] as const;
export type AnnotationPaletteColour = (typeof ANNOTATION_COLOURS)[number];
/** A palette name or `#rrggbb`, as the store keeps them (hex in lowercase). */
export type AnnotationColour = AnnotationPaletteColour | `#${string}`;
export const annotationColourSchema = z
  .union([z.enum(ANNOTATION_COLOURS), z.string().regex(/^#[0-9a-f]{6}$/)])
  .meta({ description: "A palette name (the viewer's swatches) or a #rrggbb colour in lowercase." });

export const annotationSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  target: nodeRefSchema,
  text: z.string(),
  colour: annotationColourSchema.nullable(),
  author: z.string().nullable(),
  createdAt: isoTimestampSchema,
  updatedAt: isoTimestampSchema,
});

export const annotationListSchema = z.object({ annotations: z.array(annotationSchema) });

export const savedViewSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  name: z.string(),
  state: jsonValueSchema.meta({ description: 'What the viewer needs to restore the view: expanded nodes, positions, filters.' }),
  createdAt: isoTimestampSchema,
  updatedAt: isoTimestampSchema,
});

export const savedViewListSchema = z.object({ views: z.array(savedViewSchema) });

/** The answer to a DELETE: the id of what is gone. */
export const deletedSchema = z.object({ deleted: z.string() });
