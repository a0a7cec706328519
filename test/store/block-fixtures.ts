/**
 * Real mainnet blocks from ../shared/data as GraphStore writes: parsed with core, each
 * transaction's raw hex cut from the block bytes, placed at its height and position.
 */
import { readFileSync } from 'node:fs';
import { parseBlock, scanBlock, toHex, type Block, type ParseOptions } from '@chaintrail/core';
import type { BlockHeaderRecord, TxWrite } from '@chaintrail/store';
import { sharedData } from '../support/shared-data.js';

const blkMagic = 0xd9b4bef9;

export interface LoadedBlock {
  readonly block: Block;
  readonly height: number;
  readonly writes: TxWrite[];
  readonly header: BlockHeaderRecord;
}

/** The raw blocks of a file in blk framing (magic f9beb4d9, LE u32 length, block). */
export function blkBlocks(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: Uint8Array[] = [];
  for (let offset = 0; offset + 8 <= bytes.length; ) {
    const magic = view.getUint32(offset, true);
    if (magic === 0) break;
    if (magic !== blkMagic) throw new Error(`blk framing broken at byte ${offset}`);
    const length = view.getUint32(offset + 4, true);
    blocks.push(bytes.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return blocks;
}

/** Parses raw blocks, the first at `firstHeight` and each next one a height above. */
export function loadBlocks(raws: readonly Uint8Array[], firstHeight: number, options?: ParseOptions): LoadedBlock[] {
  return raws.map((raw, index) => {
    const height = firstHeight + index;
    const block = parseBlock(raw, options);
    const spans = scanBlock(raw, options).txs;
    const writes = block.transactions.map(
      (tx, position): TxWrite => ({
        tx,
        raw: toHex(raw, spans[position]!.start, spans[position]!.end),
        placement: { blockHash: block.header.hash, blockHeight: height, blockTime: block.header.time, position },
      }),
    );
    return { block, height, writes, header: { ...block.header, height } };
  });
}

/** Blocks 0 to 589 (January 2009), with the block-170 payment. */
export function firstBlocks(): LoadedBlock[] {
  return loadBlocks(blkBlocks(readFileSync(sharedData('blocks', 'hadoopcryptoledger', 'firstblocks.blk'))), 0);
}

/** Height 556977 (January 2019), 2,898 transactions with segwit. */
export function block2019Jan(): LoadedBlock {
  return loadBlocks(blkBlocks(readFileSync(sharedData('blocks', 'hadoopcryptoledger', 'block2019Jan.blk'))), 556977)[0]!;
}
