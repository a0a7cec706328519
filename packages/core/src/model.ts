/**
 * The Bitcoin domain model shared by every chaintrail package (../shared/DESIGN.md, "Model").
 * Amounts are satoshis: `number` for a single output value (at most 21e14, exact in a double),
 * `bigint` for sums, which can exceed 2^53.
 */

/** Networks chaintrail knows. Addresses carry the network they were encoded for. */
export type Network = 'mainnet' | 'testnet' | 'signet' | 'regtest';

/** Script types, as stored on outputs and addresses. */
export type ScriptType =
  | 'p2pk'
  | 'p2pkh'
  | 'p2sh'
  | 'p2wpkh'
  | 'p2wsh'
  | 'p2tr'
  | 'witness_unknown'
  | 'multisig'
  | 'op_return'
  | 'nonstandard';

/** An 80-byte block header, decoded. Hashes are hex in display (reversed) byte order. */
export interface BlockHeader {
  readonly hash: string;
  readonly version: number;
  readonly prevHash: string;
  readonly merkleRoot: string;
  /** Unix seconds. */
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
  /** Known only when the source tells it (BIP34 coinbase, index file, API). */
  readonly height?: number;
}

/** The output an input spends. */
export interface OutPoint {
  readonly txid: string;
  readonly vout: number;
}

/**
 * The parser returns inputs and outputs whose hex and address fields are getters made on
 * first read (see parsed-tx-parts.ts): read or copy fields by name; `{ ...input }` drops them.
 */
export interface TxInput {
  /** For a coinbase input: txid of 32 zero bytes and vout 0xffffffff. */
  readonly prevout: OutPoint;
  readonly scriptSig: string;
  /** Witness stack items as hex; empty for non-segwit inputs. */
  readonly witness: readonly string[];
  readonly sequence: number;
}

/** Parsed outputs make `scriptPubKey` and `address` on first read, as inputs do their hex (see {@link TxInput}). */
export interface TxOutput {
  /** Satoshis. */
  readonly value: number;
  readonly scriptPubKey: string;
  readonly scriptType: ScriptType;
  /**
   * The address an investigator follows: the encoded address for standard scripts, the
   * P2PKH address of the key for P2PK (as explorers show them), and a stable identifier
   * (`script:<sha256 of the script>`) for outputs without one. `null` only for OP_RETURN.
   */
  readonly address: string | null;
}

export interface Transaction {
  readonly txid: string;
  readonly wtxid: string;
  readonly version: number;
  readonly locktime: number;
  readonly inputs: readonly TxInput[];
  readonly outputs: readonly TxOutput[];
  readonly isCoinbase: boolean;
  readonly hasWitness: boolean;
  /** Serialized size in bytes (with witness). */
  readonly size: number;
  /** BIP141 weight. */
  readonly weight: number;
  /** ceil(weight / 4). */
  readonly vsize: number;
}

export interface Block {
  readonly header: BlockHeader;
  readonly transactions: readonly Transaction[];
  readonly size: number;
}

/** Where a transaction sits on the chain, when known. */
export interface TxPlacement {
  readonly blockHash: string;
  readonly blockHeight: number;
  readonly blockTime: number;
  /** Position of the transaction within its block. */
  readonly position: number;
}

/** A merkle inclusion proof: the sibling hashes from the leaf up, as in Esplora's answer. */
export interface MerkleProof {
  readonly txid: string;
  readonly blockHeight: number;
  /** Sibling hashes, display (reversed) hex, leaf level first. */
  readonly merkle: readonly string[];
  readonly pos: number;
}
