import { nobleHasher, sha256d, type Hasher, type HasherOption } from './hash.js';
import { fromReversedHex, toReversedHex } from './hex.js';

/**
 * Bitcoin's transaction merkle tree (Bitcoin Core `src/consensus/merkle.cpp`): leaves are
 * txids in wire order, each node is the double SHA-256 of its two children, and a level with
 * an odd count pairs its last node with itself. That duplication is why two different
 * transaction lists can share one root (CVE-2012-2459): `[a, b, c]` and `[a, b, c, c]`.
 * {@link merkleRootWithMutation} reports such trees, as Core's `ComputeMerkleRoot` does.
 */

/** An inclusion proof in Esplora's shape (`/tx/:txid/merkle-proof`, without the height). */
export interface MerkleBranch {
  /** Sibling hashes from the leaf level up, display hex. */
  readonly merkle: readonly string[];
  /** Position of the transaction in its block. */
  readonly pos: number;
}

/** The merkle root (display hex) of a block's txids (display hex, in block order). */
export function merkleRoot(txids: readonly string[], options?: HasherOption): string {
  return merkleRootWithMutation(txids, options).root;
}

/**
 * The merkle root and whether some level held two equal adjacent hashes, which means the
 * same root also belongs to another transaction list (CVE-2012-2459); a block whose tree
 * is mutated is invalid.
 */
export function merkleRootWithMutation(txids: readonly string[], options?: HasherOption): { root: string; mutated: boolean } {
  const tree = buildMerkleTree(txids, options);
  return { root: tree.root, mutated: tree.mutated };
}

/** The branch proving that `txids[index]` is in the tree, as Esplora returns it. */
export function merkleProof(txids: readonly string[], index: number, options?: HasherOption): MerkleBranch {
  return buildMerkleTree(txids, options).branch(index);
}

/**
 * A block's whole tree, every level kept: its root, whether it is mutated, and the branch
 * of any position without hashing again. Proving k transactions of one block then costs
 * one tree (n hashes) instead of k trees, which is what an evidence export of a busy block
 * needs.
 */
export interface MerkleTree {
  readonly root: string;
  readonly mutated: boolean;
  readonly size: number;
  branch(index: number): MerkleBranch;
}

export function buildMerkleTree(txids: readonly string[], options?: HasherOption): MerkleTree {
  if (txids.length === 0) throw new RangeError('A merkle tree needs at least one txid.');
  const hasher = options?.hasher ?? nobleHasher;
  const levels: Uint8Array[][] = [txids.map(fromReversedHex)];
  let mutated = false;
  const pair = new Uint8Array(64);
  for (let level = levels[0] as Uint8Array[]; level.length > 1; ) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Uint8Array;
      const right = level[i + 1];
      if (right !== undefined && equal32(left, right)) mutated = true;
      next.push(hashPair(left, right ?? left, pair, hasher));
    }
    levels.push(next);
    level = next;
  }
  const root = toReversedHex((levels.at(-1) as Uint8Array[])[0] as Uint8Array);
  return {
    root,
    mutated,
    size: txids.length,
    branch(index: number): MerkleBranch {
      if (!Number.isInteger(index) || index < 0 || index >= txids.length) {
        throw new RangeError(`Transaction index ${index} is outside the block's ${txids.length} transactions.`);
      }
      const merkle: string[] = [];
      let at = index;
      for (const level of levels.slice(0, -1)) {
        // The last node of an odd level is its own sibling; Esplora's proof lists it.
        merkle.push(toReversedHex((level[at ^ 1] ?? level[at]) as Uint8Array));
        at >>= 1;
      }
      return { merkle, pos: index };
    },
  };
}

/**
 * Whether `proof` links `txid` to `root` (display hex). False, never a throw, for a proof
 * that is malformed (bad hex, a position that needs more levels than the branch has).
 *
 * A proof alone cannot rule out a 64-byte "transaction" that is really an inner node
 * (CVE-2017-12842): whoever verifies must also hash the raw transaction to the txid and
 * see that it is not 64 bytes long.
 */
export function verifyMerkleProof(txid: string, proof: Pick<MerkleBranch, 'merkle' | 'pos'>, root: string, options?: HasherOption): boolean {
  const { merkle, pos } = proof;
  if (!Number.isSafeInteger(pos) || pos < 0 || merkle.length > 64 || pos >= 2 ** merkle.length) return false;
  const hasher = options?.hasher ?? nobleHasher;
  try {
    let node = fromReversedHex(txid);
    if (node.length !== 32) return false;
    const pair = new Uint8Array(64);
    let at = pos;
    for (const siblingHex of merkle) {
      const sibling = fromReversedHex(siblingHex);
      if (sibling.length !== 32) return false;
      node = at % 2 === 1 ? hashPair(sibling, node, pair, hasher) : hashPair(node, sibling, pair, hasher);
      at = Math.floor(at / 2);
    }
    return toReversedHex(node) === root.toLowerCase();
  } catch {
    return false;
  }
}

function hashPair(left: Uint8Array, right: Uint8Array, scratch: Uint8Array, hasher: Hasher): Uint8Array {
  scratch.set(left, 0);
  scratch.set(right, 32);
  return sha256d(scratch, hasher);
}

function equal32(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}
