import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibrationOf } from '../../lib/dashboard/calibration.ts';

describe('expert calibration', () => {
  it('Brier score, expected calibration error and the reliability bins of a small table', () => {
    // Decile 8 (says 85%): 10 linked, 6 succeeded; decile 2 (says 25%): 10 linked, 3 succeeded.
    const c = calibrationOf('security', { '8': [10, 6], '2': [10, 3] });
    assert.equal(c.linked, 20);
    assert.ok(Math.abs(c.meanConfidence - 0.55) < 1e-12);
    assert.equal(c.successRate?.estimate, 0.45);
    const brier = (6 * 0.15 ** 2 + 4 * 0.85 ** 2 + 3 * 0.75 ** 2 + 7 * 0.25 ** 2) / 20;
    assert.ok(Math.abs((c.brier ?? 0) - brier) < 1e-12);
    assert.ok(Math.abs((c.ece ?? 0) - (0.5 * 0.25 + 0.5 * 0.05)) < 1e-12);
    assert.ok(Math.abs((c.brierReference ?? 0) - 0.45 * 0.55) < 1e-12);
    assert.equal(c.bins.length, 10);
    assert.deepEqual(
      c.bins
        .filter((b) => b.n > 0)
        .map((b) => [b.decile, b.confidence, b.n, b.successes, b.observed?.estimate]),
      [
        [2, 0.25, 10, 3, 0.3],
        [8, 0.85, 10, 6, 0.6],
      ],
    );
  });

  it('names over-confidence only when the gap is clear and large enough', () => {
    const over = calibrationOf('security', { '8': [400, 260] });
    assert.equal(over.verdict, 'over-confident');
    assert.match(over.summary, /^over-confident by \+20\.0 pts: states 85%, advised steps succeed 65%/);
    const under = calibrationOf('security', { '5': [400, 300] });
    assert.equal(under.verdict, 'under-confident');
    const fine = calibrationOf('security', { '6': [400, 262] });
    assert.equal(fine.verdict, 'calibrated');
  });

  it('few linked consultations: not enough data, with how many more are needed', () => {
    const c = calibrationOf('security', { '9': [12, 2] });
    assert.equal(c.verdict, 'not-enough-data');
    assert.match(c.summary, /^12 linked consultations; 8 more needed/);
    const wide = calibrationOf('security', { '5': [30, 16] });
    assert.equal(wide.verdict, 'not-enough-data');
    assert.match(wide.summary, /more linked consultations to see a 10-point miscalibration$/);
  });

  it('an empty table, and a hostile one (more successes than consultations), stay well-formed', () => {
    assert.equal(calibrationOf('security', {}).summary, 'no linked consultations yet');
    const odd = calibrationOf('security', { '3': [5, 9] });
    assert.equal(odd.bins[3]?.successes, 5);
    assert.ok((odd.successRate?.estimate ?? 2) <= 1);
  });
});
