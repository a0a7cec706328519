import type { LinkHeuristic } from './cluster-link.js';

/** Link heuristics by the small code the table stores; append only, codes never change. */
const HEURISTIC_CODES: readonly LinkHeuristic[] = [
  'cioh',
  'cioh:p2sh-wrapped',
  'change:address-reuse',
  'change:address-type',
  'change:fresh-address',
  'change:locktime',
  'change:one-time',
  'change:optimal',
  'change:peeling-chain',
  'change:round-value',
];
const CODE_OF = new Map<LinkHeuristic, number>(HEURISTIC_CODES.map((h, i) => [h, i]));

const VETOED = 1;

/**
 * Every link the clusterer made, column-wise in growable typed arrays (about 14 bytes a
 * link), so tens of millions fit where as many objects would not. Endpoints are interned
 * address ids; `tx` indexes the clusterer's txid list.
 */
export class LinkTable {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private tx = new Int32Array(1024);
  private heuristic = new Uint8Array(1024);
  private version = new Uint8Array(1024);
  private confidence = new Uint8Array(1024);
  private flags = new Uint8Array(1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(a: number, b: number, tx: number, heuristic: LinkHeuristic, version: number, confidence: number): number {
    if (this.count === this.a.length) this.grow();
    const i = this.count++;
    this.a[i] = a;
    this.b[i] = b;
    this.tx[i] = tx;
    this.heuristic[i] = CODE_OF.get(heuristic)!;
    this.version[i] = version;
    this.confidence[i] = confidence;
    this.flags[i] = 0;
    return i;
  }

  endA(i: number): number {
    return this.a[i]!;
  }

  endB(i: number): number {
    return this.b[i]!;
  }

  txIndex(i: number): number {
    return this.tx[i]!;
  }

  heuristicOf(i: number): LinkHeuristic {
    return HEURISTIC_CODES[this.heuristic[i]!]!;
  }

  versionOf(i: number): number {
    return this.version[i]!;
  }

  confidenceOf(i: number): number {
    return this.confidence[i]!;
  }

  isVetoed(i: number): boolean {
    return (this.flags[i]! & VETOED) !== 0;
  }

  markVetoed(i: number): void {
    this.flags[i] = this.flags[i]! | VETOED;
  }

  private grow(): void {
    const capacity = this.a.length * 2;
    const widen = <T extends Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.a = widen(this.a, (n) => new Int32Array(n));
    this.b = widen(this.b, (n) => new Int32Array(n));
    this.tx = widen(this.tx, (n) => new Int32Array(n));
    this.heuristic = widen(this.heuristic, (n) => new Uint8Array(n));
    this.version = widen(this.version, (n) => new Uint8Array(n));
    this.confidence = widen(this.confidence, (n) => new Uint8Array(n));
    this.flags = widen(this.flags, (n) => new Uint8Array(n));
  }
}
