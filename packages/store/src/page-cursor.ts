/**
 * Opaque page cursors: a store packs the sort key of the last row it returned, the caller
 * hands it back unchanged. Base64url JSON, so a hostile cursor is rejected as data, never
 * interpreted.
 */
import { BadQueryError } from './errors.js';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key packed by encodeCursor, checked against the expected element types. */
export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((part, i) => typeof part !== shape[i])) {
    throw new BadQueryError('page cursor', 'pass back the nextCursor of the previous page unchanged');
  }
  return key as (string | number)[];
}
