/**
 * zod checks of a request's parts, turned into one BadRequestError that names the field
 * (`query.limit`, `body.target.id`) and says what is wrong with it.
 */
import type { z } from 'zod';
import { BadRequestError } from '../errors.js';

export type RequestPart = 'params' | 'query' | 'body';

export function parseRequestPart<S extends z.ZodType>(schema: S, value: unknown, part: RequestPart): z.output<S> {
  const broken = loneSurrogateAt(value, [part]);
  if (broken !== null) throw new BadRequestError(broken, 'must be valid Unicode text (it holds half of a surrogate pair, which no store can keep)');
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new BadRequestError(part, 'rejected');
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    throw new BadRequestError([part, ...path, key].join('.'), part === 'query' ? 'is not a parameter of this route' : 'is not a known field');
  }
  const field = [part, ...path].join('.');
  if (issue.code === 'invalid_type' && issue.input === undefined) throw new BadRequestError(field, 'is required');
  throw new BadRequestError(field, issue.message);
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The path of the first string (key or value) holding a lone surrogate. JSON can carry one
 * (`"\ud800"`) but UTF-8 cannot: a store would keep replacement characters instead, and a
 * note would no longer read back as it was written.
 */
function loneSurrogateAt(value: unknown, path: string[]): string | null {
  if (typeof value === 'string') return loneSurrogate.test(value) ? path.join('.') : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (loneSurrogate.test(key)) return [...path, key].join('.');
    const found = loneSurrogateAt(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
