/** Roles, tokens, the caller's session and error bodies. */
import { z } from 'zod';
import { isoTimestampSchema } from './wire-primitives.js';

/**
 * viewer reads; analyst also annotates, saves views and imports tags; admin also manages
 * tokens. Each role holds every right of the ones before it.
 */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** A token as listed: never the secret, never its hash. */
export const tokenInfoSchema = z.object({
  tokenId: z.string(),
  role: roleSchema,
  label: z.string(),
  createdAt: isoTimestampSchema,
  expiresAt: isoTimestampSchema.nullable(),
  revokedAt: isoTimestampSchema.nullable(),
});

export const tokenListSchema = z.object({ tokens: z.array(tokenInfoSchema) });

/** The one moment a token's secret is shown: right after it is created. */
export const createdTokenSchema = z.object({
  token: z.string().meta({ description: 'The bearer token. Shown once; only its hash is stored.' }),
  info: tokenInfoSchema,
});

export const sessionSchema = z.object({
  tokenId: z.string(),
  role: roleSchema,
  label: z.string(),
});

export const storeInfoSchema = z.object({
  kind: z.enum(['sqlite', 'neo4j']),
  location: z.string(),
  schemaVersion: z.number().int(),
  stats: z.object({
    transactions: z.number().int(),
    outputs: z.number().int(),
    addresses: z.number().int(),
    entities: z.number().int(),
    clusterLinks: z.number().int(),
    tags: z.number().int(),
    blockHeaders: z.number().int(),
    cases: z.number().int(),
  }),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Stable code, e.g. CHAINTRAIL_BAD_REQUEST, CHAINTRAIL_NOT_FOUND.' }),
    message: z.string(),
    field: z.string().optional().meta({ description: 'The request field that failed validation (`query.limit`).' }),
    requestId: z.string(),
  }),
});
