/** Days as typed in a date field (`YYYY-MM-DD`), read as UTC, the time zone of block times. */

/** Unix seconds at 00:00:00 UTC of the day, or null for ''; throws on anything else. */
export function startOfUtcDay(text: string): number | null {
  return dayBound(text, 0);
}

/** Unix seconds at 23:59:59 UTC of the day, or null for ''. */
export function endOfUtcDay(text: string): number | null {
  return dayBound(text, 86_399);
}

/** Unix seconds → `YYYY-MM-DD` (UTC). */
export function utcDayOf(unixSeconds: number | null): string {
  return unixSeconds === null ? '' : new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

function dayBound(text: string, offset: number): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const ms = match === null ? NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(ms) || utcDayOf(ms / 1000) !== trimmed) throw new Error(`"${text}" is not a day (YYYY-MM-DD)`);
  return ms / 1000 + offset;
}
