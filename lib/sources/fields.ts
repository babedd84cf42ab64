/**
 * Typed reads from parsed store records. Records are untrusted: only own properties count (so
 * `constructor` or `__proto__` never resolve through the prototype), and every value is type-checked.
 */
export type Rec = Record<string, unknown>;

export function asRec(x: unknown): Rec | undefined {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Rec) : undefined;
}

function own(o: Rec, k: string): unknown {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

/** A non-blank string, bounded so one record cannot carry megabytes into an event. */
export function str(o: Rec, k: string, max = 65_536): string | undefined {
  const x = own(o, k);
  if (typeof x !== 'string' || x.length === 0) return undefined;
  // Only a string that starts with whitespace can be blank: skip the trim otherwise.
  if (x.charCodeAt(0) <= 32 && x.trim() === '') return undefined;
  return x.length > max ? x.slice(0, max) : x;
}

export function num(o: Rec, k: string): number | undefined {
  const x = own(o, k);
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

export function int(o: Rec, k: string): number | undefined {
  const x = own(o, k);
  return typeof x === 'number' && Number.isInteger(x) ? x : undefined;
}

/** A boolean; Python reprs (`'True'`/`'False'`) count too, as some records store them as strings. */
export function bool(o: Rec, k: string): boolean | undefined {
  const x = own(o, k);
  if (typeof x === 'boolean') return x;
  if (x === 'True' || x === 'true') return true;
  if (x === 'False' || x === 'false') return false;
  return undefined;
}

export function rec(o: Rec, k: string): Rec | undefined {
  return asRec(own(o, k));
}

export function arr(o: Rec, k: string): unknown[] | undefined {
  const x = own(o, k);
  return Array.isArray(x) ? x : undefined;
}

/** The string items of an array field, at most `limit` of them. */
export function strings(o: Rec, k: string, limit = 256): string[] | undefined {
  const a = arr(o, k);
  if (!a) return undefined;
  const out: string[] = [];
  for (const x of a) {
    if (out.length >= limit) break;
    if (typeof x === 'string' && x !== '') out.push(x.length > 4096 ? x.slice(0, 4096) : x);
  }
  return out;
}

/** Finite numeric entries of an object field, at most `limit`. */
export function numbers(o: Rec, k: string, limit = 32): [string, number][] {
  const r = rec(o, k);
  if (!r) return [];
  const out: [string, number][] = [];
  for (const key of Object.keys(r)) {
    if (out.length >= limit) break;
    const x = r[key];
    if (typeof x === 'number' && Number.isFinite(x)) out.push([key, x]);
  }
  return out;
}
