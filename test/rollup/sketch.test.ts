import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  emptySketch,
  SKETCH_ALPHA,
  sketchAdd,
  sketchMean,
  sketchMerge,
  sketchQuantile,
} from '../../lib/rollup/sketch.ts';

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

describe('sketch', () => {
  it('returns every quantile within 1% relative error of the exact quantile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 2000 }),
        fc.constantFrom(0, 0.1, 0.5, 0.9, 0.95, 0.99, 1),
        (values, q) => {
          const s = emptySketch();
          for (const x of values) sketchAdd(s, x);
          const exact = exactQuantile(
            [...values].sort((a, b) => a - b),
            q,
          );
          const got = sketchQuantile(s, q) as number;
          assert.ok(
            Math.abs(got - exact) <= SKETCH_ALPHA * exact + 1e-12,
            `q=${q} exact=${exact} got=${got}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds the bound on a million log-normal durations (p50, p95, p99)', () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed + 1) / 0x80000001;
    };
    const values: number[] = [];
    const s = emptySketch();
    for (let i = 0; i < 1_000_000; i++) {
      const x = Math.exp(8 + 1.5 * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()));
      values.push(x);
      sketchAdd(s, x);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactQuantile(values, q);
      const rel = Math.abs((sketchQuantile(s, q) as number) - exact) / exact;
      assert.ok(rel <= SKETCH_ALPHA, `p${q * 100} relative error ${rel}`);
    }
    assert.ok(Object.keys(s.bins).length < 2000, 'bounded number of buckets');
  });

  it('merges exactly: a merged sketch equals one built from all values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { maxLength: 200 }),
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { maxLength: 200 }),
        (a, b) => {
          const sa = emptySketch();
          const sb = emptySketch();
          const all = emptySketch();
          for (const x of a) sketchAdd(sa, x);
          for (const x of b) sketchAdd(sb, x);
          for (const x of [...a, ...b]) sketchAdd(all, x);
          const m = sketchMerge(sa, sb);
          assert.equal(m.count, all.count);
          assert.equal(m.zeros, all.zeros);
          assert.equal(m.sumMilli, all.sumMilli);
          assert.equal(m.min, all.min);
          assert.equal(m.max, all.max);
          assert.deepStrictEqual(sortedBins(m.bins), sortedBins(all.bins));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts zero values and reports an empty sketch as null', () => {
    const s = emptySketch();
    assert.equal(sketchQuantile(s, 0.5), null);
    assert.equal(sketchMean(s), null);
    sketchAdd(s, 0);
    sketchAdd(s, 0);
    sketchAdd(s, 10);
    assert.equal(s.zeros, 2);
    assert.equal(sketchQuantile(s, 0.5), 0);
    assert.ok(Math.abs((sketchMean(s) as number) - 10 / 3) < 1e-3);
    sketchAdd(s, Number.NaN);
    assert.equal(s.count, 3, 'NaN is ignored');
  });
});

function sortedBins(b: Record<string, number>): [string, number][] {
  return Object.entries(b).sort(([x], [y]) => Number(x) - Number(y));
}
