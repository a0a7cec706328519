import { ChaintrailError, toError } from './errors.js';
import { nobleHasher } from './hash.js';
import { fromHex } from './hex.js';
import type { ScriptType, Transaction, TxOutput } from './model.js';
import { NETWORKS } from './networks.js';
import { classifyScriptFor } from './script.js';
import { parseTransaction, type ParseOptions } from './tx-parser.js';
import { serializeTransactionWithIds, type TxDraft } from './tx-serializer.js';

/**
 * Esplora's transaction JSON (`/tx/:txid`, `/address/:a/txs`, `/block/:hash/txs`), the API
 * of blockstream.info, mempool.space and self-hosted electrs. Only the fields chaintrail
 * reads are listed; validation of the shape belongs to the adapter that fetched it.
 */
export interface EsploraOutput {
  readonly scriptpubkey: string;
  readonly scriptpubkey_type: string;
  readonly scriptpubkey_address?: string;
  readonly value: number;
}

export interface EsploraInput {
  readonly txid: string;
  readonly vout: number;
  readonly prevout: EsploraOutput | null;
  readonly scriptsig: string;
  readonly witness?: readonly string[];
  readonly is_coinbase: boolean;
  readonly sequence: number;
}

export interface EsploraStatus {
  readonly confirmed: boolean;
  readonly block_height?: number;
  readonly block_hash?: string;
  readonly block_time?: number;
}

export interface EsploraTx {
  readonly txid: string;
  readonly version: number;
  readonly locktime: number;
  readonly vin: readonly EsploraInput[];
  readonly vout: readonly EsploraOutput[];
  readonly size?: number;
  readonly weight?: number;
  readonly fee?: number;
  readonly status?: EsploraStatus;
}

/** Esplora JSON whose fields cannot form a transaction (bad hex, out-of-range numbers). */
export class BadEsploraTxError extends ChaintrailError {
  constructor(txid: string, cause: unknown) {
    super(
      'CHAINTRAIL_BAD_ESPLORA_TX',
      `Esplora transaction ${txid} cannot be rebuilt: ${toError(cause).message} Fetch it again or use another source.`,
      { cause },
    );
  }
}

/** Esplora JSON that rebuilds to another txid: the answer was altered or corrupted. */
export class TxidMismatchError extends ChaintrailError {
  constructor(claimed: string, actual: string) {
    super(
      'CHAINTRAIL_TXID_MISMATCH',
      `Esplora transaction ${claimed} rebuilds to txid ${actual}: the server's answer is corrupt or altered. Fetch /tx/${claimed}/hex or use another source.`,
    );
  }
}

/**
 * Esplora's `scriptpubkey_type` names and the chaintrail types each can stand for.
 * `unknown` covers both witness programs of unknown versions and non-standard scripts.
 */
const esploraTypes: Readonly<Record<string, readonly ScriptType[]>> = {
  p2pk: ['p2pk'],
  p2pkh: ['p2pkh'],
  p2sh: ['p2sh'],
  v0_p2wpkh: ['p2wpkh'],
  v0_p2wsh: ['p2wsh'],
  v1_p2tr: ['p2tr'],
  multisig: ['multisig'],
  op_return: ['op_return'],
  provably_unspendable: ['nonstandard'],
  empty: ['nonstandard'],
  unknown: ['witness_unknown', 'nonstandard'],
};

/** The script types an Esplora `scriptpubkey_type` may correspond to (empty if unknown to us). */
export function scriptTypesForEsplora(esploraType: string): readonly ScriptType[] {
  return esploraTypes[esploraType] ?? [];
}

/** The draft Esplora's JSON describes: scripts and witnesses as bytes, ready to serialize. */
export function draftFromEsplora(json: EsploraTx): TxDraft {
  try {
    return {
      version: json.version,
      locktime: json.locktime,
      inputs: json.vin.map((input) => ({
        prevout: { txid: input.txid, vout: input.vout },
        scriptSig: fromHex(input.scriptsig),
        witness: (input.witness ?? []).map(fromHex),
        sequence: input.sequence,
      })),
      outputs: json.vout.map((output) => ({ value: output.value, scriptPubKey: fromHex(output.scriptpubkey) })),
    };
  } catch (error) {
    throw new BadEsploraTxError(String(json.txid), error);
  }
}

/**
 * The transaction in Esplora's JSON, rebuilt to raw bytes and parsed like any other, after
 * checking that the bytes hash to the txid Esplora claims (`CHAINTRAIL_TXID_MISMATCH`
 * otherwise). Witnesses are not covered by the txid; `wtxid` is computed, not checked.
 */
export function transactionFromEsplora(json: EsploraTx, options?: ParseOptions): Transaction {
  return rawTransactionFromEsplora(json, options).transaction;
}

/** {@link transactionFromEsplora} with the rebuilt raw bytes, which the evidence bundle keeps. */
export function rawTransactionFromEsplora(json: EsploraTx, options?: ParseOptions): { transaction: Transaction; raw: Uint8Array } {
  const draft = draftFromEsplora(json);
  let built;
  try {
    built = serializeTransactionWithIds(draft, options);
  } catch (error) {
    throw new BadEsploraTxError(String(json.txid), error);
  }
  if (built.txid !== json.txid) throw new TxidMismatchError(String(json.txid), built.txid);
  return { transaction: parseTransaction(built.bytes, options), raw: built.bytes };
}

/**
 * The outputs each input spends, as Esplora attaches them (`vin[].prevout`), classified by
 * chaintrail; null for a coinbase input or a missing prevout. Their values are Esplora's
 * word until the funding transaction is fetched and checked.
 */
export function esploraPrevouts(json: EsploraTx, options?: ParseOptions): (TxOutput | null)[] {
  const params = NETWORKS[options?.network ?? 'mainnet'];
  const hasher = options?.hasher ?? nobleHasher;
  return json.vin.map((input) => {
    if (input.is_coinbase || input.prevout == null) return null;
    try {
      const script = fromHex(input.prevout.scriptpubkey);
      const { type, address } = classifyScriptFor(script, 0, script.length, params, hasher);
      return { value: input.prevout.value, scriptPubKey: input.prevout.scriptpubkey.toLowerCase(), scriptType: type, address };
    } catch (error) {
      throw new BadEsploraTxError(String(json.txid), error);
    }
  });
}
