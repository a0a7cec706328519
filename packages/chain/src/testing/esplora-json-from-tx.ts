import type { ScriptType, Transaction, TxOutput } from '@chaintrail/core';
import { SCRIPT_ID_PREFIX } from '@chaintrail/core';
import type { EsploraOutputJson, EsploraTxJson } from '../esplora-schemas.js';

/** Esplora's `scriptpubkey_type` for each chaintrail script type (electrs `script_type`). */
const esploraTypeNames: Readonly<Record<ScriptType, string>> = {
  p2pk: 'p2pk',
  p2pkh: 'p2pkh',
  p2sh: 'p2sh',
  p2wpkh: 'v0_p2wpkh',
  p2wsh: 'v0_p2wsh',
  p2tr: 'v1_p2tr',
  multisig: 'multisig',
  op_return: 'op_return',
  witness_unknown: 'unknown',
  nonstandard: 'unknown',
};

export interface EsploraPlacement {
  readonly blockHash: string;
  readonly blockHeight: number;
  readonly blockTime: number;
}

/**
 * The JSON Esplora serves for a transaction, written from a parsed one: what the fixture
 * server answers for blocks it was given as raw bytes (a generated world, real blocks).
 * Prevouts the world does not hold are `null`, which the client reports as unresolved.
 */
export function esploraJsonFromTx(tx: Transaction, prevouts: readonly (TxOutput | null)[], placement: EsploraPlacement | null): EsploraTxJson {
  const resolved = prevouts.length === tx.inputs.length && prevouts.every((p) => p !== null);
  const inValue = prevouts.reduce((sum, p) => sum + (p?.value ?? 0), 0);
  const outValue = tx.outputs.reduce((sum, o) => sum + o.value, 0);
  return {
    txid: tx.txid,
    version: tx.version,
    locktime: tx.locktime,
    vin: tx.inputs.map((input, i) => {
      const prevout = prevouts[i] ?? null;
      return {
        txid: input.prevout.txid,
        vout: input.prevout.vout,
        prevout: prevout === null ? null : esploraOutput(prevout),
        scriptsig: input.scriptSig,
        witness: [...input.witness],
        is_coinbase: tx.isCoinbase,
        sequence: input.sequence,
      };
    }),
    vout: tx.outputs.map(esploraOutput),
    size: tx.size,
    weight: tx.weight,
    ...(tx.isCoinbase ? { fee: 0 } : resolved ? { fee: inValue - outValue } : {}),
    status: placement
      ? { confirmed: true, block_height: placement.blockHeight, block_hash: placement.blockHash, block_time: placement.blockTime }
      : { confirmed: false },
  };
}

function esploraOutput(output: TxOutput): EsploraOutputJson {
  const hasAddress = output.address !== null && !output.address.startsWith(SCRIPT_ID_PREFIX) && output.scriptType !== 'p2pk';
  return {
    scriptpubkey: output.scriptPubKey,
    scriptpubkey_type: esploraTypeNames[output.scriptType],
    ...(hasAddress ? { scriptpubkey_address: output.address } : {}),
    value: output.value,
  };
}
