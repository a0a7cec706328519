import { AddressInterner } from './address-interner.js';
import { CHANGE_HEURISTICS, findChange, type ChangeContext, type ChangeHeuristicName } from './change.js';
import type { ClusterLink, LinkHeuristic } from './cluster-link.js';
import { detectCoinJoin, type CoinJoinContext, type CoinJoinVerdict } from './coinjoin.js';
import { COMMON_INPUT, P2SH_WRAPPED, commonInputPairs } from './common-input.js';
import { entityIdFor } from './entity-id.js';
import { explainLink } from './explain.js';
import { LinkTable } from './link-table.js';
import type { ResolvedTx } from './resolved-tx.js';
import { RunTracker, vetoMatches, type GrowthReportEntry, type LinkVeto, type MergeRecord, type SplitReport } from './super-cluster.js';
import { UnionFind } from './union-find.js';

export interface ClustererOptions {
  /** Change heuristics to apply; none by default (METHODS.md: off unless switched on per run). */
  readonly change?: readonly ChangeHeuristicName[];
  /** Chain facts the change heuristics need (first sight of an address, spenders). */
  readonly changeContext?: ChangeContext;
  /** Facts the CoinJoin vetoes need (exchange tags). */
  readonly coinjoinContext?: CoinJoinContext;
  /** Links vetoed in earlier sessions: never applied. */
  readonly vetoes?: readonly LinkVeto[];
}

/** An entity id that stopped existing because its entity merged into another. */
export interface RetiredEntity {
  readonly entityId: string;
  /** The entity that absorbed it, as of the end of the batch. */
  readonly into: string;
}

/** What one call to {@link Clusterer.add} did. */
export interface ClusterBatch {
  /** Transactions clustered; ones seen before are skipped, so feeding a batch twice changes nothing. */
  readonly processed: number;
  readonly alreadySeen: number;
  /** Links made in this batch, in the order made. */
  readonly links: readonly ClusterLink[];
  /** Links a remembered veto stopped. */
  readonly vetoed: readonly ClusterLink[];
  /** Verdicts of the transactions where any CoinJoin rule fired (including vetoed ones). */
  readonly verdicts: readonly CoinJoinVerdict[];
  /**
   * Transactions, not CoinJoins themselves, spending an output of a CoinJoin already
   * clustered (post-mix; Dumplings). Complete when transactions arrive in chain order.
   */
  readonly postMix: readonly string[];
  /** Unions that joined two entities. */
  readonly merges: number;
  /** Entity ids that existed before this batch and were merged away in it. */
  readonly retired: readonly RetiredEntity[];
}

/**
 * The incremental clustering engine (DESIGN.md, "Cluster"). Feed it resolved transactions
 * in batches, in any order: common-input ownership joins the inputs of every non-coinbase
 * transaction that no CoinJoin rule claims, the enabled change heuristics join change
 * outputs to their payer, and every union is kept as a {@link ClusterLink}. Entities are
 * the sets of the union-find; their ids come from their members ({@link entityIdFor}),
 * so the same transactions give the same entities and ids whatever the order or batching.
 */
export class Clusterer {
  private readonly interner = new AddressInterner();
  private readonly uf = new UnionFind();
  /** The interned id of the smallest address of each set, valid at roots. */
  private anchor = new Int32Array(1024);
  private readonly table = new LinkTable();
  private readonly txids: string[] = [];
  private readonly txIndex = new Map<string, number>();
  private readonly processed = new Set<string>();
  private readonly coinjoinVerdicts = new Map<string, CoinJoinVerdict>();
  private readonly vetoesByTx = new Map<string, LinkVeto[]>();
  private readonly change: readonly ChangeHeuristicName[];
  private readonly changeContext: ChangeContext;
  private readonly coinjoinContext: CoinJoinContext;
  private run = new RunTracker(0);

  constructor(options: ClustererOptions = {}) {
    this.change = options.change ?? [];
    this.changeContext = options.changeContext ?? {};
    this.coinjoinContext = options.coinjoinContext ?? {};
    for (const veto of options.vetoes ?? []) this.rememberVeto(veto);
  }

  /** Addresses known (inputs and outputs of every transaction fed). */
  get addressCount(): number {
    return this.interner.size;
  }

