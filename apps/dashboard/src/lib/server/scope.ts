/**
 * What a page shows for its filters: the unit chosen (the county, a township or a village) and
 * the units one level below it, which its tables and charts list and link to (drill-down).
 */
import type { Grain } from '@ncms/rules';
import type { Filters } from '$lib/types';

export interface Scope {
  /** The unit's level and, below the county, its code. */
  grain: Grain;
  units?: string[];
  /** The level listed below it (none below a village). */
  childGrain?: Grain;
  /** The division code the listed units lie in. */
  within?: string;
}

export function scopeOf(f: Filters): Scope {
  if (f.village) return { grain: 'village', units: [f.village] };
  if (f.township) return { grain: 'township', units: [f.township], childGrain: 'village', within: f.township };
  return { grain: 'county', childGrain: 'township' };
}

/** The chosen unit's code (for queries that take a prefix), undefined for the county. */
export const scopeCode = (f: Filters): string | undefined => f.village ?? f.township;
