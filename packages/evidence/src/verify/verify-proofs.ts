/**
 * The header chain and the merkle proofs. Each header's 80 bytes hash to its hash and meet
 * the target of its bits (Bitcoin Core `CheckProofOfWork`); consecutive heights link by
 * previous-block hash; the last header is the tip the manifest names; a run of missing
 * heights is allowed only where the manifest declares it. Each merkle branch leads from its
 * txid to the merkle root of the header it names.
 */
import { nodeHasher } from '@chaintrail/chain';
import { checkProofOfWork, fromHex, parseBlockHeader, verifyMerkleProof, type BlockHeader, type Network } from '@chaintrail/core';
import { z } from 'zod';
import { HEADERS_FILE, MERKLE_DIR } from '../bundle-layout.js';
import { utc } from '../build-tables.js';
import { loadTable, type VerifyContext } from './verify-context.js';

export interface VerifiedHeader {
  readonly height: number;
  readonly header: BlockHeader;
  readonly line: number;
}

export interface HeaderIndex {
  readonly byHash: ReadonlyMap<string, VerifiedHeader>;
  readonly count: number;
}

export interface VerifiedProof {
  readonly txid: string;
  readonly blockHash: string;
  readonly blockHeight: number;
  readonly pos: number;
  readonly file: string;
}

const blockProofsSchema = z.strictObject({
  blockHash: z.string().regex(/^[0-9a-f]{64}$/),
  blockHeight: z.number().int().nonnegative(),
  proofs: z.array(
    z.strictObject({
      txid: z.string().regex(/^[0-9a-f]{64}$/),
      pos: z.number().int().nonnegative(),
      merkle: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(64),
    }),
  ),
});

export async function verifyHeaders(ctx: VerifyContext): Promise<HeaderIndex> {
  const { findings, manifest } = ctx;
  const powNetwork: Network = manifest?.chain.proofOfWorkNetwork ?? ctx.network;
  const byHash = new Map<string, VerifiedHeader>();
  let previous: VerifiedHeader | null = null;
  const declaredGaps = manifest?.proofs.headers.gaps ?? [];
  const fail = (line: number, message: string): void => findings.fail({ check: 'headers', file: HEADERS_FILE, line, message });

  for (const { row, line } of await loadTable(ctx, 'headers')) {
    if (!/^[0-9a-f]{160}$/.test(row.raw_header_hex)) {
      fail(line, 'raw_header_hex is not 80 bytes of hex');
      continue;
    }
    const header = parseBlockHeader(fromHex(row.raw_header_hex), 0, { hasher: nodeHasher });
    const height = Number(row.height);
    if (!/^\d+$/.test(row.height)) {
      fail(line, `height "${row.height}" is not a whole number`);
      continue;
    }
    if (header.hash !== row.hash) fail(line, `the raw header hashes to ${header.hash}, the hash column says ${row.hash}`);
    const decoded: [string, string, string][] = [
      ['prev_hash', header.prevHash, row.prev_hash],
      ['merkle_root', header.merkleRoot, row.merkle_root],
      ['time_utc', utc(header.time) ?? '', row.time_utc],
      ['bits_hex', header.bits.toString(16).padStart(8, '0'), row.bits_hex],
      ['nonce', String(header.nonce), row.nonce],
    ];
    for (const [column, actual, claimed] of decoded) if (actual !== claimed) fail(line, `${column} is ${claimed}, the raw header says ${actual}`);
    if (!checkProofOfWork(header, { network: powNetwork, hasher: nodeHasher })) fail(line, `block ${header.hash} does not meet its proof-of-work target (bits 0x${row.bits_hex}, ${powNetwork} limit)`);
    if (previous !== null) {
      if (height <= previous.height) fail(line, `height ${height} does not follow ${previous.height}: headers must ascend`);
      else if (height === previous.height + 1) {
        if (header.prevHash !== previous.header.hash) fail(line, `the chain breaks: block ${height} names ${header.prevHash} as its parent, but block ${previous.height} is ${previous.header.hash}`);
      } else {
        const from = previous.height + 1;
        const to = height - 1;
        const declared = declaredGaps.find((g) => g.fromHeight <= from && g.toHeight >= to);
        if (declared) ctx.findings.gap({ check: 'headers', file: HEADERS_FILE, line, message: `headers ${from} to ${to} are not in the bundle (declared: ${declared.reason})` });
        else fail(line, `headers ${from} to ${to} are missing and the manifest does not declare the gap`);
      }
    }
    const entry: VerifiedHeader = { height, header, line };
    byHash.set(header.hash, entry);
    previous = entry;
  }

  const tip = manifest?.chain.tip ?? null;
  if (manifest !== null) {
    if (tip === null) ctx.findings.gap({ check: 'headers', file: HEADERS_FILE, message: `the chain tip is unknown (${manifest.chain.tipBasis}); no header chain shows how deep the cited blocks are buried` });
    else if (previous === null) findings.fail({ check: 'headers', file: HEADERS_FILE, message: `the manifest names tip ${tip.height} ${tip.hash}, but there are no headers` });
    else if (previous.header.hash !== tip.hash || previous.height !== tip.height) {
      findings.fail({ check: 'headers', file: HEADERS_FILE, line: previous.line, message: `the last header is block ${previous.height} ${previous.header.hash}, the manifest's tip is ${tip.height} ${tip.hash}` });
    }
    checkStoreTip(ctx, manifest.chain.storeTip, byHash, tip);
    if (manifest.chain.proofOfWorkNetwork !== manifest.chain.network) {
      ctx.findings.note(`proof of work was checked against ${manifest.chain.proofOfWorkNetwork}'s limit, as the manifest states, not ${manifest.chain.network}'s: these headers prove no real work (a generated chain or a test network)`);
    }
  }
  return { byHash, count: byHash.size };
}

