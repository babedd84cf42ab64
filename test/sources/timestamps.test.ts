import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zoneConverter } from '../../lib/sources/local-time.ts';
import { isoOf, parseInstant, parseMs, secondsToMs } from '../../lib/sources/timestamps.ts';

const LA = zoneConverter('America/Los_Angeles');
const UTC = zoneConverter('UTC');
const iso = (s: string, naive: 'local' | 'utc', z = LA) => isoOf(parseMs(s, naive, z));

describe('timestamps', () => {
  it('reads the three styles the framework writes to the same instant', () => {
    assert.equal(iso('2026-11-24T02:02:22.116071+00:00', 'local'), '2026-11-24T02:02:22.116Z');
    assert.equal(iso('2026-11-24T02:02:22.116071+00:00Z', 'local'), '2026-11-24T02:02:22.116Z');
    assert.equal(iso('2026-11-23T18:02:22.116071', 'local'), '2026-11-24T02:02:22.116Z');
    assert.equal(iso('2026-11-24T02:02:22.116071', 'utc'), '2026-11-24T02:02:22.116Z');
  });

  it('keeps the microseconds below the millisecond', () => {
    assert.deepEqual(parseInstant('2026-09-26T16:14:32.540245+00:00', 'utc', UTC), {
      ms: Date.parse('2026-09-26T16:14:32.540Z'),
      us: 245,
    });
    assert.deepEqual(parseInstant('2026-09-26T16:14:32+00:00', 'utc', UTC), {
      ms: Date.parse('2026-09-26T16:14:32Z'),
      us: 0,
    });
  });

  it('takes other offsets, Z, and the audit log prefix with a space', () => {
    assert.equal(iso('2026-03-01T10:00:00-05:00', 'utc'), '2026-03-01T15:00:00.000Z');
    assert.equal(iso('2026-03-01T10:00:00+0530', 'utc'), '2026-03-01T04:30:00.000Z');
    assert.equal(iso('2026-03-01T10:00:00Z', 'local'), '2026-03-01T10:00:00.000Z');
    assert.equal(iso('2026-10-06 12:57:09', 'local'), '2026-10-06T19:57:09.000Z');
  });

  it('applies the zone offset in force at that wall time, across DST', () => {
    assert.equal(iso('2026-07-01T12:00:00', 'local'), '2026-07-01T19:00:00.000Z');
    assert.equal(iso('2026-01-15T12:00:00', 'local'), '2026-01-15T20:00:00.000Z');
    // 01:30 happens twice on 2026-11-01 in Los Angeles: the first (PDT), as Python's fold=0.
    assert.equal(iso('2026-11-01T01:30:00', 'local'), '2026-11-01T08:30:00.000Z');
    // 02:30 never happens on 2026-03-08: the offset before the gap applies (PST), as in Python.
    assert.equal(iso('2026-03-08T02:30:00', 'local'), '2026-03-08T10:30:00.000Z');
    assert.equal(
      iso('2026-06-01T09:00:00', 'local', zoneConverter('Asia/Kolkata')),
      '2026-06-01T03:30:00.000Z',
    );
  });

  it('rejects what is not a timestamp', () => {
    for (const bad of [
      '',
      'yesterday',
      '2026-13-01T00:00:00',
      '2026-01-01T25:00:00',
      '2026-01-01T00:00:00+00:00ZZ',
      42,
      null,
    ]) {
      assert.equal(parseInstant(bad, 'utc', UTC), undefined, String(bad));
    }
    assert.throws(() => zoneConverter('Mars/Olympus_Mons'), RangeError);
  });

  it('formats like toISOString', () => {
    for (const ms of [0, 1, 86_399_999, 1_790_968_324_353.87, Date.parse('2026-11-24T03:00:00.123Z')])
      assert.equal(isoOf(ms), new Date(Math.floor(ms)).toISOString());
    assert.equal(isoOf(undefined), undefined);
    assert.equal(isoOf(Number.NaN), undefined);
  });

  it('turns float seconds into ms at microsecond precision', () => {
    assert.equal(secondsToMs(28.304369), 28304.369);
    assert.equal(secondsToMs(3.9e-5), 0.039);
  });
});
