/**
 * Disjoint sets over dense integer ids (0, 1, 2, ...), in typed arrays that grow by
 * doubling: union by size and path halving, so any sequence of m operations on n
 * elements costs O(m α(n)) (Tarjan and van Leeuwen, "Worst-case analysis of set union
 * algorithms", JACM 1984). Path halving compresses as it walks, in one pass and without
 * recursion, which keeps deep chains from blowing the stack on millions of addresses.
 *
 * Ids come from {@link AddressInterner}; this class knows nothing of addresses.
 */
export class UnionFind {
  private parent: Int32Array;
  private sizes: Int32Array;
  private count = 0;
  private sets = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity | 0);
    this.parent = new Int32Array(capacity);
    this.sizes = new Int32Array(capacity);
  }

  /** Number of elements (ids 0 to length - 1). */
  get length(): number {
    return this.count;
  }

  /** Number of disjoint sets. */
  get setCount(): number {
    return this.sets;
  }

  /** Adds one singleton element and returns its id. */
  add(): number {
    const id = this.count;
    this.ensureSize(id + 1);
    return id;
  }

  /** Makes ids 0 to n - 1 exist; new ones are singletons. */
  ensureSize(n: number): void {
    if (n <= this.count) return;
    if (n > this.parent.length) this.grow(n);
    const parent = this.parent;
    const sizes = this.sizes;
    for (let i = this.count; i < n; i++) {
      parent[i] = i;
      sizes[i] = 1;
    }
    this.sets += n - this.count;
    this.count = n;
  }

  /** The representative (root) of x's set. */
  find(x: number): number {
    const parent = this.parent;
    let p = parent[x]!;
    while (p !== x) {
      const grand = parent[p]!;
      parent[x] = grand;
      x = grand;
      p = parent[x]!;
    }
    return x;
  }

  /**
   * Joins the sets of a and b. Returns the root of the joined set, or -1 when a and b
   * were already in one set (nothing changed).
   */
  union(a: number, b: number): number {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return -1;
    return this.linkRoots(ra, rb);
  }

  /**
   * Joins two distinct roots and returns the surviving one (the root of the larger set;
   * on equal sizes, `ra`). Callers that already hold both roots skip two finds.
   */
  linkRoots(ra: number, rb: number): number {
    const sizes = this.sizes;
    const sa = sizes[ra]!;
    const sb = sizes[rb]!;
    this.sets--;
    if (sa < sb) {
      this.parent[ra] = rb;
      sizes[rb] = sa + sb;
      return rb;
    }
    this.parent[rb] = ra;
    sizes[ra] = sa + sb;
    return ra;
  }

  connected(a: number, b: number): boolean {
    return this.find(a) === this.find(b);
  }

  /** Number of elements in x's set. */
  sizeOf(x: number): number {
    return this.sizes[this.find(x)]!;
  }

  /**
   * Makes each of `ids` a singleton again. Only sound when `ids` is a union of whole sets
   * (every member of every set it touches): the super-cluster veto rebuilds one entity
   * this way and replays its remaining links.
   */
  reset(ids: ArrayLike<number>): void {
    const parent = this.parent;
    const sizes = this.sizes;
    const roots = new Set<number>();
    for (let i = 0; i < ids.length; i++) roots.add(this.find(ids[i]!));
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      parent[id] = id;
      sizes[id] = 1;
    }
    this.sets += ids.length - roots.size;
  }

  private grow(atLeast: number): void {
    let capacity = this.parent.length;
    while (capacity < atLeast) capacity *= 2;
    const parent = new Int32Array(capacity);
    parent.set(this.parent.subarray(0, this.count));
    const sizes = new Int32Array(capacity);
    sizes.set(this.sizes.subarray(0, this.count));
    this.parent = parent;
    this.sizes = sizes;
  }
}
