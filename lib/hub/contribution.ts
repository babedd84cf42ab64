import type { Rollup } from '../../schema/rollup.ts';
import { emptyRollup } from '../rollup/empty.ts';
import { copy, define, isExtreme, isMapField, isZero } from './rollup-fields.ts';

/**
 * How one submission counts in the aggregate. An export is a cumulative snapshot of a project's
 * rollup, so adding every snapshot would count a project's early runs once per submission. Instead
 * each submission adds the signed change since that project's previous snapshot: the sum over a
 * project's submissions telescopes to its newest snapshot, and the sum over the submissions made
 * while a framework version was current is the work done under that version.
 *
 * - start: the project's first snapshot, or a newer one whose counters went down (the local state
 *   was reset: those runs are new, the old ones stay counted). Counts whole.
 * - delta: counts as next − previous (counters only; extremes come from the newer snapshot).
 * - stale: smaller and created before the snapshot already counted (a late retry from an outbox);
 *   the newer snapshot already holds its runs, so it adds nothing.
 */
export type Counted = 'start' | 'delta' | 'stale';

export interface Snapshot {
  createdAt: string;
  rollup: Rollup;
}

export interface Contribution {
  counted: Counted;
  rollup: Rollup;
}

export function contributionOf(next: Snapshot, previous: Snapshot | null): Contribution {
  if (!previous) return { counted: 'start', rollup: next.rollup };
  const a = previous.rollup;
  const b = next.rollup;
  // Counters of one project's state only grow; a drop means a late, older snapshot or a reset.
  // The clock decides only then, so a wrong clock cannot stop a project's new runs from counting.
  if (b.tasks < a.tasks || b.workflowRuns < a.workflowRuns || b.consultationCount < a.consultationCount) {
    return Date.parse(next.createdAt) < Date.parse(previous.createdAt)
      ? { counted: 'stale', rollup: emptyRollup() }
      : { counted: 'start', rollup: b };
  }
  return { counted: 'delta', rollup: rollupDelta(b, a) };
}

/** next − previous, field by field; map entries that did not change are left out. */
export function rollupDelta(next: Rollup, previous: Rollup): Rollup {
  return diff(next, previous, '', false) as Rollup;
}

/** `field` is the key both values are stored under; `inMap` says whether that key is a label. */
function diff(next: unknown, prev: unknown, field: string, inMap: boolean): unknown {
  if (typeof next === 'number' || typeof prev === 'number' || next === null || prev === null) {
    if (isExtreme(field, inMap)) return typeof next === 'number' ? next : null;
    if (typeof next === 'object' && next !== null) return diff(next, undefined, field, inMap);
    if (typeof prev === 'object' && prev !== null) return diff(undefined, prev, field, inMap);
    return (typeof next === 'number' ? next : 0) - (typeof prev === 'number' ? prev : 0);
  }
  if (Array.isArray(next) || Array.isArray(prev)) {
    const a = Array.isArray(next) ? next : [];
    const b = Array.isArray(prev) ? prev : [];
    const out: unknown[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(diff(a[i], b[i], '', true));
    return out;
  }
  const a = (next ?? {}) as Record<string, unknown>;
  const b = (prev ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const map = isMapField(field, inMap);
  for (const k of Object.keys(a)) {
    const d = diff(a[k], Object.hasOwn(b, k) ? b[k] : undefined, k, map);
    if (!map || !isZero(d, k, true)) define(out, k, d);
  }
  for (const k of Object.keys(b)) {
    if (Object.hasOwn(a, k)) continue;
    const d = diff(undefined, b[k], k, map);
    if (!map || !isZero(d, k, true)) define(out, k, d);
  }
  return out;
}

export { copy };
