/** Amounts as reports show them: satoshis stay bigint; BTC and shares are derived exactly for display. */

const SATS_PER_BTC = 100_000_000n;

/** Satoshis as BTC with all 8 places and no separators (`0.00123456`), exact for any size. */
export function btcString(sats: bigint): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  return `${negative ? '-' : ''}${abs / SATS_PER_BTC}.${(abs % SATS_PER_BTC).toString().padStart(8, '0')}`;
}

/** part / whole rounded down to 4 decimal places (0 when whole is 0); the same bytes every run. */
export function shareOf(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  return Number((part * 10_000n) / whole) / 10_000;
}

export function sum(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}
