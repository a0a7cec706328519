/**
 * Merkle proofs for a bundle's transactions and the headers from the lowest cited block up
 * to the tip, so that inclusion and proof of work can be checked offline.
 *
 * A store holds only a case's transactions, rarely every transaction of a block, so proofs
 * come from the chain source the case was ingested from (block files and Bitcoin Core hold
 * the blocks; Esplora answers `/tx/:txid/merkle-proof`). Whatever cannot be obtained is
 * listed with its reason, never left out quietly: the manifest says so and `verify`
 * reports the bundle as incomplete.
 */
import { serializeBlockHeader, toHex, verifyMerkleProof, type Hasher, type TxPlacement } from '@chaintrail/core';
import type { GraphStore } from '@chaintrail/store';
import type { HeaderGap, MissingProof } from './manifest.js';
import type { ProofSource, RawBlockHeader } from './proof-source.js';

export interface ProofRequest {
  readonly txid: string;
  /** Where the store places it; null when it was unconfirmed (or of unknown height) at ingestion. */
  readonly placement: TxPlacement | null;
}

/** A merkle proof as the bundle stores it (`proofs/merkle/<txid>.json`). */
export interface BundleMerkleProof {
  readonly txid: string;
  readonly blockHash: string;
  readonly blockHeight: number;
  readonly pos: number;
  readonly merkle: readonly string[];
}

/** A block's proofs file (`proofs/merkle/<block hash>.json`): each cited transaction's branch, by position. */
export interface BlockProofs {
  readonly blockHash: string;
  readonly blockHeight: number;
  readonly proofs: ReadonlyArray<{ readonly txid: string; readonly pos: number; readonly merkle: readonly string[] }>;
}

/** The proofs grouped per block, blocks in hash order, proofs by position. */
export function proofsByBlock(collected: CollectedProofs): Map<string, BlockProofs> {
  const blocks = new Map<string, { blockHash: string; blockHeight: number; proofs: { txid: string; pos: number; merkle: readonly string[] }[] }>();
  for (const p of collected.proofs.values()) {
    let block = blocks.get(p.blockHash);
    if (!block) blocks.set(p.blockHash, (block = { blockHash: p.blockHash, blockHeight: p.blockHeight, proofs: [] }));
    block.proofs.push({ txid: p.txid, pos: p.pos, merkle: p.merkle });
  }
  for (const block of blocks.values()) block.proofs.sort((a, b) => a.pos - b.pos);
  return new Map([...blocks].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface HeaderEntry {
  readonly height: number;
  readonly header: RawBlockHeader;
}

export interface CollectedProofs {
  readonly proofs: ReadonlyMap<string, BundleMerkleProof>;
  readonly missing: readonly MissingProof[];
  /** Ascending height. */
  readonly headers: readonly HeaderEntry[];
  readonly tip: { readonly height: number; readonly hash: string } | null;
  readonly tipBasis: string;
  readonly gaps: readonly HeaderGap[];
  readonly notes: readonly string[];
}

export interface CollectProofsOptions {
  readonly store: GraphStore;
  /** Null: no source could be opened; the cited blocks' headers come from the store. */
  readonly source: ProofSource | null;
  /** Why there is no source (for the manifest). */
  readonly noSourceReason?: string;
  readonly requests: readonly ProofRequest[];
  /** Pin the tip to this height (reproducible bundles from a moving source); default the source's tip. */
  readonly tipHeight?: number;
  /** Past this many headers between the lowest cited block and the tip, only the cited blocks' and the tip's are included. */
  readonly maxHeaders: number;
  readonly concurrency: number;
  readonly hasher: Hasher;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Runs `fn` over `items`, `limit` at a time, in order. */
async function inChunks<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, after?: (done: number) => void, signal?: AbortSignal): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    signal?.throwIfAborted();
    out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
    after?.(Math.min(items.length, i + limit));
  }
  return out;
}

export async function collectProofs(options: CollectProofsOptions): Promise<CollectedProofs> {
  return options.source === null ? fromStoreOnly(options) : fromSource(options, options.source);
}

/** Without a source: no proofs, and only the headers the store keeps for the cited blocks. */
async function fromStoreOnly(options: CollectProofsOptions): Promise<CollectedProofs> {
  const reason = options.noSourceReason ?? 'no chain source was available to the export';
  const missing = options.requests.map((r) => ({ txid: r.txid, reason: r.placement === null ? 'unconfirmed when ingested, and no chain source to ask again' : reason }));
  const heights = new Map<number, string>();
  for (const r of options.requests) if (r.placement) heights.set(r.placement.blockHeight, r.placement.blockHash);
  const headers: HeaderEntry[] = [];
  for (const [height, hash] of [...heights].sort((a, b) => a[0] - b[0])) {
    try {
      const h = await options.store.blockHeader(hash);
      headers.push({ height, header: { ...h, raw: toHex(serializeBlockHeader(h)) } });
    } catch (error) {
      if ((error as { code?: string }).code !== 'CHAINTRAIL_NOT_FOUND') throw error;
    }
  }
  return {
    proofs: new Map(),
    missing,
    headers,
    tip: null,
    tipBasis: `unknown: ${reason}`,
    gaps: [{ fromHeight: headers[0]?.height ?? 0, toHeight: headers.at(-1)?.height ?? 0, reason: `${reason}; only the headers of the cited blocks (from the store) are included, and the tip is unknown` }],
    notes: [],
  };
}

