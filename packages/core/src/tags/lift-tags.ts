import type { Tag } from './tag.js';

/** One value of a conflicting field, with every source and address that asserts it. */
export interface ConflictingValue {
  readonly value: string;
  readonly sources: readonly string[];
  readonly addresses: readonly string[];
}

/** Tags of one entity that disagree; shown to the investigator, never resolved silently. */
export interface TagConflict {
  readonly field: 'label' | 'category';
  readonly values: readonly ConflictingValue[];
}

/** An entity's tags, lifted from its member addresses. */
export interface EntityAttribution {
  readonly entityId: string;
  /** The entity's label when its tags name one actor (the most used wording), else null. */
  readonly label: string | null;
  /** The one category its tags give, else null (none, or a conflict). */
  readonly category: string | null;
  /** Every tag of every member, by source, then address, then label. */
  readonly tags: readonly Tag[];
  readonly conflicts: readonly TagConflict[];
}

export interface LiftResult {
  /** Entities with at least one tag, by entity id. */
  readonly entities: readonly EntityAttribution[];
  /** Tags on addresses that belong to no known entity. */
  readonly unplaced: number;
}

function normalise(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Who a tag says owns the address: its GraphSense actor when given (so `binance.com` and
 * `Binance` tags of actor `binance` agree), else its label, case and spacing ignored.
 */
function identity(tag: Tag): string {
  return tag.actor ? `actor:${normalise(tag.actor)}` : `label:${normalise(tag.label)}`;
}

function conflict(field: TagConflict['field'], tags: readonly Tag[], key: (t: Tag) => string | null, shown: (t: Tag) => string): TagConflict | null {
  const groups = new Map<string, { value: string; sources: Set<string>; addresses: Set<string> }>();
  for (const t of tags) {
    const k = key(t);
    if (k === null) continue;
    let group = groups.get(k);
    if (group === undefined) {
      group = { value: shown(t), sources: new Set(), addresses: new Set() };
      groups.set(k, group);
    }
    group.sources.add(t.source);
    group.addresses.add(t.address);
  }
  if (groups.size < 2) return null;
  const values = [...groups.values()]
    .map((g) => ({ value: g.value, sources: [...g.sources].sort(), addresses: [...g.addresses].sort() }))
    .sort((x, y) => y.addresses.length - x.addresses.length || (x.value < y.value ? -1 : 1));
  return { field, values };
}

function mostUsedLabel(tags: readonly Tag[]): string {
  const counts = new Map<string, number>();
  for (const t of tags) counts.set(t.label, (counts.get(t.label) ?? 0) + 1);
  return [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]![0];
}

/**
 * Lifts address tags to the entities holding them (DESIGN.md, "Attribute"). Tags that
 * name different actors, or give different categories, within one entity are reported as
 * a conflict listing each value with its sources; the entity then has no label (or no
 * category) rather than a silently chosen one.
 */
export function liftTags(tags: Iterable<Tag>, entityOf: (address: string) => string | undefined): LiftResult {
  const byEntity = new Map<string, Tag[]>();
  let unplaced = 0;
  for (const tag of tags) {
    const entityId = entityOf(tag.address);
    if (entityId === undefined) {
      unplaced++;
      continue;
    }
    const list = byEntity.get(entityId);
    if (list === undefined) byEntity.set(entityId, [tag]);
    else list.push(tag);
  }
  const entities: EntityAttribution[] = [];
  for (const [entityId, list] of byEntity) {
    list.sort((x, y) => (x.source < y.source ? -1 : x.source > y.source ? 1 : x.address < y.address ? -1 : x.address > y.address ? 1 : x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
    const labelConflict = conflict('label', list, identity, (t) => (t.actor ? `${t.label} (actor ${t.actor})` : t.label));
    const categoryConflict = conflict('category', list, (t) => (t.category ? normalise(t.category) : null), (t) => t.category ?? '');
    const category = categoryConflict ? null : (list.find((t) => t.category)?.category ?? null);
    entities.push({
      entityId,
      label: labelConflict ? null : mostUsedLabel(list),
      category,
      tags: list,
      conflicts: [labelConflict, categoryConflict].filter((c): c is TagConflict => c !== null),
    });
  }
  entities.sort((x, y) => (x.entityId < y.entityId ? -1 : 1));
  return { entities, unplaced };
}
