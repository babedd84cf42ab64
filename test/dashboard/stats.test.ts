import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalQuantile, proportionDiff, wilson, zFor } from '../../lib/dashboard/stats.ts';

describe('stats', () => {
  it('wilson: known values and an interval that always holds the estimate inside [0, 1]', () => {
    const w = wilson(8, 10);
    assert.ok(w);
    assert.equal(w.estimate, 0.8);
    assert.ok(Math.abs(w.low - 0.4902) < 1e-3 && Math.abs(w.high - 0.9433) < 1e-3, JSON.stringify(w));
    assert.equal(wilson(0, 0), null);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.round(f * n);
        const i = wilson(k, n) as NonNullable<ReturnType<typeof wilson>>;
        assert.ok(i.low >= 0 && i.high <= 1 && i.low <= i.estimate && i.estimate <= i.high);
      }),
    );
  });

  it('normal quantiles: the z of 95% and 99% intervals', () => {
    assert.ok(Math.abs(zFor(0.95) - 1.959964) < 1e-6);
    assert.ok(Math.abs(zFor(0.99) - 2.575829) < 1e-6);
    assert.ok(Math.abs(normalQuantile(0.001) + 3.090232) < 1e-6);
    assert.equal(normalQuantile(0.5), 0);
  });

  it('proportionDiff: the difference of two rates with an interval that excludes 0 for a clear change', () => {
    const d = proportionDiff(60, 100, 80, 100);
    assert.ok(d && Math.abs(d.estimate - 0.2) < 1e-12 && d.low > 0 && d.high < 0.35, JSON.stringify(d));
    const same = proportionDiff(50, 100, 50, 100);
    assert.ok(same && same.low < 0 && same.high > 0);
  });
});
