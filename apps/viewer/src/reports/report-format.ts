/**
 * How report figures read in the panel: shares as percentages from the report's own
 * 4-decimal shares (no float arithmetic on them beyond reading basis points), entities by
 * label or short id, the chain tip and parameters as the report records them.
 */
import type { ComputedAtJson, EntityRefJson, ReportParameterJson } from '../api/report-wire-types.js';
import { shortLabel } from '../render/graph-style.js';

/** `0.9` → `90.00 %`, `283.6585` → `28,365.85 %` (poison counts every output whole). */
export function formatShare(share: number): string {
  const basisPoints = Math.round(share * 10_000);
  const whole = Math.floor(basisPoints / 100);
  return `${whole.toLocaleString('en-US')}.${String(basisPoints % 100).padStart(2, '0')} %`;
}

export function entityName(entity: Pick<EntityRefJson, 'node' | 'label'>): string {
  return shortLabel(entity.node.kind, entity.node.id, entity.label);
}

const BASIS_TEXT: Readonly<Record<ComputedAtJson['basis'], string>> = {
  'store-tip': 'the tip of the store',
  'highest-block-read': 'the highest block the report read',
  none: 'no confirmed block was read',
};

/** `block 800,184 (03403e49…ee28), the highest block the report read`. */
export function computedAtText(at: ComputedAtJson): string {
  if (at.height === null) return BASIS_TEXT[at.basis];
  const hash = at.hash === null ? '' : ` (${at.hash.slice(0, 8)}…${at.hash.slice(-4)})`;
  return `block ${at.height.toLocaleString('en-US')}${hash}, ${BASIS_TEXT[at.basis]}`;
}

/** Parameters as the report records them: `hopLimit 8 · minShare 0.9 · from (none)`. */
export function parametersText(parameters: Readonly<Record<string, ReportParameterJson>>): string {
  const value = (v: ReportParameterJson): string => (Array.isArray(v) ? (v.length === 0 ? '(none)' : v.join(', ')) : String(v));
  return Object.entries(parameters)
    .map(([name, v]) => `${name} ${value(v)}`)
    .join(' · ');
}
