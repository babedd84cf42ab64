import type { Rollup } from '../../schema/rollup.ts';
import { foldRollupSeries } from '../rollup/fold.ts';
import { copy, define, isExtreme, isMapField, MAX_FIELDS, MIN_FIELDS } from './rollup-fields.ts';

/**
 * acc += delta, in place. The same arithmetic as lib/rollup merge() (counters add, extremes take
 * min/max, missing entries are copied, old days fold into weeks), without building a new rollup
 * at every step: the hub adds thousands of contributions and must answer in well under a second.
 * Deltas may be negative. Labels never count as field names (a capability may be called `max`).
 */
export function accumulate(acc: Rollup, delta: Rollup): Rollup {
  return addRollup(acc, delta, false);
}

/**
 * accumulate(), except that what `acc` lacks is taken from `delta` by reference instead of copied,
 * and copied only when a later addition would change it (copy on write). For the hub's ledger:
 * each submission adds the same delta to three sums, and most of a delta is new there (a
 * project's own capabilities), so copying it would be most of the work and of the memory.
 * What is taken is marked, and every sum, `delta`'s owner included when `delta` is itself a sum,
 * copies a marked object before changing it: `delta` may be a live sum; any other owner of its
 * objects must only change them through these functions.
 */
export function accumulateShared(acc: Rollup, delta: Rollup): Rollup {
  return addRollup(acc, delta, true);
}

/** Objects some sum holds by reference: never written, copied by the sum that needs to change them. */
const borrowed = new WeakSet<object>();

function addRollup(acc: Rollup, delta: Rollup, share: boolean): Rollup {
  addInto(
    acc as unknown as Record<string, unknown>,
    delta as unknown as Record<string, unknown>,
    false,
    share,
  );
  // Exports carry weeks only; a rollup with days folds them like merge() does.
  if (hasDays(delta)) {
    ownSeries(acc);
    foldRollupSeries(acc);
  }
  return acc;
}

function addInto(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  inMap: boolean,
  share: boolean,
): void {
  for (const k of Object.keys(b)) {
    const bv = b[k];
    if (bv === undefined || bv === null) continue;
    let av = Object.hasOwn(a, k) ? a[k] : undefined;
    if (av === undefined || av === null) {
      if (share && typeof bv === 'object') {
        borrowed.add(bv);
        define(a, k, bv);
      } else define(a, k, copy(bv));
      continue;
    }
    if (typeof av === 'number' && typeof bv === 'number') {
      a[k] = inMap
        ? av + bv
        : MIN_FIELDS.has(k)
          ? Math.min(av, bv)
          : MAX_FIELDS.has(k)
            ? Math.max(av, bv)
            : av + bv;
      continue;
    }
    if (typeof av === 'object' && borrowed.has(av)) {
      av = copy(av);
      define(a, k, av);
    }
    if (Array.isArray(av) && Array.isArray(bv)) {
      for (let i = 0; i < bv.length; i++)
        av[i] = ((av[i] as number | undefined) ?? 0) + ((bv[i] as number | undefined) ?? 0);
    } else if (typeof av === 'object' && typeof bv === 'object') {
      addInto(av as Record<string, unknown>, bv as Record<string, unknown>, isMapField(k, inMap), share);
    } else {
      throw new TypeError(`cannot add ${typeof bv} to ${typeof av} at "${k}"`);
    }
  }
}

/**
 * acc −= delta, in place, where `delta` is a sum that was added to `acc` earlier (one project's
 * contributions, taken out when it is deleted). Counters subtract exactly. An extreme (min, max,
 * firstDay, lastDay) cannot: where `acc` holds the very value `delta` brought, it may have come
 * from that project alone, so it becomes null (unknown) until the sum is built again; where it
 * differs, another contribution set it, and it stays. Objects `acc` borrowed are copied first.
 */
export function withdraw(acc: Rollup, delta: Rollup): Rollup {
  takeFrom(acc as unknown as Record<string, unknown>, delta as unknown as Record<string, unknown>, false);
  return acc;
}

function takeFrom(a: Record<string, unknown>, b: Record<string, unknown>, inMap: boolean): void {
  for (const k of Object.keys(b)) {
    const bv = b[k];
    if (bv === undefined || bv === null || !Object.hasOwn(a, k)) continue;
    let av = a[k];
    if (typeof av === 'number' && typeof bv === 'number') {
      a[k] = !isExtreme(k, inMap) ? av - bv : av === bv ? null : av;
      continue;
    }
    if (av === null || typeof av !== 'object' || typeof bv !== 'object') continue;
    if (borrowed.has(av)) {
      av = copy(av);
      define(a, k, av);
    }
    if (Array.isArray(av) && Array.isArray(bv)) {
      for (let i = 0; i < bv.length && i < av.length; i++)
        av[i] = ((av[i] as number | undefined) ?? 0) - ((bv[i] as number | undefined) ?? 0);
    } else if (!Array.isArray(av) && !Array.isArray(bv)) {
      takeFrom(av as Record<string, unknown>, bv as Record<string, unknown>, isMapField(k, inMap));
    }
  }
}

/** Folding rewrites series in place: every series of `acc` must be its own first. */
function ownSeries(acc: Rollup): void {
  const r = acc as unknown as Record<string, Record<string, { series?: object }>>;
  for (const field of ['capabilities', 'workflows', 'experts']) {
    let section = r[field];
    if (!section) continue;
    if (borrowed.has(section)) {
      section = copy(section);
      r[field] = section;
    }
    for (const name of Object.keys(section)) {
      let cell = section[name] as { series?: object };
      if (borrowed.has(cell)) {
        cell = copy(cell);
        define(section, name, cell);
      } else if (cell.series) cell.series = copy(cell.series);
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
