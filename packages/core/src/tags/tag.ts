/**
 * An attribution tag: a label an outside source puts on an address (METHODS.md, "Tags").
 * Courts ask for every tag with its source, so each keeps where it came from.
 */
export interface Tag {
  readonly address: string;
  readonly label: string;
  /** GraphSense concept: exchange, miner, mixing_service, sanction, ...; null when the source gives none. */
  readonly category: string | null;
  /** Where chaintrail got the tag: `tagpack:<file>`, `ofac:<file>`, or a CSV row's source. */
  readonly source: string;
  /** GraphSense confidence vocabulary ({@link TAG_CONFIDENCE}); null when the source gives none. */
  readonly confidence: string | null;
  /** The reference the source cites for the tag (a TagPack's `source` field). */
  readonly url?: string | null;
  /** ISO date the source last changed the tag. */
  readonly lastmod?: string | null;
  readonly abuse?: string | null;
  /** GraphSense actor id (`binance`, `bitmex`): one real-world actor across differently worded labels. */
  readonly actor?: string | null;
  readonly context?: string | null;
  readonly concepts?: readonly string[];
  readonly isClusterDefiner?: boolean;
  /** The file and 1-based line the tag was read from. */
  readonly origin?: { readonly file: string; readonly line: number };
}

/**
 * GraphSense confidence vocabulary with its scores (graphsense-tagpack-tool
 * `tagpack/conf/confidence.csv`). Later GraphSense releases added `forensic_investigation`,
 * `ledger_immanent`, `heuristic` and `unknown` (METHODS.md) without a published score: null.
 */
export const TAG_CONFIDENCE: Readonly<Record<string, number | null>> = {
  override: 100,
  ownership: 100,
  manual_transaction: 90,
  service_api: 80,
  authority_data: 60,
  trusted_provider: 50,
  service_data: 50,
  forensic: 50,
  untrusted_transaction: 40,
  web_crawl: 20,
  forensic_investigation: null,
  ledger_immanent: null,
  heuristic: null,
  unknown: null,
};

export function isTagConfidence(value: string): boolean {
  return Object.hasOwn(TAG_CONFIDENCE, value);
}
