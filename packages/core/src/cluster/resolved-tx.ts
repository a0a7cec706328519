import type { OutPoint, ScriptType, Transaction, TxOutput } from '../model.js';

/**
 * An input with the output it spends looked up. Clustering and CoinJoin rules need the
 * spent output's address, value and script type, which a parsed transaction lacks.
 * All three are null when the spent output is not known (outside the ingested hops):
 * rules that need them then do not fire, and common-input ownership skips the input.
 */
export interface ResolvedInput {
  /** The spent output's transaction. */
  readonly txid: string;
  readonly vout: number;
  readonly address: string | null;
  /** Satoshis. */
  readonly value: number | null;
  readonly scriptType: ScriptType | null;
  /**
   * For a P2SH input whose redeem script reveals the key or script it wraps (P2SH-P2WPKH,
   * P2SH-P2WSH), that inner address; common-input ownership links the two (METHODS.md).
   */
  readonly wrappedAddress?: string | null;
}

/** The parts of an output the heuristics read; a core `TxOutput` is one. */
export type ResolvedOutput = Pick<TxOutput, 'value' | 'scriptType' | 'address'>;

/** A transaction as clustering sees it: inputs resolved, block height when confirmed. */
export interface ResolvedTx {
  readonly txid: string;
  /** Null while unconfirmed. Protocol rules (Whirlpool, Wasabi) only apply from their first block. */
  readonly blockHeight: number | null;
  readonly locktime: number;
  readonly isCoinbase: boolean;
  readonly inputs: readonly ResolvedInput[];
  readonly outputs: readonly ResolvedOutput[];
}

/** What a spent output was, as the store or a chain source reports it. */
export type SpentOutput = Pick<TxOutput, 'value' | 'scriptType' | 'address'>;

/**
 * Builds a {@link ResolvedTx} from a parsed transaction and a lookup of the outputs its
 * inputs spend (undefined when unknown). Coinbase inputs spend nothing and stay unresolved.
 */
export function resolveTransaction(
  tx: Transaction,
  lookup: (prevout: OutPoint) => SpentOutput | undefined,
  blockHeight: number | null,
): ResolvedTx {
  const inputs = tx.inputs.map((input): ResolvedInput => {
    const spent = tx.isCoinbase ? undefined : lookup(input.prevout);
    return {
      txid: input.prevout.txid,
      vout: input.prevout.vout,
      address: spent?.address ?? null,
      value: spent?.value ?? null,
      scriptType: spent?.scriptType ?? null,
    };
  });
  return { txid: tx.txid, blockHeight, locktime: tx.locktime, isCoinbase: tx.isCoinbase, inputs, outputs: tx.outputs };
}
