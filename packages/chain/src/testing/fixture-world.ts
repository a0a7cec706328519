import {
  merkleProof,
  parseBlock,
  rawTransactionFromEsplora,
  toHex,
  type Block,
  type MerkleBranch,
  type Network,
  type TxOutput,
} from '@chaintrail/core';
import type { EsploraOutspendJson, EsploraTxJson } from '../esplora-schemas.js';
import { esploraTxSchema } from '../esplora-schemas.js';
import { nodeHasher } from '../node-hasher.js';
import { esploraJsonFromTx } from './esplora-json-from-tx.js';

export interface WorldTx {
  readonly json: EsploraTxJson;
  readonly hex: string;
  /** Position in its block, when known. */
  readonly position: number | null;
}

export interface WorldBlock {
  readonly hash: string;
  readonly height: number;
  readonly headerHex: string;
  readonly time: number;
  readonly prevHash: string;
  readonly txids: readonly string[];
}

/**
 * The chain a fixture server serves: transactions in Esplora's JSON with their raw hex,
 * blocks with their headers and txid lists, and an address index, all in memory. Feed it
 * recorded Esplora answers (`addEsploraTx`) and raw blocks (`addBlock`: real ones, or a
 * generated scenario world); both become reachable over the real routes.
 */
export class FixtureWorld {
  readonly network: Network;
  readonly txs = new Map<string, WorldTx>();
  readonly blocks = new Map<string, WorldBlock>();
  readonly #heights = new Map<number, string>();
  /** Address (or `script:` id) → txids touching it. */
  readonly #addressTxs = new Map<string, Set<string>>();
  readonly #outputs = new Map<string, readonly TxOutput[]>();
  /** `txid:vout` → the input spending it. */
  readonly #spends = new Map<string, { readonly txid: string; readonly vin: number }>();

  constructor(network: Network = 'mainnet') {
    this.network = network;
  }

  /** A recorded Esplora transaction (`/tx/:txid` shape); checked against its txid first. */
  addEsploraTx(value: unknown, position: number | null = null): WorldTx {
    const json = esploraTxSchema.parse(value);
    const { transaction, raw } = rawTransactionFromEsplora(json, { network: this.network, hasher: nodeHasher });
    const entry: WorldTx = { json, hex: toHex(raw), position };
    this.txs.set(json.txid, entry);
    this.#outputs.set(json.txid, transaction.outputs);
    const touched = new Set<string>();
    for (const output of transaction.outputs) if (output.address !== null) touched.add(output.address);
    json.vin.forEach((input) => {
      const address = input.prevout?.scriptpubkey_address;
      if (address !== undefined) touched.add(address);
    });
    for (const address of touched) this.#index(address, json.txid);
    json.vin.forEach((input, vin) => {
      if (!input.is_coinbase) this.#spends.set(`${input.txid}:${input.vout}`, { txid: json.txid, vin });
    });
    return entry;
  }

