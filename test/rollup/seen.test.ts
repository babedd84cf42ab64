import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode } from '@msgpack/msgpack';
import fc from 'fast-check';
import * as v from 'valibot';
import { addSeen, emptySeen, SEEN_RECORD_BYTES, seenIds, seenSize } from '../../lib/rollup/seen.ts';
import { emptyState, encodeState } from '../../lib/rollup/state-file.ts';
import { State } from '../../schema/state.ts';

const hexId = fc.stringMatching(/^[0-9a-f]{16}$/);

describe('seen window (lib/rollup/seen.ts)', () => {
  it('property: every id added is found again, within the limit the newest days are kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hexId, fc.integer({ min: 19_000, max: 21_000 })), { maxLength: 60 }),
        fc.integer({ min: 1, max: 80 }),
        (entries, limit) => {
          const batch = new Map(entries);
          const blob = addSeen(emptySeen(), batch, limit);
          assert.equal(blob.byteLength % SEEN_RECORD_BYTES, 0);
          const kept = seenIds(blob);
          assert.equal(kept.size, Math.min(batch.size, limit));
          const days = [...batch.values()].sort((a, b) => b - a);
          const cutoff = days[Math.min(batch.size, limit) - 1] ?? 0;
          // Every id newer than the cut-off day is kept; nothing older than it is.
          for (const [id, day] of batch) {
            if (day > cutoff) assert.ok(kept.has(id), `${id} (day ${day}) was dropped before older ones`);
            if (day < cutoff) assert.ok(!kept.has(id), `${id} (day ${day}) kept over newer ones`);
          }
        },
      ),
      { numRuns: 300, seed: 24_11_2026 },
    );
  });

  it('adds to what is there, and ignores an id that is not 16 hex digits', () => {
    const first = addSeen(emptySeen(), new Map([['00000000000000aa', 20_000]]), 10);
    const second = addSeen(
      first,
      new Map([
        ['ffffffffffffff00', 20_001],
        ['nothex', 20_002],
      ]),
      10,
    );
    assert.equal(seenSize(second), 2);
    assert.deepEqual([...seenIds(second)].sort(), ['00000000000000aa', 'ffffffffffffff00']);
  });

  it('a state file written with the older id → day map loads as a blob with the same ids', () => {
    const old = { ...emptyState(new Date('2026-10-01T00:00:00Z')), seen: { '0123456789abcdef': 20_500 } };
    const loaded = v.parse(State, decode(encodeState(old as never)));
    assert.ok(loaded.seen instanceof Uint8Array);
    assert.deepEqual([...seenIds(loaded.seen)], ['0123456789abcdef']);
    // And the new form survives a round trip through MessagePack.
    const again = v.parse(State, decode(encodeState(loaded)));
    assert.deepEqual([...seenIds(again.seen)], ['0123456789abcdef']);
  });
});
