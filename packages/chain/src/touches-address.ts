import type { SourceTx } from './chain-source.js';

/** Whether the transaction pays `address` or spends an output of it: what puts it in that address's history. */
export function touchesAddress({ tx, prevouts }: Pick<SourceTx, 'tx' | 'prevouts'>, address: string): boolean {
  return tx.outputs.some((o) => o.address === address) || prevouts.some((p) => p?.address === address);
}
