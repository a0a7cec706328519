/**
 * Satoshis shown as BTC and BTC typed by a person read as satoshis, with integer arithmetic
 * only (CONVENTIONS.md: never floats for money).
 */

const SATS_PER_BTC = 100_000_000n;

/** Eight decimals, always: `0.00862069`, `12.50000000`. */
export function formatBtc(sats: bigint): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const whole = abs / SATS_PER_BTC;
  const fraction = (abs % SATS_PER_BTC).toString().padStart(8, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${fraction}`;
}

/** Exact, without trailing zeros: `0.00862069`, `12.5`, `3`. For labels on edges. */
export function formatBtcCompact(sats: bigint): string {
  const full = formatBtc(sats);
  return full.replace(/\.?0+$/, '');
}

export class BtcAmountError extends Error {
  readonly code = 'CHAINTRAIL_VIEWER_BAD_AMOUNT';
  constructor(text: string, why: string) {
    super(`"${text}" is not an amount of BTC: ${why}. Type a number like 0.5 or 0.00010000.`);
    this.name = 'BtcAmountError';
  }
}

/** `0.5` → 50,000,000n. At most 8 decimals, no sign, no exponent. */
export function parseBtc(text: string): bigint {
  const trimmed = text.trim();
  const match = /^(\d{0,8})(?:\.(\d{0,8}))?$/.exec(trimmed);
  if (trimmed === '' || trimmed === '.' || match === null) {
    throw new BtcAmountError(text, /\.\d{9,}$/.test(trimmed) ? 'more than 8 decimals (1 satoshi is 0.00000001)' : 'use digits and one decimal point');
  }
  const whole = BigInt(match[1] === '' || match[1] === undefined ? '0' : match[1]);
  const fraction = BigInt((match[2] ?? '').padEnd(8, '0'));
  const sats = whole * SATS_PER_BTC + fraction;
  if (sats > 21_000_000n * SATS_PER_BTC) throw new BtcAmountError(text, 'more than the 21 million BTC that can exist');
  return sats;
}
