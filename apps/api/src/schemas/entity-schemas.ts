/** Entities (clusters) and their members, as served and printed. */
import { z } from 'zod';
import { chainPointSchema, pageSchema, satsSchema } from './wire-primitives.js';

export const entitySchema = z.object({
  id: z.string(),
  size: z.number().int(),
  label: z.string().nullable(),
  category: z.string().nullable(),
  received: satsSchema,
  sent: satsSchema,
  firstSeen: chainPointSchema.nullable(),
  lastSeen: chainPointSchema.nullable(),
});

export const entityMembersPageSchema = pageSchema(z.string());