  /** Entities, counting each unlinked address as its own. */
  get entityCount(): number {
    return this.uf.setCount;
  }

  /** Starts a new run: {@link growthReport} covers the merges from here on. */
  beginRun(): void {
    this.run = new RunTracker(this.interner.size);
  }

  /** Clusters a batch of transactions. */
  add(txs: Iterable<ResolvedTx>): ClusterBatch {
    const batchStart = this.interner.size;
    const batch = { processed: 0, alreadySeen: 0, links: [] as ClusterLink[], vetoed: [] as ClusterLink[], verdicts: [] as CoinJoinVerdict[], postMix: [] as string[], merges: 0 };
    const losers: number[] = [];
    const onMerge = (loser: number): void => {
      batch.merges++;
      if (loser < batchStart) losers.push(loser);
    };
    for (const tx of txs) {
      if (this.processed.has(tx.txid)) {
        batch.alreadySeen++;
        continue;
      }
      this.processed.add(tx.txid);
      batch.processed++;
      for (const input of tx.inputs) if (input.address !== null) this.ensure(input.address);
      for (const output of tx.outputs) if (output.address !== null) this.ensure(output.address);
      const verdict = detectCoinJoin(tx, this.coinjoinContext);
      if (verdict.fired.length > 0) {
        this.coinjoinVerdicts.set(tx.txid, verdict);
        batch.verdicts.push(verdict);
      }
      if (verdict.isCoinJoin || tx.isCoinbase) continue;
      // A remix is a CoinJoin itself, not post-mix (Dumplings).
      if (tx.inputs.some((i) => this.coinjoinVerdicts.get(i.txid)?.isCoinJoin === true)) batch.postMix.push(tx.txid);
      for (const pair of commonInputPairs(tx)) {
        const rule = pair.heuristic === COMMON_INPUT.name ? COMMON_INPUT : P2SH_WRAPPED;
        this.link(pair.a, pair.b, rule.name, rule.version, rule.confidence, tx.txid, batch, onMerge);
      }
      const payer = tx.inputs.find((i) => i.address !== null)?.address;
      if (payer === undefined || payer === null) continue;
      for (const name of this.change) {
        const heuristic = CHANGE_HEURISTICS[name];
        const found = findChange(tx, heuristic, this.changeContext);
        if (found.vout === null) continue;
        const address = tx.outputs[found.vout]!.address!;
        if (address !== payer) this.link(payer, address, heuristic.name, heuristic.version, heuristic.confidence, tx.txid, batch, onMerge);
      }
    }
    const retired = losers.map((loser) => ({
      entityId: entityIdFor(this.interner.addressOf(loser)),
      into: this.entityIdOfRoot(this.uf.find(loser)),
    }));
    return { ...batch, retired };
  }

  /** The entity id of `address`, or undefined for an address never seen. */
  entityOf(address: string): string | undefined {
    const id = this.interner.idOf(address);
    return id === undefined ? undefined : this.entityIdOfRoot(this.uf.find(id));
  }

  /** Members of the entity holding `address` (sorted), or [] for an address never seen. */
  membersOf(address: string): string[] {
    const id = this.interner.idOf(address);
    if (id === undefined) return [];
    const root = this.uf.find(id);
    const members: string[] = [];
    for (let e = 0; e < this.interner.size; e++) if (this.uf.find(e) === root) members.push(this.interner.addressOf(e));
    return members.sort();
  }

  /** Size of the entity holding `address` (0 for an address never seen). */
  sizeOf(address: string): number {
    const id = this.interner.idOf(address);
    return id === undefined ? 0 : this.uf.sizeOf(id);
  }

  /** Every known address with its entity id. */
  *assignments(): IterableIterator<{ address: string; entityId: string }> {
    const ids = new Map<number, string>();
    for (let e = 0; e < this.interner.size; e++) {
      const root = this.uf.find(e);
      let entityId = ids.get(root);
      if (entityId === undefined) {
        entityId = this.entityIdOfRoot(root);
        ids.set(root, entityId);
      }
      yield { address: this.interner.addressOf(e), entityId };
    }
  }

