import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, encode } from '@msgpack/msgpack';
import { mapSpans, skipValue } from '../../lib/collect/msgpack-spans.ts';
import { patchState, peekState } from '../../lib/collect/state-patch.ts';
import { seenFromMap } from '../../lib/rollup/seen.ts';
import { emptyState, encodeState } from '../../lib/rollup/state-file.ts';
import { checkpointField, packCheckpoints } from '../../lib/sources/checkpoint-pack.ts';
import type { State } from '../../schema/state.ts';

/** Every MessagePack type the encoder writes, at sizes that use each length form. */
const SAMPLES: unknown[] = [
  0,
  127,
  128,
  65_536,
  2 ** 32,
  -1,
  -200,
  -40_000,
  -(2 ** 31) - 1,
  1.5,
  null,
  true,
  false,
  '',
  'x'.repeat(31),
  'x'.repeat(255),
  'y'.repeat(70_000),
  new Uint8Array(3),
  new Uint8Array(300),
  new Uint8Array(70_000),
  [],
  Array.from({ length: 20 }, (_, i) => i),
  Array.from({ length: 70_000 }, () => 0),
  { a: 1 },
  Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, [i, { z: i }]])),
  Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i])),
  new Date(0),
];

function state(): State {
  const s = emptyState(new Date('2026-11-24T03:00:00Z'));
  s.rollup.health['event-log'] = { records: 3, skipped: 0, lastDay: 20_000 };
  s.sources['event-log'] = {
    present: true,
    files: 1,
    records: 3,
    emitted: 3,
    duplicates: 0,
    skipped: 0,
    bytes: 10,
    lastRunRecords: 3,
    problems: [],
    lastRecordAt: null,
  };
  s.seen = seenFromMap(
    Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`${i}`.padStart(16, '0'), 20_000])),
  );
  s.checkpoints = checkpointField(packCheckpoints({ dirs: { 'workflows/markers/wf': 5 } }));
  return s;
}

describe('MessagePack spans', () => {
  it('steps over every kind of value exactly', () => {
    for (const x of SAMPLES) {
      const bytes = encode(x);
      assert.equal(skipValue(bytes, 0), bytes.length, JSON.stringify(x)?.slice(0, 40));
    }
    const doc = encode({ a: SAMPLES, b: 'after' });
    const spans = mapSpans(doc);
    assert.deepEqual([...spans.entries.keys()], ['a', 'b']);
    const b = spans.entries.get('b')?.value as readonly [number, number];
    assert.equal(decode(doc.subarray(b[0], b[1])), 'after');
  });

  it('stops after the keys asked for, and refuses what is not a map of string keys', () => {
    const doc = encode({ a: 1, b: 2, c: 'x'.repeat(1000) });
    const spans = mapSpans(doc, 0, new Set(['b']));
    assert.deepEqual([...spans.entries.keys()], ['a', 'b']);
    assert.equal(spans.end, undefined);
    assert.throws(() => mapSpans(encode([1, 2])), /not a MessagePack map/);
    // {1: 2}: a map with an integer key.
    assert.throws(() => mapSpans(Uint8Array.of(0x81, 0x01, 0x02)), /not a string/);
    assert.throws(() => skipValue(encode('abcdef').subarray(0, 3), 0), /truncated/);
  });
});

describe('patching a state file', () => {
  it('reads the few fields a collection needs, stopping before the rollups and the window', () => {
    const bytes = encodeState(state());
    const peek = peekState(bytes);
    assert.ok(peek);
    assert.deepEqual([...peek.health], ['event-log']);
    assert.equal(peek.sources['event-log']?.records, 3);
    assert.ok(!peek.spans.entries.has('seen'), 'the window is copied, never read');
    assert.equal(peekState(encode({ schemaVersion: 2 })), null);
    assert.equal(peekState(Buffer.from('garbage')), null);
  });

  it('rewrites the patched fields and keeps every other one as it was, in the saved key order', () => {
    const before = state();
    for (const bytes of [encodeState(before), encode(before)]) {
      const peek = peekState(bytes);
      assert.ok(peek);
      const sources = {
        ...before.sources,
        x: { ...(before.sources['event-log'] as State['sources'][string]), records: 9 },
      };
      const patched = Buffer.concat(
        patchState(bytes, peek.spans, { updatedAt: 'U', lastCollectAt: 'L', sources }),
      );
      const after = decode(patched) as State;
      // decode gives views of the Buffer it read: compare the bytes, not the view's class.
      assert.deepEqual(
        { ...after, seen: new Uint8Array(after.seen) },
        { ...before, updatedAt: 'U', lastCollectAt: 'L', sources },
      );
      // Written as saveState writes it, whatever order the file had.
      assert.deepEqual(Buffer.from(patched), Buffer.from(encodeState(after)));
    }
  });
});
