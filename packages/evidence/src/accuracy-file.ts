/**
 * Published error rates to cite in a bundle's method section: the JSON that `pnpm accuracy`
 * measurements are recorded in, per rule name (`cioh`, `change:one-time`, ...), any figures
 * (precision, recall, false-merge rate, the world they were measured on).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BadExportOptionError } from './evidence-errors.js';

export const accuracyFileSchema = z.looseObject({
  heuristics: z.record(z.string(), z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]))),
});

export type AccuracyFile = z.infer<typeof accuracyFileSchema>;

export function readAccuracyFile(path: string): AccuracyFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BadExportOptionError('--accuracy', `cannot read ${path} as JSON (${(error as Error).message})`);
  }
  const parsed = accuracyFileSchema.safeParse(json);
  if (!parsed.success) throw new BadExportOptionError('--accuracy', `${path} is not an accuracy file: expected {"heuristics": {"cioh": {"precision": 0.99, ...}, ...}} (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}
