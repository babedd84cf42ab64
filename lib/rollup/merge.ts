import type { Rollup } from '../../schema/rollup.ts';
import { foldRollupSeries } from './fold.ts';

/** Fields merged by min or max; every other number is a counter and adds. */
const MIN_FIELDS = new Set(['min', 'firstDay']);
const MAX_FIELDS = new Set(['max', 'lastDay']);

/**
 * merge(a, b): a new rollup; neither input is changed. All counters and sums are integers and
 * extremes merge by min/max, so merge is exactly associative and commutative (property-tested).
 * Labels are not capped here, only at add and at export: capping inside merge would make the result
 * depend on the merge order.
 */
export function merge(a: Rollup, b: Rollup): Rollup {
  const out = mergeValue(a, b, '') as Rollup;
  foldRollupSeries(out);
  return out;
}

export function mergeAll(rollups: Iterable<Rollup>, start: Rollup): Rollup {
  let acc = start;
  for (const r of rollups) acc = merge(acc, r);
  return acc;
}

/** Structural merge of two same-shaped rollup parts (cells, sketches, export items): counters add. */
export function mergeValue(a: unknown, b: unknown, field = ''): unknown {
  if (a === undefined || a === null) return clone(b);
  if (b === undefined || b === null) return clone(a);
  if (typeof a === 'number' && typeof b === 'number') {
    if (MIN_FIELDS.has(field)) return Math.min(a, b);
    if (MAX_FIELDS.has(field)) return Math.max(a, b);
    return a + b;
  }
  // Labels inside merged items (an export item's name) must already agree.
  if (typeof a === 'string' && a === b) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const len = Math.max(a.length, b.length);
    const out: unknown[] = [];
    for (let i = 0; i < len; i++) out.push(mergeValue(a[i], b[i], ''));
    return out;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const out: Record<string, unknown> = {};
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of Object.keys(ao))
      define(out, k, mergeValue(ao[k], Object.hasOwn(bo, k) ? bo[k] : undefined, k));
    for (const k of Object.keys(bo)) if (!Object.hasOwn(ao, k)) define(out, k, clone(bo[k]));
    return out;
  }
  throw new TypeError(`cannot merge ${typeof a} with ${typeof b} at "${field}"`);
}

/** Own data property even for a key like `__proto__`: merged input may come from strangers. */
function define(o: Record<string, unknown>, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

function clone(x: unknown): unknown {
  return x === undefined ? undefined : structuredClone(x);
}