  /** Every link made, in the order made; vetoed ones only when asked. */
  *links(options: { includeVetoed?: boolean } = {}): IterableIterator<ClusterLink & { vetoed: boolean }> {
    for (let i = 0; i < this.table.length; i++) {
      const vetoed = this.table.isVetoed(i);
      if (!vetoed || options.includeVetoed === true) yield { ...this.linkAt(i), vetoed };
    }
  }

  /** The CoinJoin verdict of a transaction where any rule fired, else undefined. */
  coinjoinVerdict(txid: string): CoinJoinVerdict | undefined {
    return this.coinjoinVerdicts.get(txid);
  }

  /** The vetoes remembered (given at construction or since). */
  vetoes(): LinkVeto[] {
    return [...this.vetoesByTx.values()].flat();
  }

  /** The shortest chain of links joining `a` and `b` (see {@link explainLink}); null when they are not one entity. */
  explain(a: string, b: string): ClusterLink[] | null {
    const ia = this.interner.idOf(a);
    const ib = this.interner.idOf(b);
    if (ia === undefined || ib === undefined) return null;
    const root = this.uf.find(ia);
    if (root !== this.uf.find(ib)) return null;
    const links: ClusterLink[] = [];
    for (let i = 0; i < this.table.length; i++) {
      if (!this.table.isVetoed(i) && this.uf.find(this.table.endA(i)) === root) links.push(this.linkAt(i));
    }
    return explainLink(links, a, b);
  }

  /**
   * Entities of at least `threshold` addresses that grew in this run (since
   * {@link beginRun}) by at least `minGrowth` addresses, largest first, each with the
   * merges that built it.
   */
  growthReport(threshold: number, minGrowth = 1): GrowthReportEntry[] {
    const byRoot = new Map<number, MergeRecord[]>();
    for (const m of this.run.mergesByRoot((i) => this.uf.find(this.table.endA(i)))) {
      if (this.table.isVetoed(m.link)) continue;
      const list = byRoot.get(m.root) ?? [];
      list.push({ link: this.linkAt(m.link), sizes: m.sizes });
      byRoot.set(m.root, list);
    }
    const report: GrowthReportEntry[] = [];
    for (const [root, merges] of byRoot) {
      const size = this.uf.sizeOf(root);
      const sizeBefore = this.run.sizeBefore(root) ?? 0;
      if (size < threshold || size - sizeBefore < minGrowth) continue;
      merges.sort((x, y) => y.sizes[1] - x.sizes[1] || (x.link.txid < y.link.txid ? -1 : 1));
      report.push({ entityId: this.entityIdOfRoot(root), size, sizeBefore, merges });
    }
    return report.sort((x, y) => y.size - x.size || (x.entityId < y.entityId ? -1 : 1));
  }

  /**
   * Vetoes links (remembered for later batches too) and splits each entity that held one:
   * its members are reset and its remaining links replayed, so other links that still join
   * the parts keep them together.
   */
  veto(vetoes: readonly LinkVeto[]): SplitReport[] {
    const fresh = vetoes.filter((v) => this.rememberVeto(v));
    if (fresh.length === 0) return [];
    const txs = new Set(fresh.map((v) => v.txid));
    const hits = new Map<number, ClusterLink[]>();
    for (let i = 0; i < this.table.length; i++) {
      if (this.table.isVetoed(i) || !txs.has(this.txids[this.table.txIndex(i)]!)) continue;
      const link = this.linkAt(i);
      if (!fresh.some((v) => vetoMatches(v, link))) continue;
      this.table.markVetoed(i);
      const root = this.uf.find(this.table.endA(i));
      const list = hits.get(root) ?? [];
      list.push(link);
      hits.set(root, list);
    }
    if (hits.size === 0) return [];
    const before = new Map<number, { entityId: string; size: number }>();
    for (const root of hits.keys()) before.set(root, { entityId: this.entityIdOfRoot(root), size: this.uf.sizeOf(root) });
    const members = new Map<number, number[]>();
    for (let e = 0; e < this.interner.size; e++) {
      const root = this.uf.find(e);
      if (!hits.has(root)) continue;
      const list = members.get(root);
      if (list === undefined) members.set(root, [e]);
      else list.push(e);
    }
    const replay: number[] = [];
    for (let i = 0; i < this.table.length; i++) {
      if (!this.table.isVetoed(i) && hits.has(this.uf.find(this.table.endA(i)))) replay.push(i);
    }
    const all = [...members.values()].flat();
    this.uf.reset(all);
    for (const e of all) this.anchor[e] = e;
    for (const i of replay) this.unite(this.table.endA(i), this.table.endB(i), -1, () => undefined);
    const reports: SplitReport[] = [];
    for (const [root, vetoedLinks] of hits) {
      const sizes = new Map<number, number>();
      for (const e of members.get(root)!) {
        const r = this.uf.find(e);
        sizes.set(r, (sizes.get(r) ?? 0) + 1);
      }
      const pieces = [...sizes].map(([r, size]) => ({ entityId: this.entityIdOfRoot(r), size })).sort((x, y) => y.size - x.size || (x.entityId < y.entityId ? -1 : 1));
      reports.push({ ...before.get(root)!, vetoedLinks, pieces });
    }
    return reports;
  }

