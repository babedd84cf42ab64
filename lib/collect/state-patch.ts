import { decode, encode } from '@msgpack/msgpack';
import * as v from 'valibot';
import { type State, StoreReport } from '../../schema/state.ts';
import { STATE_KEY_ORDER } from '../rollup/state-file.ts';
import { type MapSpans, mapSpans, type Span } from './msgpack-spans.ts';

/** The fields a collection that found nothing new rewrites; every other field keeps its bytes. */
export type StatePatch = Pick<State, 'updatedAt' | 'lastCollectAt' | 'sources'> &
  Partial<Pick<State, 'checkpoints'>>;

/** Read by peekState. saveState writes them ahead of the rollups and the window, so it stops early. */
const WANTED: ReadonlySet<string> = new Set([
  'schemaVersion',
  'updatedAt',
  'lastCollectAt',
  'sources',
  'checkpoints',
  'rollup',
]);

const Sources = v.record(v.string(), StoreReport);

export interface StatePeek {
  /** The `checkpoints` field as stored (packed, or the plain object of an older state file). */
  checkpoints: unknown;
  sources: State['sources'];
  /** Stores the rollup already holds a health cell for. */
  health: ReadonlySet<string>;
  spans: MapSpans;
}

/**
 * What a collection needs of the state file before it knows whether anything is new, read without
 * decoding the rollups or the de-duplication window (most of the file). Null when the bytes are not
 * a state file this can patch: the caller then loads it whole, which also sets a damaged one aside.
 */
export function peekState(bytes: Uint8Array): StatePeek | null {
  try {
    const spans = mapSpans(bytes, 0, WANTED);
    const value = (name: string): Span => {
      const e = spans.entries.get(name);
      if (!e) throw new RangeError(`no ${name}`);
      return e.value;
    };
    const field = (name: string): unknown => decode(bytes.subarray(...value(name)));
    if (field('schemaVersion') !== 1) return null;
    for (const name of WANTED) value(name);
    const sources = v.safeParse(Sources, field('sources'));
    if (!sources.success) return null;
    const rollup = mapSpans(bytes, value('rollup')[0], new Set(['health']));
    const health = rollup.entries.get('health');
    const cells = health && decode(bytes.subarray(...health.value));
    if (!cells || typeof cells !== 'object' || Array.isArray(cells)) return null;
    return {
      checkpoints: field('checkpoints'),
      sources: sources.output,
      health: new Set(Object.keys(cells)),
      spans,
    };
  } catch {
    return null;
  }
}

/**
 * The state file, in pieces, with the patched fields encoded anew and every other field's bytes as they were,
 * in saveState's key order (so a file an older version wrote is peeked quickly from now on); the
 * fields peekState did not step over follow as one block.
 */
export function patchState(bytes: Uint8Array, spans: MapSpans, patch: StatePatch): Uint8Array[] {
  const parts: Uint8Array[] = [bytes.subarray(...spans.header)];
  const rank = (k: string) => {
    const i = STATE_KEY_ORDER.indexOf(k);
    return i < 0 ? STATE_KEY_ORDER.length : i;
  };
  const names = [...spans.entries.keys()].sort((a, b) => rank(a) - rank(b));
  for (const name of names) {
    const { key, value } = spans.entries.get(name) as { key: Span; value: Span };
    parts.push(bytes.subarray(...key));
    parts.push(
      Object.hasOwn(patch, name) ? encodeField(patch[name as keyof StatePatch]) : bytes.subarray(...value),
    );
  }
  parts.push(bytes.subarray(spans.rest));
  return parts;
}

/** A field's MessagePack bytes, the buffer sized for the packed checkpoints it may carry. */
function encodeField(value: unknown): Uint8Array {
  let size = 4096;
  if (value && typeof value === 'object')
    for (const x of Object.values(value)) if (x instanceof Uint8Array) size += x.byteLength;
  return encode(value, { ignoreUndefined: true, initialBufferSize: size });
}
