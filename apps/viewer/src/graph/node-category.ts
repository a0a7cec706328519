/**
 * The colour classes an investigator reads the graph by. Tag categories come from
 * GraphSense TagPacks (METHODS.md, Tags: `exchange`, `mixing_service`, `coinjoin`,
 * `market`, `dark_web`, `sanction`, ...), OFAC lists (`sanction`) and CSV imports, so the
 * mapping accepts the common spellings of each.
 */

export const CATEGORIES = ['seed', 'site', 'exchange', 'mixer', 'sanctioned', 'unknown'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  seed: 'Seized address (seed)',
  site: 'Site wallet / illicit service',
  exchange: 'Exchange',
  mixer: 'Mixer / CoinJoin',
  sanctioned: 'Sanctioned',
  unknown: 'Unknown',
};

/** A tag's or entity's category, as one of the viewer's classes; null when it names none of them. */
export function categoryOfTag(raw: string | null | undefined): Exclude<Category, 'seed' | 'unknown'> | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.toLowerCase();
  if (/sanction|ofac/.test(text)) return 'sanctioned';
  if (/exchange|broker|otc|atm/.test(text)) return 'exchange';
  if (/mix|tumbl|coinjoin|wasabi|whirlpool|joinmarket/.test(text)) return 'mixer';
  if (/market|dark_?web|darknet|site|child_sexual_abuse|csam|ransom|scam|perpetrator/.test(text)) return 'site';
  return null;
}

export interface CategoryFacts {
  readonly kind: 'address' | 'tx' | 'entity';
  readonly id: string;
  /** The address's entity (addresses only). */
  readonly entityId: string | null | undefined;
  /** Category text of the node's tags or entity. */
  readonly tagCategory: string | null;
  /** The CoinJoin rule that flagged a transaction. */
  readonly coinjoin: string | null;
}

export interface CategoryContext {
  /** Seed addresses of the open case. */
  readonly seeds: ReadonlySet<string>;
  /** Entities holding seeds: the site's wallet. */
  readonly siteEntities: ReadonlySet<string>;
}

/**
 * Sanctioned first (it changes what an investigator may do), then seeds, then the tag's own
 * class, then membership of the site's wallet, then CoinJoin transactions.
 */
export function nodeCategory(node: CategoryFacts, context: CategoryContext): Category {
  const tagged = categoryOfTag(node.tagCategory);
  if (tagged === 'sanctioned') return 'sanctioned';
  if (node.kind === 'address' && context.seeds.has(node.id)) return 'seed';
  if (tagged !== null) return tagged;
  const entityId = node.kind === 'entity' ? node.id : node.kind === 'address' ? node.entityId : null;
  if (entityId !== null && entityId !== undefined && context.siteEntities.has(entityId)) return 'site';
  if (node.kind === 'tx' && node.coinjoin !== null) return 'mixer';
  return 'unknown';
}