  private rememberVeto(veto: LinkVeto): boolean {
    const list = this.vetoesByTx.get(veto.txid) ?? [];
    const same = list.some((v) => v.a === veto.a && v.b === veto.b && v.heuristic === veto.heuristic);
    if (!same) list.push(veto);
    this.vetoesByTx.set(veto.txid, list);
    return !same;
  }

  private ensure(address: string): number {
    const id = this.interner.intern(address);
    if (id >= this.uf.length) {
      this.uf.ensureSize(id + 1);
      if (id >= this.anchor.length) {
        const grown = new Int32Array(this.anchor.length * 2);
        grown.set(this.anchor);
        this.anchor = grown;
      }
      this.anchor[id] = id;
    }
    return id;
  }

  private txIndexOf(txid: string): number {
    let index = this.txIndex.get(txid);
    if (index === undefined) {
      index = this.txids.length;
      this.txids.push(txid);
      this.txIndex.set(txid, index);
    }
    return index;
  }

  private link(
    a: string,
    b: string,
    heuristic: LinkHeuristic,
    version: number,
    confidence: number,
    txid: string,
    batch: { links: ClusterLink[]; vetoed: ClusterLink[] },
    onMerge: (loser: number) => void,
  ): void {
    const link: ClusterLink = { a, b, heuristic, version, confidence, txid };
    const index = this.table.push(this.ensure(a), this.ensure(b), this.txIndexOf(txid), heuristic, version, confidence);
    if (this.vetoesByTx.get(txid)?.some((v) => vetoMatches(v, link)) === true) {
      this.table.markVetoed(index);
      batch.vetoed.push(link);
      return;
    }
    batch.links.push(link);
    this.unite(this.table.endA(index), this.table.endB(index), index, onMerge);
  }

  /** Joins the sets of a and b, keeping the smaller anchor; `link` < 0 replays without run tracking. */
  private unite(a: number, b: number, link: number, onMerge: (loser: number) => void): void {
    const uf = this.uf;
    const ra = uf.find(a);
    const rb = uf.find(b);
    if (ra === rb) return;
    const sa = uf.sizeOf(ra);
    const sb = uf.sizeOf(rb);
    const anchorA = this.anchor[ra]!;
    const anchorB = this.anchor[rb]!;
    const root = uf.linkRoots(ra, rb);
    const aFirst = this.interner.addressOf(anchorA) < this.interner.addressOf(anchorB);
    this.anchor[root] = aFirst ? anchorA : anchorB;
    if (link >= 0) this.run.merged(link, ra, sa, rb, sb, root);
    onMerge(aFirst ? anchorB : anchorA);
  }

  private entityIdOfRoot(root: number): string {
    return entityIdFor(this.interner.addressOf(this.anchor[root]!));
  }

  private linkAt(i: number): ClusterLink {
    const t = this.table;
    return {
      a: this.interner.addressOf(t.endA(i)),
      b: this.interner.addressOf(t.endB(i)),
      heuristic: t.heuristicOf(i),
      version: t.versionOf(i),
      confidence: t.confidenceOf(i),
      txid: this.txids[t.txIndex(i)]!,
    };
  }
}
