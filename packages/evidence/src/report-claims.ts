/**
 * What a report (its JSON form) claims about the chain, found by shape rather than by the
 * report's exact schema: every txid it cites (`txid`, `paymentTxid`, `txids`), and every
 * output it describes (`txid` + `vout` + `value`, with `address` or `seed.address` when
 * given). Those are recomputable from raw transactions; what a model derives from them
 * (attribution shares, tainted amounts) is the model's result, not a chain fact.
 */

export interface OutputClaim {
  readonly txid: string;
  readonly vout: number;
  /** Satoshis, as the report states them. */
  readonly value: string;
  /** undefined when the report names no address for it; null for "no address". */
  readonly address?: string | null;
  /** JSON path of the claim, for messages. */
  readonly at: string;
}

export interface ReportClaims {
  readonly txids: Set<string>;
  readonly outputs: OutputClaim[];
}

const TXID = /^[0-9a-f]{64}$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function asValue(v: Json | undefined): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return v;
  return null;
}

export function reportClaims(json: unknown): ReportClaims {
  const txids = new Set<string>();
  const outputs: OutputClaim[] = [];
  const visit = (value: Json, at: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${at}[${i}]`));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const key of ['txid', 'paymentTxid']) {
      const t = value[key];
      if (typeof t === 'string' && TXID.test(t)) txids.add(t);
    }
    const list = value['txids'];
    if (Array.isArray(list)) for (const t of list) if (typeof t === 'string' && TXID.test(t)) txids.add(t);
    const outpoint = outputOf(value, 'txid', 'vout', 'value') ?? outputOf(value, 'paymentTxid', 'paymentVout', 'paymentValue');
    if (outpoint) {
      const seed = value['seed'];
      const seedAddress = typeof seed === 'string' ? seed : seed !== null && typeof seed === 'object' && !Array.isArray(seed) && typeof seed['address'] === 'string' ? seed['address'] : undefined;
      const address = 'address' in value ? value['address'] : seedAddress;
      outputs.push({ ...outpoint, ...(address === undefined ? {} : { address: typeof address === 'string' ? address : null }), at });
    }
    for (const [key, child] of Object.entries(value)) visit(child, `${at}.${key}`);
  };
  visit(json as Json, '$');
  return { txids, outputs };
}

function outputOf(value: { [key: string]: Json }, txidKey: string, voutKey: string, valueKey: string): { txid: string; vout: number; value: string } | null {
  const txid = value[txidKey];
  const vout = value[voutKey];
  const sats = asValue(value[valueKey]);
  if (typeof txid !== 'string' || !TXID.test(txid) || typeof vout !== 'number' || !Number.isInteger(vout) || sats === null) return null;
  return { txid, vout, value: sats };
}
