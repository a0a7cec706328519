/** Neighbour expansion, paths, entity flows and cluster explanations, as served and printed. */
import { z } from 'zod';
import { nodeRefSchema, satsSchema, txidSchema, unixTimeSchema } from './wire-primitives.js';

export const flowSideSchema = z.enum(['in', 'out']);

export const neighbourSchema = z.object({
  node: nodeRefSchema,
  direction: flowSideSchema.meta({ description: "'in': money came from this neighbour; 'out': money went to it." }),
  value: satsSchema,
  txCount: z.number().int(),
  firstTime: unixTimeSchema.nullable(),
  lastTime: unixTimeSchema.nullable(),
});

export const neighbourResultSchema = z.object({
  subject: nodeRefSchema,
  neighbours: z.array(neighbourSchema),
  truncated: z.boolean().meta({ description: 'More neighbours matched than the limit.' }),
});

export const pathHopSchema = z.object({
  from: nodeRefSchema,
  to: nodeRefSchema,
  direction: flowSideSchema,
  txid: txidSchema.optional(),
  value: satsSchema,
});

export const graphPathSchema = z.object({
  nodes: z.array(nodeRefSchema),
  hops: z.array(pathHopSchema),
});

/** A path search's answer: null when no path exists within the hop limit. */
export const pathResultSchema = z.object({ path: graphPathSchema.nullable() });

export const entityFlowSchema = z.object({
  from: z.string(),
  to: z.string(),
  value: satsSchema,
  txCount: z.number().int(),
  txids: z.array(txidSchema),
});

export const clusterLinkSchema = z.object({
  a: z.string(),
  b: z.string(),
  heuristic: z.string().meta({ description: "'cioh', 'change:one-time', ... (METHODS.md names)." }),
  confidence: z.number().int().min(0).max(100),
  txid: txidSchema,
});

export const clusterExplanationSchema = z.object({
  entityId: z.string(),
  links: z.array(clusterLinkSchema),
});

/** Why two addresses are one entity; null when they are not. */
export const clusterExplanationResultSchema = z.object({ explanation: clusterExplanationSchema.nullable() });
