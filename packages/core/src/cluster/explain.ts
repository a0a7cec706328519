import type { ClusterLink } from './cluster-link.js';

/**
 * Answers "why are these two addresses one entity?" with the shortest chain of links
 * (breadth-first search, so the fewest transactions a court has to follow), ordered from
 * `a` to `b`, each link sharing an address with the next. Links are undirected. Among
 * equally short chains the one through the smallest txids wins, so the answer does not
 * depend on the order the links were made in. Returns [] when a equals b and null when no
 * chain joins them.
 */
export function explainLink(links: Iterable<ClusterLink>, a: string, b: string): ClusterLink[] | null {
  if (a === b) return [];
  const adjacent = new Map<string, ClusterLink[]>();
  const attach = (address: string, link: ClusterLink): void => {
    const list = adjacent.get(address);
    if (list === undefined) adjacent.set(address, [link]);
    else list.push(link);
  };
  for (const link of links) {
    if (link.a === link.b) continue;
    attach(link.a, link);
    attach(link.b, link);
  }
  const byTxid = (x: ClusterLink, y: ClusterLink): number =>
    x.txid < y.txid ? -1 : x.txid > y.txid ? 1 : x.heuristic < y.heuristic ? -1 : x.heuristic > y.heuristic ? 1 : 0;
  for (const list of adjacent.values()) list.sort(byTxid);
  const via = new Map<string, ClusterLink | null>([[a, null]]);
  let frontier = [a];
  while (frontier.length > 0 && !via.has(b)) {
    const next: string[] = [];
    for (const address of frontier) {
      for (const link of adjacent.get(address) ?? []) {
        const other = link.a === address ? link.b : link.a;
        if (via.has(other)) continue;
        via.set(other, link);
        next.push(other);
      }
    }
    frontier = next;
  }
  if (!via.has(b)) return null;
  const path: ClusterLink[] = [];
  let at = b;
  for (let link = via.get(at); link; link = via.get(at)) {
    path.push(link);
    at = link.a === at ? link.b : link.a;
  }
  return path.reverse();
}
