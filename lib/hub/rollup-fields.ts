/**
 * What the hub needs to know about the rollup's shape to walk it generically (schema/rollup.ts):
 * which numbers merge by min or max instead of adding, and which objects are maps of labels whose
 * empty entries can be dropped (as opposed to fixed structs like a cell or a sketch). A walk must
 * know whether it is inside a map: there a key is a label (a capability may well be called `max`
 * or `security`), never a field name.
 */
export const MIN_FIELDS: ReadonlySet<string> = new Set(['min', 'firstDay']);
export const MAX_FIELDS: ReadonlySet<string> = new Set(['max', 'lastDay']);

export const MAP_FIELDS: ReadonlySet<string> = new Set([
  'capabilities',
  'workflows',
  'experts',
  'health',
  'overflow',
  'subScores',
  'days',
  'weeks',
  'errors',
  'security',
  'patterns',
  'decisions',
  'languages',
  'outcomes',
  'stepFailures',
  'selectionReasons',
  'askedBy',
  'calibration',
  'bins',
]);

export function isExtreme(field: string, inMap = false): boolean {
  return !inMap && (MIN_FIELDS.has(field) || MAX_FIELDS.has(field));
}

/** Whether the object under `key` is a map of labels (`inMap`: `key` is itself a label). */
export function isMapField(key: string, inMap: boolean): boolean {
  return !inMap && MAP_FIELDS.has(key);
}

/**
 * An own data property, even for a key like `__proto__`: keys come from strangers. Plain
 * assignment creates an own property for every other key (`constructor` included) and is far
 * cheaper than defineProperty, which matters in the hub's hot loops.
 */
export function define(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Deep copy of JSON-like data (objects, arrays, numbers, null), own properties only. */
export function copy<T>(x: T): T {
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map(copy) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(x)) define(out, k, copy((x as Record<string, unknown>)[k]));
  return out as T;
}

/**
 * True when every counter below `x` is 0 (extremes do not count: they carry no amount). `field`
 * is the key `x` is stored under and `inMap` whether that key is a label.
 */
export function isZero(x: unknown, field = '', inMap = false): boolean {
  if (x === null || x === undefined) return true;
  if (typeof x === 'number') return isExtreme(field, inMap) || x === 0;
  if (Array.isArray(x)) return x.every((v) => isZero(v, '', true));
  if (typeof x === 'object') {
    const map = isMapField(field, inMap);
    for (const k of Object.keys(x)) if (!isZero((x as Record<string, unknown>)[k], k, map)) return false;
    return true;
  }
  return true;
}
