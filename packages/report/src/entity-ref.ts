import type { NodeRef } from '@chaintrail/store';
import type { NodeInfo, TagSummary } from './store-view.js';

/** An entity (or lone address) as a report row names it, with the tags behind its label. */
export interface EntityRef {
  readonly node: NodeRef;
  readonly label: string | null;
  readonly category: string | null;
  readonly tags: readonly TagSummary[];
  /** Conflicting tag values, each with its sources (core's TagConflict). */
  readonly conflicts: NodeInfo['conflicts'];
}

export function entityRef(info: NodeInfo): EntityRef {
  return { node: info.node, label: info.label, category: info.category, tags: info.tags, conflicts: info.conflicts };
}

/** Who a tag set says the entity is: its label when the tags agree on one, else the entity itself. */
export function serviceIdentity(info: NodeInfo): string {
  return info.label !== null && info.conflicts.length === 0 ? `label:${info.label.trim().toLowerCase()}` : `${info.node.kind}:${info.node.id}`;
}

/** The name a service goes by in a report: its label, else its entity id. */
export function serviceName(info: NodeInfo): string {
  return info.label !== null && info.conflicts.length === 0 ? info.label : info.conflicts.length > 0 ? `${info.node.id} (conflicting tags)` : info.node.id;
}
