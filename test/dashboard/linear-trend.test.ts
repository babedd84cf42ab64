import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearTrend, tQuantile, tQuantile975 } from '../../lib/dashboard/linear-trend.ts';
import { rng } from './projects.ts';

describe('linearTrend', () => {
  it('t quantiles match the published table', () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.706],
      [0.975, 2, 4.303],
      [0.975, 5, 2.571],
      [0.975, 30, 2.042],
      [0.995, 3, 5.841],
      [0.995, 10, 3.169],
      [0.995, 60, 2.66],
      [0.995, 1000, 2.581],
    ];
    for (const [p, dof, t] of table)
      assert.ok(Math.abs(tQuantile(p, dof) - t) < 2e-3, `${p} ${dof}: ${tQuantile(p, dof)}`);
    assert.equal(tQuantile975(4), tQuantile(0.975, 4));
    assert.ok(tQuantile(0.025, 4) < 0);
  });

  it('recovers the slope of a noisy line, and its interval holds the truth about 95% of the time', () => {
    let covered = 0;
    const trials = 400;
    const r = rng(5);
    for (let i = 0; i < trials; i++) {
      const pts = Array.from({ length: 30 }, (_, x) => ({ x, y: 2 + 0.5 * x + (r() - 0.5) * 4, w: 1 }));
      const t = linearTrend(pts);
      assert.ok(t);
      if (t.low <= 0.5 && 0.5 <= t.high) covered++;
    }
    assert.ok(covered / trials > 0.92 && covered / trials < 0.98, `coverage ${covered / trials}`);
  });

  it('needs three distinct days, and a variance floor widens an interval that looks too certain', () => {
    assert.equal(
      linearTrend([
        { x: 1, y: 0.5, w: 10 },
        { x: 2, y: 0.6, w: 10 },
        { x: 2, y: 0.7, w: 10 },
      ]),
      null,
    );
    const exact = [0, 1, 2, 3].map((x) => ({ x, y: 0.5 + 0.01 * x, w: 20 }));
    const plain = linearTrend(exact);
    const floored = linearTrend(exact, { minUnitVariance: 0.25, confidence: 0.99 });
    assert.ok(plain && floored);
    assert.ok(plain.high - plain.low < 1e-9);
    assert.ok(floored.low < 0 && floored.high > 0.02, JSON.stringify(floored));
  });
});
