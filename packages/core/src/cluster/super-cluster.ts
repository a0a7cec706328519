import type { ClusterLink, LinkHeuristic } from './cluster-link.js';

/**
 * Guards against super-clusters: a few false links can collapse much of the graph into
 * one entity (Meiklejohn et al., "A Fistful of Bitcoins", CACM 2016). Each clustering run
 * reports the entities that grew large in it, with the transactions that merged them, and
 * an investigator can veto a link; vetoed links are remembered and their entity is split.
 */

/**
 * A link an investigator rejects. Matches every link of `txid`, narrowed to one address
 * pair (either order) and/or one heuristic when given.
 */
export interface LinkVeto {
  readonly txid: string;
  readonly a?: string;
  readonly b?: string;
  readonly heuristic?: LinkHeuristic;
  /** Why; kept for the record. */
  readonly reason?: string;
}

export function vetoMatches(veto: LinkVeto, link: Pick<ClusterLink, 'a' | 'b' | 'heuristic' | 'txid'>): boolean {
  if (veto.txid !== link.txid) return false;
  if (veto.heuristic !== undefined && veto.heuristic !== link.heuristic) return false;
  if (veto.a !== undefined && veto.a !== link.a && veto.a !== link.b) return false;
  if (veto.b !== undefined && veto.b !== link.a && veto.b !== link.b) return false;
  return true;
}

/** One union during the run that joined two entities. */
export interface MergeRecord {
  readonly link: ClusterLink;
  /** Sizes of the two entities it joined, larger first. */
  readonly sizes: readonly [number, number];
}

/** An entity that reached the threshold and grew during the run. */
export interface GrowthReportEntry {
  readonly entityId: string;
  readonly size: number;
  /** Size of its largest part when the run began (0 if every member is new). */
  readonly sizeBefore: number;
  /** The merges that built it in this run, largest smaller side first: the likeliest false links. */
  readonly merges: readonly MergeRecord[];
}

/** The result of vetoing links: each entity that lost links and the pieces it fell into. */
export interface SplitReport {
  readonly entityId: string;
  readonly size: number;
  readonly vetoedLinks: readonly ClusterLink[];
  /** Entity ids and sizes after the split, largest first; one piece when other links still hold it together. */
  readonly pieces: ReadonlyArray<{ readonly entityId: string; readonly size: number }>;
}

/**
 * Follows one run's merges by union-find root: for every set built in the run, the size
 * of its largest part at the start of the run, and the merges (link index and the two
 * sizes joined) that built it.
 */
export class RunTracker {
  /** Elements with an id below this existed when the run began. */
  private readonly existingCount: number;
  private readonly partStart = new Map<number, number>();
  private readonly merges: Array<{ link: number; large: number; small: number }> = [];

  constructor(existingCount: number) {
    this.existingCount = existingCount;
  }

  /**
   * Records that link `link` joined roots `ra` (size `sa`) and `rb` (size `sb`) into
   * `root`. A root untouched so far in the run has the size it began with, except a new
   * address (a singleton created in this run), which did not exist.
   */
  merged(link: number, ra: number, sa: number, rb: number, sb: number, root: number): void {
    const before = (r: number, size: number): number => this.partStart.get(r) ?? (r < this.existingCount ? size : 0);
    const start = Math.max(before(ra, sa), before(rb, sb));
    this.partStart.delete(ra);
    this.partStart.delete(rb);
    this.partStart.set(root, start);
    this.merges.push({ link, large: Math.max(sa, sb), small: Math.min(sa, sb) });
  }

  /** Every merge of the run with the root it belongs to now (via `find`). */
  *mergesByRoot(find: (linkIndex: number) => number): Iterable<{ root: number; link: number; sizes: [number, number] }> {
    for (const m of this.merges) yield { root: find(m.link), link: m.link, sizes: [m.large, m.small] };
  }

  sizeBefore(root: number): number | undefined {
    return this.partStart.get(root);
  }
}
