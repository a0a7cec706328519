/**
 * The rules a bundle's links and CoinJoin verdicts name, with this chaintrail's version,
 * confidence and source of each (METHODS.md). The store keeps a link's rule by name; the
 * version written beside it is the one this build implements.
 */
import { CHANGE_HEURISTICS, COINJOIN_RULES, COMMON_INPUT, P2SH_WRAPPED, type ChangeHeuristicName } from '@chaintrail/core';

export interface HeuristicInfo {
  readonly name: string;
  readonly kind: 'clustering' | 'change' | 'coinjoin';
  readonly version: number | null;
  readonly confidence: number | null;
  readonly source: string;
}

const CIOH_SOURCE = 'Nakamoto 2008, section 10; Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013; BlockSci cluster_manager.cpp';

export function heuristicInfo(name: string): HeuristicInfo {
  if (name === COMMON_INPUT.name) return { name, kind: 'clustering', version: COMMON_INPUT.version, confidence: COMMON_INPUT.confidence, source: CIOH_SOURCE };
  if (name === P2SH_WRAPPED.name) {
    return { name, kind: 'clustering', version: P2SH_WRAPPED.version, confidence: P2SH_WRAPPED.confidence, source: 'a P2SH address and the segwit address its redeem script wraps are one key or script (BIP141 nested segwit)' };
  }
  const change = CHANGE_HEURISTICS[name as ChangeHeuristicName] as (typeof CHANGE_HEURISTICS)[ChangeHeuristicName] | undefined;
  if (change) return { name, kind: 'change', version: change.version, confidence: change.confidence, source: change.source };
  const coinjoin = COINJOIN_RULES.find((r) => r.name === name);
  if (coinjoin) return { name, kind: 'coinjoin', version: coinjoin.version, confidence: null, source: coinjoin.source };
  return { name, kind: name.startsWith('change:') ? 'change' : 'clustering', version: null, confidence: null, source: 'not a rule this chaintrail knows' };
}