async function fromSource(options: CollectProofsOptions, source: ProofSource): Promise<CollectedProofs> {
  const proofs = new Map<string, BundleMerkleProof>();
  const missing: MissingProof[] = [];
  const notes: string[] = [];
  const blocks = new Map<string, HeaderEntry>();
  const total = options.requests.length;

  await inChunks(
    options.requests,
    options.concurrency,
    async (request) => {
      const answer = await source.merkleProof(request.txid);
      if (answer === null) {
        missing.push({ txid: request.txid, reason: request.placement === null ? `unconfirmed: ${source.description} has it in no block` : `${source.description} has no merkle proof for it` });
        return;
      }
      const height = answer.blockHeight ?? answer.header.height ?? (request.placement?.blockHash === answer.blockHash ? request.placement.blockHeight : null);
      if (height === null) {
        missing.push({ txid: request.txid, reason: `${source.description} places it in block ${answer.blockHash}, whose height it does not know, so no header chain can reach it` });
        return;
      }
      if (!verifyMerkleProof(request.txid, answer, answer.header.merkleRoot, { hasher: options.hasher })) {
        missing.push({ txid: request.txid, reason: `the proof ${source.description} gave does not lead to the merkle root of block ${answer.blockHash}` });
        return;
      }
      if (request.placement && request.placement.blockHash !== answer.blockHash) {
        notes.push(`${request.txid}: the store placed it in block ${request.placement.blockHash}, ${source.description} in ${answer.blockHash} (a reorganisation since ingestion?); the bundle follows the source`);
      }
      proofs.set(request.txid, { txid: request.txid, blockHash: answer.blockHash, blockHeight: height, pos: answer.pos, merkle: [...answer.merkle] });
      blocks.set(answer.blockHash, { height, header: answer.header });
    },
    (done) => options.onProgress?.(done, total),
    options.signal,
  );

  const tip = await tipOf(source, options.tipHeight);
  const cited = [...blocks.values()].sort((a, b) => a.height - b.height);
  const lowest = cited[0]?.height;
  if (tip === null) {
    const reason = options.tipHeight !== undefined ? `${source.description} has no block at the pinned tip height ${options.tipHeight}` : `${source.description} does not know the height of its best block`;
    const gaps = lowest === undefined ? [] : [{ fromHeight: lowest, toHeight: cited.at(-1)?.height ?? lowest, reason: `${reason}; only the cited blocks' headers are included` }];
    return finish(proofs, missing, cited, null, `unknown: ${reason}`, gaps, notes);
  }
  if (lowest === undefined) {
    const tipHeader = await source.blockHeader(tip.hash);
    return finish(proofs, missing, tipHeader ? [{ height: tip.height, header: tipHeader }] : [], tip, tipBasis(source, options.tipHeight), [], notes);
  }
  if (tip.height < (cited.at(-1)?.height ?? 0)) {
    notes.push(`the tip height ${tip.height} is below the highest cited block ${cited.at(-1)?.height}; blocks above the tip are outside the header chain`);
  }

  const count = tip.height - lowest + 1;
  const gaps: HeaderGap[] = [];
  let chain: HeaderEntry[];
  if (count <= options.maxHeaders) {
    const heights = Array.from({ length: count }, (_, i) => lowest + i);
    const fetched = await inChunks(heights, options.concurrency, async (height) => ({ height, header: await source.blockHeader(height) }), undefined, options.signal);
    chain = [];
    for (const { height, header } of fetched) {
      if (header === null) gaps.push({ fromHeight: height, toHeight: height, reason: `${source.description} has no header at height ${height}` });
      else chain.push({ height, header });
    }
  } else {
    chain = [...cited];
    const tipHeader = await source.blockHeader(tip.hash);
    if (tipHeader && !chain.some((e) => e.height === tip.height)) chain.push({ height: tip.height, header: tipHeader });
    chain.sort((a, b) => a.height - b.height);
    for (let i = 1; i < chain.length; i++) {
      const from = (chain[i - 1] as HeaderEntry).height + 1;
      const to = (chain[i] as HeaderEntry).height - 1;
      if (from <= to) gaps.push({ fromHeight: from, toHeight: to, reason: `${count} headers from the lowest cited block to the tip exceed the limit of ${options.maxHeaders} (raise it with --max-headers)` });
    }
  }
  // A cited block that is not the best chain's block at its height was reorganised away.
  const best = new Map(chain.map((e) => [e.height, e.header.hash]));
  for (const [txid, proof] of [...proofs]) {
    const atHeight = best.get(proof.blockHeight);
    if (atHeight !== undefined && atHeight !== proof.blockHash) {
      proofs.delete(txid);
      missing.push({ txid, reason: `its block ${proof.blockHash} is not on ${source.description}'s best chain at height ${proof.blockHeight} (block ${atHeight} is)` });
    }
  }
  return finish(proofs, missing, chain, tip, tipBasis(source, options.tipHeight), gaps, notes);
}

async function tipOf(source: ProofSource, pinned: number | undefined): Promise<{ height: number; hash: string } | null> {
  if (pinned !== undefined) {
    const header = await source.blockHeader(pinned);
    return header === null ? null : { height: pinned, hash: header.hash };
  }
  const tip = await source.tip();
  return tip.height === null ? null : { height: tip.height, hash: tip.hash };
}

function tipBasis(source: ProofSource, pinned: number | undefined): string {
  return pinned !== undefined ? `pinned by the exporter (--tip ${pinned}); header from ${source.description}` : `the best block of ${source.description} at export`;
}

function finish(
  proofs: Map<string, BundleMerkleProof>,
  missing: MissingProof[],
  headers: HeaderEntry[],
  tip: { height: number; hash: string } | null,
  basis: string,
  gaps: HeaderGap[],
  notes: string[],
): CollectedProofs {
  missing.sort((a, b) => (a.txid < b.txid ? -1 : 1));
  notes.sort();
  return { proofs: new Map([...proofs].sort(([a], [b]) => (a < b ? -1 : 1))), missing, headers, tip, tipBasis: basis, gaps, notes };
}
