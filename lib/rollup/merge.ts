import type { Rollup } from '../../schema/rollup.ts';
import { foldRollupSeries } from './fold.ts';

type Mode = 'sum' | 'min' | 'max';

/**
 * Which fields merge by min or max, decided by the shape of the object that holds them, never by a
 * key alone: a counts map may hold a label called `min` or `lastDay`, and that one must add.
 */
function modeOf(holder: Record<string, unknown>, key: string): Mode {
  const sketch = 'bins' in holder && 'zeros' in holder;
  if (sketch && (key === 'min' || key === 'max')) return key;
  const dated =
    ('tasks' in holder && 'capabilities' in holder) || ('records' in holder && 'skipped' in holder);
  if (dated && key === 'firstDay') return 'min';
  if (dated && key === 'lastDay') return 'max';
  return 'sum';
}

/**
 * merge(a, b): a new rollup; neither input is changed. All counters and sums are integers and
 * extremes merge by min/max, so merge is exactly associative and commutative (property-tested).
 * Labels are not capped here, only at add and at export: capping inside merge would make the result
 * depend on the merge order.
 */
export function merge(a: Rollup, b: Rollup): Rollup {
  const out = mergeValue(a, b) as Rollup;
  foldRollupSeries(out);
  return out;
}

export function mergeAll(rollups: Iterable<Rollup>, start: Rollup): Rollup {
  let acc = start;
  for (const r of rollups) acc = merge(acc, r);
  return acc;
}

/** Structural merge of two same-shaped rollup parts (cells, sketches, export items): counters add. */
export function mergeValue(a: unknown, b: unknown, mode: Mode = 'sum'): unknown {
  if (a === undefined || a === null) return clone(b);
  if (b === undefined || b === null) return clone(a);
  if (typeof a === 'number' && typeof b === 'number') {
    if (mode === 'min') return Math.min(a, b);
    if (mode === 'max') return Math.max(a, b);
    return a + b;
  }
  // Labels inside merged items (an export item's name) must already agree.
  if (typeof a === 'string' && a === b) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const len = Math.max(a.length, b.length);
    const out: unknown[] = [];
    for (let i = 0; i < len; i++) out.push(mergeValue(a[i], b[i]));
    return out;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const out: Record<string, unknown> = {};
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of Object.keys(ao))
      define(out, k, mergeValue(ao[k], Object.hasOwn(bo, k) ? bo[k] : undefined, modeOf(ao, k)));
    for (const k of Object.keys(bo)) if (!Object.hasOwn(ao, k)) define(out, k, clone(bo[k]));
    return out;
  }
  throw new TypeError(`cannot merge ${typeof a} with ${typeof b}`);
}

/** Own data property even for a key like `__proto__`: merged input may come from strangers. */
function define(o: Record<string, unknown>, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

function clone(x: unknown): unknown {
  return x === undefined ? undefined : structuredClone(x);
}
