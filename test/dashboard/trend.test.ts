import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meanTrend, rateTrend, type SeriesPoint } from '../../lib/dashboard/trend.ts';

const day0 = 20_500;
const daily = (days: number, n: number, rate: (d: number) => number): SeriesPoint[] =>
  Array.from({ length: days }, (_, d) => ({ day: day0 + d, span: 1, n, k: Math.round(n * rate(d)), sum: 0 }));

describe('trend verdicts', () => {
  it('improving: the interval of the change excludes zero, with first and last windows', () => {
    const t = rateTrend(
      'success-rate',
      daily(30, 50, (d) => 0.5 + (0.3 * d) / 29),
    );
    assert.equal(t.verdict, 'improving');
    assert.ok(
      t.change && t.change.low > 0 && Math.abs(t.change.estimate - 0.3) < 0.02,
      JSON.stringify(t.change),
    );
    assert.equal(t.spanDays, 29);
    assert.equal(t.firstWindow.n, 500);
    assert.equal(t.firstWindow.firstDay, '2026-02-16');
    assert.ok(t.windowChange && t.windowChange.low > 0);
    assert.match(
      t.summary,
      /^\+\d+\.\d pts over 29 days \(99% interval \+\d+\.\d … \+\d+\.\d pts\); first third \d+% → last third \d+%$/,
    );
  });

  it('degrading mirrors improving', () => {
    assert.equal(
      rateTrend(
        'success-rate',
        daily(30, 50, (d) => 0.8 - (0.3 * d) / 29),
      ).verdict,
      'degrading',
    );
  });

  it('flat only when a 10-point change would have shown', () => {
    const t = rateTrend(
      'success-rate',
      daily(30, 100, () => 0.7),
    );
    assert.equal(t.verdict, 'flat');
    assert.ok(t.change && (t.change.high - t.change.low) / 2 <= 0.1);
    assert.match(t.summary, /^no change: /);
  });

  it('not enough data: fewer than 20 runs on a side says how many more are needed', () => {
    const t = rateTrend(
      'success-rate',
      daily(6, 2, () => 0.5),
    );
    assert.equal(t.verdict, 'not-enough-data');
    assert.equal(t.runsNeeded, 60 - 12);
    assert.match(t.summary, /^12 runs; about 48 more needed/);
  });

  it('not enough data: enough runs on each side but too wide an interval says how many more runs would decide', () => {
    const t = rateTrend(
      'success-rate',
      daily(9, 8, (d) => (d % 2 === 0 ? 0.25 : 0.75)),
    );
    assert.equal(t.verdict, 'not-enough-data');
    assert.ok(t.runsNeeded !== null && t.runsNeeded > 0);
    assert.match(t.summary, /more runs to see a 10-point change$/);
  });

  it('not enough data: many runs on two days need more days, not more runs', () => {
    const t = rateTrend(
      'success-rate',
      daily(2, 100, () => 0.5),
    );
    assert.equal(t.verdict, 'not-enough-data');
    assert.equal(t.runsNeeded, null);
    assert.match(t.summary, /needs runs on at least 3 days$/);
  });

  it('mean trends use points of a 0..100 score and a 10-point minimum change', () => {
    const pts = Array.from({ length: 30 }, (_, d) => ({
      day: day0 + d,
      span: 1 as const,
      n: 20,
      k: 0,
      sum: 20 * (60 + d),
    }));
    const t = meanTrend('quality', pts);
    assert.equal(t.verdict, 'improving');
    assert.ok(t.change && Math.abs(t.change.estimate - 29) < 1e-6);
    assert.equal(t.minChange, 10);
    assert.equal(t.windowChange, null);
  });

  it('no runs: nothing to judge', () => {
    const t = rateTrend('success-rate', []);
    assert.equal(t.verdict, 'not-enough-data');
    assert.equal(t.n, 0);
    assert.equal(t.slopePerDay, null);
  });
});
