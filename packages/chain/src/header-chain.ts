import { headerWork, isGenesisBlockHash } from '@chaintrail/core';

/** A block as the header chain sees it. */
export interface ChainNode {
  readonly id: number;
  readonly hash: string;
  readonly prevHash: string;
  readonly bits: number;
  readonly time: number;
  /** Height its coinbase declares (BIP34), if any. */
  readonly bip34: number | null;
}

export interface ChainPlace {
  /** Null when neither a path to genesis nor a BIP34 height tells it. */
  readonly height: number | null;
  /** Order on the chain across all fragments; null for a block off the best branch (stale). */
  readonly ordinal: number | null;
}

export interface ChainArrangement {
  readonly places: ReadonlyMap<number, ChainPlace>;
  /** Runs of linked blocks with no link between them (a directory of unrelated blocks has many). */
  readonly fragments: number;
  /** Blocks on a losing branch: their transactions are not confirmed. */
  readonly staleBlocks: number;
  readonly blocksWithoutHeight: number;
  /** Fragments whose coinbases declare heights that do not fit together; the majority won. */
  readonly heightConflicts: number;
}

const ZERO_HASH = '0'.repeat(64);

/**
 * Orders blocks by their header links, as blk files do not (Core writes blocks in the order
 * they arrive, stale ones included). Within each fragment the best branch is the one with
 * the most work (ties: the block seen first, as Core's `CBlockIndexWorkComparator`); blocks
 * off it are stale. Heights come from the BIP34 heights on the best branch (the value most
 * of them agree on), else from a path to a genesis block, else stay unknown, never guessed.
 * Fragments are ordered by the time of their first block.
 *
 * @param nodes in the order they were read.
 */
export function arrangeChain(nodes: readonly ChainNode[]): ChainArrangement {
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (!index.has(node.hash)) index.set(node.hash, i);
  });
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  nodes.forEach((node, i) => {
    if (index.get(node.hash) !== i) return;
    const parent = index.get(node.prevHash);
    if (parent === undefined) roots.push(i);
    else {
      const list = children.get(parent);
      if (list) list.push(i);
      else children.set(parent, [i]);
    }
  });

  const work = new Array<bigint>(nodes.length);
  const depth = new Array<number>(nodes.length);
  const fragments: { root: number; path: number[]; members: number[] }[] = [];
  for (const root of roots) {
    const members: number[] = [];
    let best = root;
    const stack = [root];
    work[root] = headerWork((nodes[root] as ChainNode).bits);
    depth[root] = 0;
    while (stack.length > 0) {
      const at = stack.pop() as number;
      members.push(at);
      const atWork = work[at] as bigint;
      const bestWork = work[best] as bigint;
      if (atWork > bestWork || (atWork === bestWork && at < best)) best = at;
      for (const child of children.get(at) ?? []) {
        work[child] = atWork + headerWork((nodes[child] as ChainNode).bits);
        depth[child] = (depth[at] as number) + 1;
        stack.push(child);
      }
    }
    const path: number[] = [];
    for (let at: number | undefined = best; at !== undefined; at = at === root ? undefined : index.get((nodes[at] as ChainNode).prevHash)) path.push(at);
    path.reverse();
    fragments.push({ root, path, members });
  }
  fragments.sort((a, b) => (nodes[a.root] as ChainNode).time - (nodes[b.root] as ChainNode).time || a.root - b.root);

  const places = new Map<number, ChainPlace>();
  let ordinal = 0;
  let staleBlocks = 0;
  let blocksWithoutHeight = 0;
  let heightConflicts = 0;
  for (const { root, path, members } of fragments) {
    const { height: rootHeight, conflict } = rootHeightOf(nodes, root, path, depth);
    if (conflict) heightConflicts++;
    const onPath = new Set(path);
    for (const at of path) places.set((nodes[at] as ChainNode).id, { height: rootHeight === null ? null : rootHeight + (depth[at] as number), ordinal: ordinal++ });
    for (const at of members) {
      if (onPath.has(at)) continue;
      staleBlocks++;
      places.set((nodes[at] as ChainNode).id, { height: rootHeight === null ? null : rootHeight + (depth[at] as number), ordinal: null });
    }
    if (rootHeight === null) blocksWithoutHeight += members.length;
  }
  return { places, fragments: fragments.length, staleBlocks, blocksWithoutHeight, heightConflicts };
}

/**
 * The root's height: what most BIP34 heights on the best branch imply; without any, 0 for a
 * root with no parent (a genesis block) and 1 for a child of a known genesis. BIP34 comes
 * first because a generated chain may start from a zero parent at any height.
 */
function rootHeightOf(nodes: readonly ChainNode[], root: number, path: readonly number[], depth: readonly number[]): { height: number | null; conflict: boolean } {
  const votes = new Map<number, number>();
  for (const at of path) {
    const declared = (nodes[at] as ChainNode).bip34;
    if (declared === null) continue;
    const candidate = declared - (depth[at] as number);
    if (candidate >= 0) votes.set(candidate, (votes.get(candidate) ?? 0) + 1);
  }
  let height: number | null = null;
  let most = 0;
  for (const [candidate, count] of votes) {
    if (count > most) {
      most = count;
      height = candidate;
    }
  }
  if (height !== null) return { height, conflict: votes.size > 1 };
  const prev = (nodes[root] as ChainNode).prevHash;
  if (prev === ZERO_HASH) return { height: 0, conflict: false };
  // Blocks whose parent is a network's genesis block are at height 1.
  if (isGenesisBlockHash(prev)) return { height: 1, conflict: false };
  return { height: null, conflict: false };
}
