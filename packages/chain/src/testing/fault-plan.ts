/**
 * Faults a fixture server injects, so tests show what a client does with a server that
 * misbehaves the way real ones do.
 */
export type Fault =
  /** Answer with this status (429, 500, 503...) and optional `Retry-After` and body. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  /** Wait before answering normally (longer than the client's timeout to make it time out). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Promise the whole body, send half of it, close the connection. */
  | { readonly kind: 'truncate' }
  /** A complete HTTP answer whose body is cut in half (a broken proxy). */
  | { readonly kind: 'short-body' }
  /** Close the connection without answering. */
  | { readonly kind: 'reset' }
  /** Answer normally, with the transaction in the answer altered (its txid left as it was). */
  | { readonly kind: 'tamper' };

export interface FaultRule {
  /** Paths (Esplora) or RPC method names (Core) this rule applies to. */
  readonly match: string | RegExp;
  readonly fault: Fault;
  /** How many matching requests get the fault; default 1. `Infinity` for all. */
  readonly times?: number;
}

/** Rules consumed in order: the first matching rule with uses left applies. */
export class FaultPlan {
  readonly #rules: { rule: FaultRule; left: number }[];

  constructor(rules: readonly FaultRule[] = []) {
    this.#rules = rules.map((rule) => ({ rule, left: rule.times ?? 1 }));
  }

  add(rule: FaultRule): void {
    this.#rules.push({ rule, left: rule.times ?? 1 });
  }

  /** The fault for a request to `target`, if any; uses it up. */
  take(target: string): Fault | undefined {
    for (const entry of this.#rules) {
      if (entry.left <= 0) continue;
      const { match } = entry.rule;
      if (typeof match === 'string' ? target === match : match.test(target)) {
        entry.left--;
        return entry.rule.fault;
      }
    }
    return undefined;
  }
}

/**
 * Alters a transaction so that its content no longer hashes to its txid: in Esplora JSON,
 * the first output's value; in raw hex, one digit of the first input's outpoint.
 */
export function tamperJsonTx(tx: { vout: { value: number }[] }): void {
  const first = tx.vout[0];
  if (first) first.value += 1;
}

export function tamperRawHex(hex: string): string {
  // Byte 10 lies inside the first outpoint's txid with or without the segwit marker.
  const at = 20;
  const digit = hex[at] === '0' ? '1' : '0';
  return hex.slice(0, at) + digit + hex.slice(at + 1);
}
