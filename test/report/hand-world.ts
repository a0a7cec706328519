/**
 * Small hand-made worlds for report tests: real serialized transactions (txids hash from
 * their bytes, addresses decode from their scripts) written into a real SQLite store with
 * the clustering, CoinJoin verdicts, tags and case the test states. Every figure a test
 * expects can be checked by hand from the transactions it builds.
 */
import { hash160, p2pkhScript, parseTransaction, serializeTransactionWithIds, toHex, type OutPoint } from '@chaintrail/core';
import { openStore, type CaseRecord, type GraphStore, type TagRecord, type TxWrite } from '@chaintrail/store';

export const BTC = 100_000_000;

export interface Pay {
  readonly to: string;
  readonly value: number;
}

export interface BuiltTx {
  readonly txid: string;
  readonly height: number;
  out(vout: number): OutPoint;
}

const encoder = new TextEncoder();

export class HandWorld {
  readonly writes: TxWrite[] = [];
  readonly #addresses = new Map<string, string>();
  readonly #scripts = new Map<string, Uint8Array>();
  readonly #positions = new Map<number, number>();
  readonly #entities: { address: string; entityId: string }[] = [];
  readonly #coinjoins: { txid: string; rule: string }[] = [];
  readonly #tags: TagRecord[] = [];

  /** A mainnet P2PKH address named by `name` (its key hash is hash160 of the name). */
  address(name: string): string {
    const known = this.#addresses.get(name);
    if (known) return known;
    const script = p2pkhScript(hash160(encoder.encode(name)));
    // Decode the address the way the store will: through core's parser, on a throwaway transaction.
    const probe = serializeTransactionWithIds({ version: 2, locktime: 0, inputs: [{ prevout: { txid: '00'.repeat(32), vout: 0xffffffff }, scriptSig: encoder.encode(name), witness: [], sequence: 0 }], outputs: [{ value: 1, scriptPubKey: script }] });
    const address = parseTransaction(probe.bytes).outputs[0]?.address as string;
    this.#addresses.set(name, address);
    this.#scripts.set(address, script);
    return address;
  }

  /** New coins: a coinbase paying `pays` at `height`. */
  coinbase(tag: string, pays: readonly Pay[], height: number): BuiltTx {
    return this.#add([{ prevout: { txid: '00'.repeat(32), vout: 0xffffffff }, scriptSig: encoder.encode(`coinbase ${tag}`), witness: [], sequence: 0xffffffff }], pays, height);
  }

  /** A transaction spending `spends` (in this input order) and paying `pays` (in this output order). */
  tx(spends: readonly OutPoint[], pays: readonly Pay[], height: number): BuiltTx {
    return this.#add(
      spends.map((prevout) => ({ prevout, scriptSig: new Uint8Array([0x51]), witness: [], sequence: 0xfffffffd })),
      pays,
      height,
    );
  }

  /** Puts the addresses into one entity (as clustering would). */
  entity(entityId: string, ...addresses: string[]): void {
    for (const address of addresses) this.#entities.push({ address, entityId });
  }

  coinjoin(tx: BuiltTx, rule = 'generic-equal-output'): void {
    this.#coinjoins.push({ txid: tx.txid, rule });
  }

  tag(address: string, label: string, category: string | null, source = 'tagpack:hand.yaml'): void {
    this.#tags.push({ address, label, category, source, confidence: 'service_data', url: null, lastmod: null, abuse: null, actor: null, context: null });
  }

  #add(inputs: Parameters<typeof serializeTransactionWithIds>[0]['inputs'], pays: readonly Pay[], height: number): BuiltTx {
    const outputs = pays.map((p) => ({ value: p.value, scriptPubKey: this.#scripts.get(p.to) ?? fail(`unknown address ${p.to}: make it with world.address(name)`) }));
    const serialized = serializeTransactionWithIds({ version: 2, locktime: 0, inputs, outputs });
    const tx = parseTransaction(serialized.bytes);
    const position = this.#positions.get(height) ?? 0;
    this.#positions.set(height, position + 1);
    this.writes.push({ tx, raw: toHex(serialized.bytes), placement: { blockHash: blockHash(height), blockHeight: height, blockTime: blockTime(height), position } });
    return { txid: tx.txid, height, out: (vout) => ({ txid: tx.txid, vout }) };
  }

  /**
   * Writes everything into a fresh SQLite store (a file when `path` is given) with a case
   * holding `seeds`, and an unbroken header chain from the lowest block used to the highest
   * (none with `headers: false`), so the store's chain tip is the world's last block.
   */
  async open(seeds: readonly string[], path = ':memory:', options: { headers?: boolean } = {}): Promise<{ store: GraphStore; record: CaseRecord }> {
    const store = await openStore(`sqlite:${path}`);
    await store.writeTransactions(this.writes);
    const used = this.writes.map((w) => w.placement?.blockHeight as number);
    const heights = options.headers === false || used.length === 0 ? [] : Array.from({ length: Math.max(...used) - Math.min(...used) + 1 }, (_, i) => Math.min(...used) + i);
    if (heights.length > 0) await store.writeBlockHeaders(heights.map((height) => ({ hash: blockHash(height), height, version: 0x20000000, prevHash: blockHash(height - 1), merkleRoot: '00'.repeat(32), time: blockTime(height), bits: 0x207fffff, nonce: 0 })));
    await store.writeClustering({ assignments: this.#entities, links: [], coinjoins: this.#coinjoins });
    if (this.#tags.length > 0) await store.writeTags(this.#tags);
    const record = await store.createCase({ id: 'hand-case', name: 'hand' });
    await store.addSeeds(record.id, seeds.map((address, i) => ({ address, line: i + 1, file: 'seized.txt' })));
    return { store, record: await store.getCase(record.id) };
  }
}

function fail(message: string): never {
  throw new Error(message);
}

export function blockHash(height: number): string {
  return height.toString(16).padStart(64, '0');
}

export function blockTime(height: number): number {
  return 1_600_000_000 + height * 600;
}

/** What a report over a hand world says it was computed at: the block at `height`, on the basis given. */
export function expectedComputedAt(height: number, basis: 'store-tip' | 'highest-block-read' = 'store-tip'): { height: number; hash: string; time: number; basis: string } {
  return { height, hash: blockHash(height), time: blockTime(height), basis };
}
