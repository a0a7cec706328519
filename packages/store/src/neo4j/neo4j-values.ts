/**
 * Values across Bolt. The driver runs with `useBigInt: true`, so every Neo4j integer comes
 * back as a bigint and no satoshi amount passes through a float. Going the other way a JS
 * number is sent as a Cypher FLOAT, so every integer parameter is sent as a bigint.
 */

/** An integer parameter (satoshis, heights, vouts, limits) as a Cypher INTEGER. */
export function int(value: number): bigint {
  return BigInt(value);
}

export function intOrNull(value: number | null | undefined): bigint | null {
  return value === null || value === undefined ? null : BigInt(value);
}

/** A Cypher INTEGER that fits a JS number (counts, heights, a single output's value). */
export function num(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  throw new TypeError(`expected an integer from Neo4j, got ${typeof value}`);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** A Cypher INTEGER sum, kept exact. */
export function big(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (value === null || value === undefined) return 0n;
  throw new TypeError(`expected an integer sum from Neo4j, got ${typeof value}`);
}

export function strOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
