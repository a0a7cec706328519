import type { ChangeHeuristicName } from './change.js';
import type { COMMON_INPUT, P2SH_WRAPPED } from './common-input.js';

/** The heuristics that join addresses; METHODS.md names each. */
export type LinkHeuristic = typeof COMMON_INPUT.name | typeof P2SH_WRAPPED.name | ChangeHeuristicName;

/**
 * Why two addresses are one entity: the heuristic (with its version and confidence, 0 to
 * 100) and the transaction that shows it. Every union is kept as one, so any two members
 * of an entity are explained by a path of them (DESIGN.md, "ClusterLink").
 */
export interface ClusterLink {
  readonly a: string;
  readonly b: string;
  readonly heuristic: LinkHeuristic;
  readonly version: number;
  readonly confidence: number;
  readonly txid: string;
}
