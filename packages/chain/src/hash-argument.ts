import { BadHashArgumentError } from './source-errors.js';

/** A txid or block hash as given by a user or caller, lower-cased; throws when it is not 64 hex digits. */
export function hashArgument(what: 'txid' | 'block hash', input: string): string {
  const value = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if (!/^[0-9a-f]{64}$/.test(value)) throw new BadHashArgumentError(what, String(input));
  return value;
}
