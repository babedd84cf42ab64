import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pooledRates, sparkline } from '../../lib/dashboard/sparkline.ts';

describe('sparklines', () => {
  it('draws values on a fixed scale, blanks for gaps', () => {
    assert.equal(sparkline([0, 0.5, 1, null]), '▁▅█ ');
    assert.equal(sparkline([0.7, 0.7, 0.7]), '▆▆▆');
  });

  it('pools days into equal spans of time', () => {
    const pts = [
      { day: 0, n: 10, k: 5 },
      { day: 1, n: 10, k: 10 },
      { day: 3, n: 4, k: 0 },
    ];
    assert.deepEqual(pooledRates(pts, 2), [0.75, 0]);
    assert.deepEqual(pooledRates(pts, 16), [0.5, 1, null, 0]);
    assert.deepEqual(pooledRates([], 16), []);
  });
});
