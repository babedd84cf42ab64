import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth: the same content always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return plainCanonicalJson(value) ?? JSON.stringify(sortKeys(value));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const x = (value as Record<string, unknown>)[k];
      if (x !== undefined)
        Object.defineProperty(out, k, { value: sortKeys(x), enumerable: true, writable: true });
    }
    return out;
  }
  return value;
}

/** Quoted keys (`"runs":`): documents repeat a few hundred field names thousands of times. */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_LIMIT = 10_000;

/**
 * canonicalJson() written out directly for plain JSON data (plain objects and arrays, strings,
 * numbers, booleans, null), without building a sorted copy first: the hub checks the exportId of
 * every submission, and this is ~2× faster (keys already in order, as our exporter writes them,
 * are not sorted again). Anything else (a Uint8Array, a Date, a class instance, a function, a
 * bigint) answers undefined and the caller takes the general path, so the text is always exactly
 * JSON.stringify(sortKeys(value)).
 */
function plainCanonicalJson(value: unknown): string | undefined {
  let out = '';
  const write = (x: unknown): boolean => {
    if (x === null) {
      out += 'null';
      return true;
    }
    switch (typeof x) {
      case 'string':
        out += JSON.stringify(x);
        return true;
      case 'number':
        out += Number.isFinite(x) ? String(x) : 'null';
        return true;
      case 'boolean':
        out += x ? 'true' : 'false';
        return true;
      case 'object':
        return Array.isArray(x) ? writeArray(x) : writeObject(x);
      default:
        return false;
    }
  };
  const writeArray = (a: readonly unknown[]): boolean => {
    out += '[';
    for (let i = 0; i < a.length; i++) {
      if (i > 0) out += ',';
      const item = a[i];
      // JSON.stringify writes these as null inside arrays.
      if (item === undefined || typeof item === 'symbol') out += 'null';
      else if (!write(item)) return false;
    }
    out += ']';
    return true;
  };
  const writeObject = (o: object): boolean => {
    const proto = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) return false;
    let keys = Object.keys(o);
    // An object lists integer keys first, in numeric order, whatever the order they were added
    // in: so does sortKeys' copy. Only the other keys follow the sort.
    let from = 0;
    while (from < keys.length && isArrayIndex(keys[from] as string)) from++;
    for (let i = from + 1; i < keys.length; i++)
      if ((keys[i - 1] as string) > (keys[i] as string)) {
        keys = [...keys.slice(0, from), ...keys.slice(from).sort()];
        break;
      }
    out += '{';
    let first = true;
    for (const k of keys) {
      const x = (o as Record<string, unknown>)[k];
      // sortKeys drops undefined, JSON.stringify symbols; a function could be a toJSON.
      if (x === undefined || typeof x === 'symbol') continue;
      if (typeof x === 'function') return false;
      let q = quotedKeys.get(k);
      if (q === undefined) {
        q = `${JSON.stringify(k)}:`;
        if (quotedKeys.size < QUOTED_KEYS_LIMIT) quotedKeys.set(k, q);
      }
      out += first ? q : `,${q}`;
      first = false;
      if (!write(x)) return false;
    }
    out += '}';
    return true;
  };
  if (value === null || typeof value !== 'object') return undefined;
  return write(value) ? out : undefined;
}

/** A key JavaScript orders as an integer: 0 … 2^32 − 2 written without a sign or leading zero. */
function isArrayIndex(k: string): boolean {
  const c = k.charCodeAt(0);
  if (!(c >= 48 && c <= 57)) return false;
  if (!/^(?:0|[1-9]\d{0,9})$/.test(k)) return false;
  return Number(k) < 4_294_967_295;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * exportId: SHA-256 of the canonical content without the fields that change on every build
 * (`exportId` itself and `createdAt`). The same data exported twice, sent by any transport, has
 * the same id, so a hub counts it once.
 */
export function computeExportId(doc: { metadata: Record<string, unknown> }): string {
  const { exportId: _id, createdAt: _at, ...metadata } = doc.metadata;
  return sha256Hex(canonicalJson({ ...doc, metadata }));
}
