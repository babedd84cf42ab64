import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entriesOf, listingOf, RACY_MS, stillValid } from '../../lib/sources/dir-listing.ts';

const entry = (name: string, type: 'f' | 'd') => ({
  name,
  isFile: () => type === 'f',
  isDirectory: () => type === 'd',
});

describe('kept directory listings', () => {
  const stamp = { mtimeMs: 1_000_000, ctimeMs: 1_000_500 };

  it('hold names and types, and give them back', () => {
    const l = listingOf('events', 'event-bus', stamp, 2_000_000, [entry('a.json', 'f'), entry('b', 'd')], 7);
    assert.equal(l.names, 'a.json/b');
    assert.equal(l.types, 'fd');
    const back = entriesOf(l) ?? [];
    assert.deepEqual(
      back.map((e) => [e.name, e.isFile(), e.isDirectory()]),
      [
        ['a.json', true, false],
        ['b', false, true],
      ],
    );
    assert.deepEqual(entriesOf(listingOf('x', 'k', stamp, 2_000_000, [], 3)), []);
    assert.equal(entriesOf({ ...l, types: 'f' }), undefined, 'names and types that do not pair up');
  });

  it('are trusted only while the stamp is the same, and only when read well after the last change', () => {
    const at = Math.max(stamp.mtimeMs, stamp.ctimeMs);
    const settled = listingOf('d', 'k', stamp, at + RACY_MS + 1, [], 0);
    assert.ok(stillValid(settled, stamp));
    assert.ok(!stillValid(settled, { ...stamp, mtimeMs: stamp.mtimeMs + 1 }), 'an entry came or went');
    assert.ok(!stillValid(settled, { ...stamp, ctimeMs: stamp.ctimeMs + 1 }), 'times set back by utimes');
    // Listed within a clock tick or so of the change: an entry made right after could share the stamp.
    assert.ok(!stillValid(listingOf('d', 'k', stamp, at + RACY_MS, [], 0), stamp));
    assert.ok(!stillValid(listingOf('d', 'k', stamp, at - 5, [], 0), stamp));
  });
});
