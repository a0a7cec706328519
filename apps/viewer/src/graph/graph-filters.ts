/**
 * Time range and minimum value, applied to what is drawn. Edges carried by several
 * transactions (entity flows) know only their first and last time, so such an edge stays
 * when its span meets the range; expansions made while a range is set ask the API for that
 * range only, so their edges are exact.
 */

export interface GraphFilters {
  /** Unix seconds, inclusive. */
  readonly fromTime: number | null;
  readonly toTime: number | null;
  /** Satoshis: edges carrying less are not drawn. */
  readonly minValue: bigint | null;
}

export const NO_FILTERS: GraphFilters = { fromTime: null, toTime: null, minValue: null };

export function filtersActive(filters: GraphFilters): boolean {
  return filters.fromTime !== null || filters.toTime !== null || (filters.minValue !== null && filters.minValue > 0n);
}

/** Does a time span [first, last] meet the filter's range? Unknown times always do. */
export function spanInRange(first: number | null, last: number | null, filters: GraphFilters): boolean {
  if (first === null && last === null) return true;
  const start = first ?? last ?? 0;
  const end = last ?? first ?? 0;
  if (filters.fromTime !== null && end < filters.fromTime) return false;
  if (filters.toTime !== null && start > filters.toTime) return false;
  return true;
}

export function valueAtLeast(value: bigint, filters: GraphFilters): boolean {
  return filters.minValue === null || value >= filters.minValue;
}
