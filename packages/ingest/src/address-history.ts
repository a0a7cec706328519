import type { ChainSource, SourceTx } from '@chaintrail/chain';

export interface HistoryScan {
  /** Transactions read (at most the limit). */
  readonly scanned: number;
  /** Whether the address has more transactions than the limit let through. */
  readonly truncated: boolean;
}

/**
 * Reads an address's confirmed history page by page, newest first (the order every source
 * gives), handing each transaction to `visit` until `visit` returns true ("found what I
 * need"), the history ends, or `max` transactions were read. An address cut at the limit is
 * reported as truncated only when a transaction past the limit really exists, so a wallet
 * with exactly `max` transactions is not reported as cut.
 */
export async function scanAddressHistory(source: ChainSource, address: string, max: number, visit: (tx: SourceTx) => boolean | void): Promise<HistoryScan> {
  let scanned = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await source.addressTxs(address, cursor === undefined ? undefined : { afterTxid: cursor });
    for (const tx of page.txs) {
      if (scanned >= max) return { scanned, truncated: true };
      scanned++;
      if (visit(tx) === true) return { scanned, truncated: false };
    }
    if (page.nextCursor === undefined || page.txs.length === 0) return { scanned, truncated: false };
    cursor = page.nextCursor;
  }
}

/** The whole history up to `max` transactions. */
export async function readAddressHistory(source: ChainSource, address: string, max: number): Promise<{ txs: SourceTx[] } & HistoryScan> {
  const txs: SourceTx[] = [];
  const scan = await scanAddressHistory(source, address, max, (tx) => {
    txs.push(tx);
  });
  return { txs, ...scan };
}