  /**
   * A raw block at `height`. Prevouts are resolved from what the world already holds, so
   * add blocks parents first; the rest are served as `prevout: null`.
   */
  addBlock(raw: Uint8Array, height: number): Block {
    const block = parseBlock(raw, { network: this.network, hasher: nodeHasher });
    const { header } = block;
    const placement = { blockHash: header.hash, blockHeight: height, blockTime: header.time };
    block.transactions.forEach((tx, position) => {
      const prevouts = tx.inputs.map((input) => (tx.isCoinbase ? null : (this.#outputs.get(input.prevout.txid)?.[input.prevout.vout] ?? null)));
      this.#outputs.set(tx.txid, tx.outputs);
      const json = esploraJsonFromTx(tx, prevouts, placement);
      this.txs.set(tx.txid, { json, hex: rawTxHex(raw, block, position), position });
      if (!tx.isCoinbase) tx.inputs.forEach((input, vin) => this.#spends.set(`${input.prevout.txid}:${input.prevout.vout}`, { txid: tx.txid, vin }));
      const touched = new Set<string>();
      for (const output of [...tx.outputs, ...prevouts]) if (output?.address != null) touched.add(output.address);
      for (const address of touched) this.#index(address, tx.txid);
    });
    this.blocks.set(header.hash, {
      hash: header.hash,
      height,
      headerHex: toHex(raw.subarray(0, 80)),
      time: header.time,
      prevHash: header.prevHash,
      txids: block.transactions.map((tx) => tx.txid),
    });
    this.#heights.set(height, header.hash);
    return block;
  }

  blockAtHeight(height: number): WorldBlock | undefined {
    const hash = this.#heights.get(height);
    return hash === undefined ? undefined : this.blocks.get(hash);
  }

  tip(): WorldBlock | undefined {
    let best: WorldBlock | undefined;
    for (const block of this.blocks.values()) if (!best || block.height > best.height) best = block;
    return best;
  }

  /** Confirmed txids touching `address` (or `script:` id), newest first as Esplora orders them. */
  confirmedHistory(address: string): string[] {
    const txids = [...(this.#addressTxs.get(address) ?? [])].filter((txid) => this.txs.get(txid)?.json.status.confirmed);
    return txids.sort((a, b) => compareNewestFirst(this.txs.get(a) as WorldTx, this.txs.get(b) as WorldTx));
  }

  /** Esplora's `/tx/:txid/outspends` answer: one entry per output of `txid`, undefined for an unknown transaction. */
  outspends(txid: string): EsploraOutspendJson[] | undefined {
    const tx = this.txs.get(txid);
    if (!tx) return undefined;
    return tx.json.vout.map((_, vout) => {
      const spend = this.#spends.get(`${txid}:${vout}`);
      const spender = spend === undefined ? undefined : this.txs.get(spend.txid);
      return spend === undefined || spender === undefined ? { spent: false } : { spent: true, txid: spend.txid, vin: spend.vin, status: spender.json.status };
    });
  }

  /** The block holding `txid` and the branch proving it, when the world has the whole block. */
  merkleProof(txid: string): { block: WorldBlock; branch: MerkleBranch } | undefined {
    const hash = this.txs.get(txid)?.json.status.block_hash;
    const block = hash === undefined ? undefined : this.blocks.get(hash);
    if (!block) return undefined;
    return { block, branch: merkleProof(block.txids, block.txids.indexOf(txid), { hasher: nodeHasher }) };
  }

  /** The raw block (header, count, transactions) as hex, rebuilt from what the world holds. */
  rawBlockHex(hash: string): string | undefined {
    const block = this.blocks.get(hash);
    if (!block) return undefined;
    const count = block.txids.length;
    const countHex = count < 0xfd ? toHex(Uint8Array.of(count)) : toHex(Uint8Array.of(0xfd, count & 0xff, count >>> 8));
    return block.headerHex + countHex + block.txids.map((txid) => this.txs.get(txid)?.hex ?? '').join('');
  }

  #index(address: string, txid: string): void {
    let set = this.#addressTxs.get(address);
    if (!set) this.#addressTxs.set(address, (set = new Set()));
    set.add(txid);
  }
}

function rawTxHex(raw: Uint8Array, block: Block, position: number): string {
  // Offsets follow from the sizes: header, CompactSize count, then transactions in order.
  const count = block.transactions.length;
  let offset = 80 + (count < 0xfd ? 1 : count <= 0xffff ? 3 : 5);
  for (let i = 0; i < position; i++) offset += (block.transactions[i] as { size: number }).size;
  const size = (block.transactions[position] as { size: number }).size;
  return toHex(raw.subarray(offset, offset + size));
}

function compareNewestFirst(a: WorldTx, b: WorldTx): number {
  const ha = a.json.status.block_height ?? 0;
  const hb = b.json.status.block_height ?? 0;
  if (ha !== hb) return hb - ha;
  return (b.position ?? 0) - (a.position ?? 0);
}
