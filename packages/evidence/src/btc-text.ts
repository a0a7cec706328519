const SATS_PER_BTC = 100_000_000n;

/** Satoshis as a plain BTC decimal with 8 places (`0.00012345`), exact for any size; no grouping, so spreadsheets and XML read it as a number. */
export function formatBtc(sats: bigint | number): string {
  const value = BigInt(sats);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / SATS_PER_BTC}.${(abs % SATS_PER_BTC).toString().padStart(8, '0')}`;
}
