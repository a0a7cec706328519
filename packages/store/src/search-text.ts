/** How search text is matched, shared by the stores so both answer the same. */

/** Lowers A-Z only: SQLite's lower() folds ASCII alone, and both stores must agree. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * An exclusive upper bound for strings starting with `prefix` under byte-wise (UTF-8)
 * order: the prefix followed by the greatest code point. Callers still check startsWith.
 */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10ffff}`;
}

/** The inclusive range of 64-digit txids (lowercase hex) starting with `text`, or null if it is not hex. */
export function txidPrefixRange(text: string): { low: string; high: string } | null {
  if (!/^[0-9a-fA-F]{1,64}$/.test(text)) return null;
  const prefix = text.toLowerCase();
  return { low: prefix.padEnd(64, '0'), high: prefix.padEnd(64, 'f') };
}
