/** How amounts, times and chain points read in the panel. */
import type { ChainPointJson } from '../api/wire-types.js';
import { formatBtc } from '../graph/btc-amount.js';

export function btc(sats: string | bigint): string {
  return `${formatBtc(typeof sats === 'bigint' ? sats : BigInt(sats))} BTC`;
}

export function utcTime(unixSeconds: number | null): string {
  return unixSeconds === null ? 'unconfirmed' : `${new Date(unixSeconds * 1000).toISOString().replace('T', ' ').replace('.000Z', '')} UTC`;
}

export function chainPoint(point: ChainPointJson | null): string {
  if (point === null) return '—';
  return `${utcTime(point.time)}${point.height !== null ? `, block ${point.height.toLocaleString('en-US')}` : ''}`;
}
