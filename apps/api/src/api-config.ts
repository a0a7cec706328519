/**
 * The API's limits and defaults: one typed object, overridable by the caller (the CLI's
 * flags) and validated with zod. `api-config.test.ts` pins the defaults.
 */
import { z } from 'zod';

export const apiLimitsSchema = z.strictObject({
  /** Largest page of address history, members, seeds (the store allows 10,000). */
  maxPageSize: z.number().int().min(1).max(10_000).default(1000),
  /** Page size when the request names none. */
  defaultPageSize: z.number().int().min(1).max(10_000).default(100),
  /** Largest neighbour expansion of one node. */
  maxNeighbours: z.number().int().min(1).max(10_000).default(2000),
  defaultNeighbours: z.number().int().min(1).max(10_000).default(100),
  maxSearchResults: z.number().int().min(1).max(1000).default(200),
  /** Hops of a path search at most (the store allows 12). */
  maxPathHops: z.number().int().min(1).max(12).default(8),
  /** Nodes a path search may visit before it gives up with CHAINTRAIL_SEARCH_LIMIT. */
  maxPathVisited: z.number().int().min(1).max(5_000_000).default(200_000),
  /** Carrying txids listed with an entity-to-entity flow at most. */
  maxFlowTxids: z.number().int().min(1).max(10_000).default(1000),
  /** Tags in one import request at most. */
  maxTagImport: z.number().int().min(1).max(100_000).default(10_000),
  /** Request bodies (annotations, views) in bytes; a tag import may be 16 times this. */
  bodyLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
});

export const rateLimitSchema = z.strictObject({
  /** Requests per token (per client address without one) in each window. */
  max: z.number().int().min(1).default(1200),
  windowSeconds: z.number().int().min(1).max(86_400).default(60),
});

export type ApiLimits = z.output<typeof apiLimitsSchema>;
export type RateLimitConfig = z.output<typeof rateLimitSchema>;

export const API_LIMIT_DEFAULTS: ApiLimits = apiLimitsSchema.parse({});
export const RATE_LIMIT_DEFAULTS: RateLimitConfig = rateLimitSchema.parse({});
