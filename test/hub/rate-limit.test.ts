import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TokenBuckets } from '../../lib/hub/rate-limit.ts';

test('a burst passes, the next request waits, tokens come back at the set rate', () => {
  let now = 0;
  const b = new TokenBuckets({ perMinute: 60, burst: 3 }, () => now);
  assert.deepEqual([b.take('a'), b.take('a'), b.take('a')], [0, 0, 0]);
  assert.equal(b.take('a'), 1, 'one per second: wait 1 s');
  assert.equal(b.take('b'), 0, 'another key has its own bucket');
  now += 1000;
  assert.equal(b.take('a'), 0);
  assert.equal(b.take('a'), 1);
  now += 60_000;
  assert.deepEqual(
    [b.take('a'), b.take('a'), b.take('a'), b.take('a')],
    [0, 0, 0, 1],
    'refills up to the burst, not beyond',
  );
});

test('0 per minute turns the limit off', () => {
  const b = new TokenBuckets({ perMinute: 0, burst: 0 });
  for (let i = 0; i < 1000; i++) assert.equal(b.take('x'), 0);
});

test('over any request pattern, no key gets more than burst + rate × time', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 5000 })), {
        maxLength: 300,
      }),
      (requests) => {
        let now = 0;
        const b = new TokenBuckets({ perMinute: 120, burst: 5 }, () => now);
        const granted = new Map<string, number>();
        for (const [key, gap] of requests) {
          now += gap;
          if (b.take(key) === 0) granted.set(key, (granted.get(key) ?? 0) + 1);
        }
        for (const n of granted.values()) assert.ok(n <= 5 + (120 * now) / 60_000 + 1e-9);
      },
    ),
  );
});

test('memory stays bounded under a scan from many addresses', () => {
  const b = new TokenBuckets({ perMinute: 10, burst: 2 }, () => 0, 100);
  for (let i = 0; i < 10_000; i++) b.take(`198.51.100.${i}`);
  assert.ok(b.size <= 100);
});
