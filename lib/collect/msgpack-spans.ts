/**
 * Where each value of a MessagePack map lies, found by stepping over type tags without decoding:
 * the state file's rollups and de-duplication window can then be copied as bytes while a handful of
 * fields is read or replaced. Pure functions over a byte array; throws a RangeError on malformed input.
 */

export type Span = readonly [start: number, end: number];

// The last tag read by `tag`: its header length, the values it contains (a map entry counts two)
// and its payload length. Module state rather than a returned tuple: a state file holds hundreds
// of thousands of values, and an array per value was most of the time spent stepping over them.
let header = 0;
let items = 0;
let payload = 0;

function tag(b: Uint8Array, at: number): void {
  const t = b[at];
  if (t === undefined) throw new RangeError('truncated MessagePack');
  header = 1;
  items = 0;
  payload = 0;
  if (t <= 0x7f || t >= 0xe0) return;
  if (t <= 0x8f) items = 2 * (t & 0x0f);
  else if (t <= 0x9f) items = t & 0x0f;
  else if (t <= 0xbf) payload = t & 0x1f;
  else if (t === 0xc0 || t === 0xc2 || t === 0xc3) return;
  else if (t === 0xc4 || t === 0xd9) {
    header = 2;
    payload = uint(b, at, 1);
  } else if (t === 0xc5 || t === 0xda) {
    header = 3;
    payload = uint(b, at, 2);
  } else if (t === 0xc6 || t === 0xdb) {
    header = 5;
    payload = uint(b, at, 4);
  } else if (t >= 0xc7 && t <= 0xc9) {
    const n = t === 0xc7 ? 1 : t === 0xc8 ? 2 : 4;
    header = 2 + n;
    payload = uint(b, at, n);
  } else if (t >= 0xca && t <= 0xd3) header = 1 + (SCALAR[t - 0xca] as number);
  else if (t >= 0xd4 && t <= 0xd8) header = 2 + (1 << (t - 0xd4));
  else if (t === 0xdc || t === 0xde) {
    header = 3;
    items = uint(b, at, 2) * (t === 0xde ? 2 : 1);
  } else if (t === 0xdd || t === 0xdf) {
    header = 5;
    items = uint(b, at, 4) * (t === 0xdf ? 2 : 1);
  } else throw new RangeError(`MessagePack tag 0x${t.toString(16)} at ${at}`);
}

/** Byte lengths of float32, float64, uint8…uint64, int8…int64 (tags 0xca to 0xd3). */
const SCALAR = [4, 8, 1, 2, 4, 8, 1, 2, 4, 8] as const;

function uint(b: Uint8Array, at: number, n: number): number {
  if (at + n >= b.length) throw new RangeError('truncated MessagePack');
  let v = 0;
  for (let i = 1; i <= n; i++) v = v * 256 + (b[at + i] as number);
  return v;
}

/** End of the value starting at `at`. */
export function skipValue(b: Uint8Array, at: number): number {
  let pending = 1;
  let i = at;
  while (pending > 0) {
    tag(b, i);
    i += header + payload;
    pending += items - 1;
    if (i > b.length) throw new RangeError('truncated MessagePack');
  }
  return i;
}

export interface MapSpans {
  /** The map's own header bytes. */
  header: Span;
  /** Per string key, in order: the key's bytes and the value's. */
  entries: Map<string, { key: Span; value: Span }>;
  /**
   * Where the entries not stepped over begin (the end of the map when all were): `mapSpans` stops
   * once it has found the keys it was asked for, and what follows is copied without being read.
   */
  rest: number;
  /** The map's end, or undefined when it stopped early. */
  end: number | undefined;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The entries of the map at `at`, keyed by their string keys, up to the last of `wanted` (all of
 * them when `wanted` is not given).
 */
export function mapSpans(b: Uint8Array, at = 0, wanted?: ReadonlySet<string>): MapSpans {
  const t = b[at] as number;
  tag(b, at);
  if (payload !== 0 || !((t >= 0x80 && t <= 0x8f) || t === 0xde || t === 0xdf))
    throw new RangeError('not a MessagePack map');
  const count = items / 2;
  const out: MapSpans = { header: [at, at + header], entries: new Map(), rest: at + header, end: undefined };
  let found = 0;
  let i = at + header;
  for (let n = 0; n < count; n++) {
    if (wanted && found === wanted.size) return out;
    const kt = b[i] as number;
    tag(b, i);
    if (items !== 0 || !((kt >= 0xa0 && kt <= 0xbf) || kt === 0xd9 || kt === 0xda || kt === 0xdb))
      throw new RangeError('a map key that is not a string');
    const key: Span = [i, i + header + payload];
    if (key[1] > b.length) throw new RangeError('truncated MessagePack');
    const name = decoder.decode(b.subarray(i + header, key[1]));
    const value: Span = [key[1], skipValue(b, key[1])];
    if (out.entries.has(name)) throw new RangeError(`key ${name} twice`);
    out.entries.set(name, { key, value });
    if (wanted?.has(name)) found++;
    i = value[1];
    out.rest = i;
  }
  out.end = i;
  return out;
}
