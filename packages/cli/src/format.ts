/** Display helpers: amounts stay integers until the moment they are shown. */

const SATS_PER_BTC = 100_000_000n;

/** Satoshis as a BTC decimal string with all 8 places, e.g. `50.00000000`; exact for any size. */
export function formatBtc(sats: bigint | number): string {
  const value = BigInt(sats);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / SATS_PER_BTC;
  const fraction = (abs % SATS_PER_BTC).toString().padStart(8, '0');
  return `${negative ? '-' : ''}${whole.toLocaleString('en-US')}.${fraction}`;
}

/** Columns padded to their widest cell, for terminal tables. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
