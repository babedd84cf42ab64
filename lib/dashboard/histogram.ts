import type { Distribution } from '../../schema/dashboard.ts';
import type { Sketch } from '../../schema/rollup.ts';
import { SKETCH_ALPHA, sketchMean, sketchQuantile } from '../rollup/sketch.ts';

const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);

/** Quality 0..100 in tenths. */
export const QUALITY_BOUNDS = [10, 20, 30, 40, 50, 60, 70, 80, 90];
/** Durations: 1 s, 10 s, 1 min, 10 min, 1 h. */
export const DURATION_BOUNDS = [1_000, 10_000, 60_000, 600_000, 3_600_000];

/**
 * A sketch as the dashboard shows it: n, mean, p50, p95 and a histogram over fixed bounds. A bucket
 * of the sketch counts where its representative value (within 1%) falls.
 */
export function distributionOf(s: Sketch, bounds: readonly number[]): Distribution {
  const histogram = new Array<number>(bounds.length + 1).fill(0);
  histogram[0] = s.zeros;
  for (const [key, n] of Object.entries(s.bins)) {
    const value = (2 * GAMMA ** Number(key)) / (GAMMA + 1);
    let i = 0;
    while (i < bounds.length && value >= (bounds[i] as number)) i++;
    histogram[i] = (histogram[i] as number) + n;
  }
  return {
    n: s.count,
    mean: sketchMean(s),
    p50: sketchQuantile(s, 0.5),
    p95: sketchQuantile(s, 0.95),
    histogram,
    bounds: [...bounds],
  };
}
