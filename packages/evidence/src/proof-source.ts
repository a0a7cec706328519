import type { BlockHeader } from '@chaintrail/core';

/** A block header with its 80 raw bytes (hex), as chain sources return them. */
export interface RawBlockHeader extends BlockHeader {
  readonly raw: string;
}

/** A merkle branch with the block it leads to. */
export interface SourcedMerkleProof {
  readonly txid: string;
  readonly blockHash: string;
  readonly blockHeight: number | null;
  /** Sibling hashes from the leaf up, display hex (Esplora's `/tx/:txid/merkle-proof`). */
  readonly merkle: readonly string[];
  readonly pos: number;
  readonly header: RawBlockHeader;
}

/**
 * Where an export gets merkle proofs, headers and the tip: the part of @chaintrail/chain's
 * `ChainSource` it needs, so any chain source can be passed as it is. Block-file and
 * Bitcoin Core sources build proofs from the blocks they hold; the Esplora source asks
 * `/tx/:txid/merkle-proof` and `/block/:hash/header`. Look-ups answer null for "not found".
 */
export interface ProofSource {
  /** Where the data comes from (no credentials); written into the manifest. */
  readonly description: string;
  merkleProof(txid: string): Promise<SourcedMerkleProof | null>;
  blockHeader(hashOrHeight: string | number): Promise<RawBlockHeader | null>;
  tip(): Promise<{ readonly height: number | null; readonly hash: string }>;
}
