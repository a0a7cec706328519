/**
 * A plain common-input-ownership clustering (Meiklejohn et al. 2013) for the scenario's own
 * tests: union-find over addresses, every transaction's input addresses joined, except the
 * transactions the caller skips. The real clustering, with CoinJoin detection and
 * explainable links, is core's; this one only checks that the world clusters as designed.
 */
export class PlainCommonInput {
  private readonly parent = new Map<string, string>();

  /** Joins all addresses of one transaction's inputs. */
  addTransaction(inputAddresses: readonly string[]): void {
    const first = inputAddresses[0];
    if (first === undefined) return;
    for (const other of inputAddresses) this.union(first, other);
  }

  /** The representative of `address`'s cluster (itself when never joined). */
  find(address: string): string {
    let root = address;
    for (let up = this.parent.get(root); up !== undefined && up !== root; up = this.parent.get(root)) root = up;
    // Path compression keeps later finds short.
    for (let at = address; at !== root; ) {
      const next = this.parent.get(at) as string;
      this.parent.set(at, root);
      at = next;
    }
    return root;
  }

  /** Clusters by representative, over the addresses ever joined. */
  clusters(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const address of this.parent.keys()) {
      const root = this.find(address);
      const list = out.get(root);
      if (list === undefined) out.set(root, [address]);
      else list.push(address);
    }
    return out;
  }

  private union(a: string, b: string): void {
    if (!this.parent.has(a)) this.parent.set(a, a);
    if (!this.parent.has(b)) this.parent.set(b, b);
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}
