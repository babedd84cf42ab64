import type { Rollup } from '../../schema/rollup.ts';
import { foldRollupSeries } from '../rollup/fold.ts';
import { copy, define, isMapField, MAX_FIELDS, MIN_FIELDS } from './rollup-fields.ts';

/**
 * acc += delta, in place. The same arithmetic as lib/rollup merge() (counters add, extremes take
 * min/max, missing entries are copied, old days fold into weeks), without building a new rollup
 * at every step: the hub adds thousands of contributions and must answer in well under a second.
 * Deltas may be negative. Labels never count as field names (a capability may be called `max`).
 */
export function accumulate(acc: Rollup, delta: Rollup): Rollup {
  addInto(acc as unknown as Record<string, unknown>, delta as unknown as Record<string, unknown>, false);
  // Exports carry weeks only; a rollup with days folds them like merge() does.
  if (hasDays(delta)) foldRollupSeries(acc);
  return acc;
}

function addInto(a: Record<string, unknown>, b: Record<string, unknown>, inMap: boolean): void {
  for (const k of Object.keys(b)) {
    const bv = b[k];
    if (bv === undefined || bv === null) continue;
    const av = Object.hasOwn(a, k) ? a[k] : undefined;
    if (av === undefined || av === null) {
      define(a, k, copy(bv));
    } else if (typeof av === 'number' && typeof bv === 'number') {
      a[k] = inMap
        ? av + bv
        : MIN_FIELDS.has(k)
          ? Math.min(av, bv)
          : MAX_FIELDS.has(k)
            ? Math.max(av, bv)
            : av + bv;
    } else if (Array.isArray(av) && Array.isArray(bv)) {
      for (let i = 0; i < bv.length; i++)
        av[i] = ((av[i] as number | undefined) ?? 0) + ((bv[i] as number | undefined) ?? 0);
    } else if (typeof av === 'object' && typeof bv === 'object') {
      addInto(av as Record<string, unknown>, bv as Record<string, unknown>, isMapField(k, inMap));
    } else {
      throw new TypeError(`cannot add ${typeof bv} to ${typeof av} at "${k}"`);
    }
  }
}

function hasDays(r: Rollup): boolean {
  for (const section of [r.capabilities, r.workflows, r.experts] as Record<
    string,
    { series?: { days: object } }
  >[])
    for (const k of Object.keys(section)) {
      const days = section[k]?.series?.days;
      if (days && Object.keys(days).length > 0) return true;
    }
  return false;
}
