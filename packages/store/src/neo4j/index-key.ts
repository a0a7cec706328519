/**
 * Neo4j's range indexes refuse values over about 8 kB ("Property value is too large to
 * index"), and a composite key shares that limit between its parts. Keys that come from
 * users (addresses, tag labels, entity, case and job ids) can be anything, a 200 kB string
 * included, so each is stored as an *index key*: the value itself when it is short, else a
 * SHA-256 digest, with the verbatim value kept beside it (`full…` properties) and its first
 * characters (`head`) indexed for prefix search.
 *
 * The mapping is injective: a value kept as itself never starts with NUL, and every digest
 * key does.
 */
import { createHash } from 'node:crypto';

/** Bytes of UTF-8 a value may have to be its own key; three parts of a composite key still fit. */
const maxKeyBytes = 2000;
/** Code points of a long value that prefix search can see through its `head`. */
const headCodePoints = 400;
const digestPrefix = '\u0000sha256:';

export function indexKey(value: string): string {
  if (!value.startsWith('\u0000') && Buffer.byteLength(value, 'utf8') <= maxKeyBytes) return value;
  return digestPrefix + createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The verbatim value to store beside its key, or null when the key is the value. */
export function fullValue(value: string): string | null {
  return indexKey(value) === value ? null : value;
}

/** The start of a long value, for prefix search; also applied to the search text. */
export function head(value: string): string {
  return Array.from(value).slice(0, headCodePoints).join('');
}

/** Key, verbatim value (when different) and head (when different) of one value. */
export function keyed(value: string): { key: string; full: string | null; head: string | null } {
  const key = indexKey(value);
  return key === value ? { key, full: null, head: null } : { key, full: value, head: head(value) };
}

/** Label text lowered for CONTAINS search; long ones go where the text index does not look. */
const maxTextIndexBytes = 8000;

export function searchText(lowered: string | null): { short: string | null; long: string | null } {
  if (lowered === null) return { short: null, long: null };
  return Buffer.byteLength(lowered, 'utf8') <= maxTextIndexBytes ? { short: lowered, long: null } : { short: null, long: lowered };
}

/** Cypher for the verbatim text of a keyed node property (`a` → coalesce(a.full, a.address)). */
export const addressText = (node: string): string => `coalesce(${node}.full, ${node}.address)`;
export const entityText = (node: string): string => `coalesce(${node}.full, ${node}.id)`;
