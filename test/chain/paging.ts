import type { ChainSource, SourceTx } from '@chaintrail/chain';

/** Every transaction of an address's history, following `nextCursor` page by page. */
export async function allPages(source: ChainSource, address: string): Promise<SourceTx[]> {
  const txs: SourceTx[] = [];
  let cursor: string | undefined;
  do {
    const page = await source.addressTxs(address, cursor === undefined ? {} : { afterTxid: cursor });
    txs.push(...page.txs);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return txs;
}
