import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DURATION_BOUNDS, distributionOf, QUALITY_BOUNDS } from '../../lib/dashboard/histogram.ts';
import { emptySketch, sketchAdd } from '../../lib/rollup/sketch.ts';

describe('distributions from sketches', () => {
  it('puts every value in its bucket and keeps the count', () => {
    const s = emptySketch();
    for (const x of [0, 5, 15, 55, 55, 95, 100]) sketchAdd(s, x);
    const d = distributionOf(s, QUALITY_BOUNDS);
    assert.deepEqual(d.histogram, [2, 1, 0, 0, 0, 2, 0, 0, 0, 2]);
    assert.equal(d.n, 7);
    assert.ok(Math.abs((d.mean ?? 0) - 325 / 7) < 1e-9);
    assert.ok(Math.abs((d.p50 ?? 0) - 55) / 55 <= 0.011);
  });

  it('durations: seconds to hours', () => {
    const s = emptySketch();
    for (const ms of [500, 5_000, 30_000, 120_000, 1_200_000, 7_200_000]) sketchAdd(s, ms);
    assert.deepEqual(distributionOf(s, DURATION_BOUNDS).histogram, [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(distributionOf(emptySketch(), DURATION_BOUNDS), {
      n: 0,
      mean: null,
      p50: null,
      p95: null,
      histogram: [0, 0, 0, 0, 0, 0],
      bounds: DURATION_BOUNDS,
    });
  });
});