/** The block the analysis stands on (the store's tip), placed on the proven header chain where it lies within it. */
function checkStoreTip(ctx: VerifyContext, storeTip: { height: number; hash: string } | null, byHash: ReadonlyMap<string, VerifiedHeader>, tip: { height: number; hash: string } | null): void {
  if (storeTip === null) return;
  const header = byHash.get(storeTip.hash);
  if (header !== undefined && header.height !== storeTip.height) {
    ctx.findings.fail({ check: 'headers', file: HEADERS_FILE, line: header.line, message: `the manifest's store tip ${storeTip.hash} is at height ${storeTip.height}, the header chain has it at ${header.height}` });
  } else if (header !== undefined) {
    ctx.findings.note(`the analysis stands on block ${storeTip.height} ${storeTip.hash} (the store's tip at export), which is in the proven header chain${tip ? `, ${tip.height - storeTip.height} blocks below its tip` : ''}`);
  } else {
    ctx.findings.note(`the analysis stands on block ${storeTip.height} ${storeTip.hash} (the store's tip at export), which is not among the included headers: check it against an independent node`);
  }
}

/** Every block's proofs file; answers the proofs that hold, by txid, and how many entries the files hold in all. */
export async function verifyMerkleProofs(ctx: VerifyContext, headers: HeaderIndex): Promise<{ proofs: Map<string, VerifiedProof>; entries: number }> {
  const proofs = new Map<string, VerifiedProof>();
  const seen = new Set<string>();
  const name = new RegExp(`^${MERKLE_DIR}/([0-9a-f]{64})\\.json$`);
  let entries = 0;
  for (const file of ctx.reader.files) {
    if (!file.startsWith(`${MERKLE_DIR}/`)) continue;
    const fail = (message: string, txid?: string): void => ctx.findings.fail({ check: 'merkle', file, ...(txid ? { txid } : {}), message });
    const match = name.exec(file);
    if (!match) {
      fail('not named <block hash>.json');
      continue;
    }
    let block;
    try {
      block = blockProofsSchema.parse(JSON.parse((await ctx.reader.read(file)).toString('utf8')));
    } catch (error) {
      fail(`not a block's merkle proofs ({blockHash, blockHeight, proofs: [{txid, pos, merkle}]}): ${(error as Error).message.slice(0, 200)}`);
      continue;
    }
    entries += block.proofs.length;
    if (block.blockHash !== match[1]) {
      fail(`names block ${block.blockHash}`);
      continue;
    }
    const header = headers.byHash.get(block.blockHash);
    if (!header) {
      fail(`block ${block.blockHash} is not among the headers in ${HEADERS_FILE}`);
      continue;
    }
    if (header.height !== block.blockHeight) fail(`says block height ${block.blockHeight}; ${HEADERS_FILE} has block ${block.blockHash} at ${header.height}`);
    for (const proof of block.proofs) {
      const { txid } = proof;
      if (seen.has(txid)) {
        fail('proven twice', txid);
        continue;
      }
      seen.add(txid);
      if (!ctx.raw.has(txid)) fail('proves a transaction whose verified raw bytes are not in the bundle', txid);
      if (!verifyMerkleProof(txid, proof, header.header.merkleRoot, { hasher: nodeHasher })) {
        fail(`the branch of ${txid} does not lead to the merkle root ${header.header.merkleRoot} of block ${block.blockHash}: the proof is forged or corrupt`, txid);
        continue;
      }
      proofs.set(txid, { txid, blockHash: block.blockHash, blockHeight: block.blockHeight, pos: proof.pos, file });
    }
  }
  return { proofs, entries };
}
