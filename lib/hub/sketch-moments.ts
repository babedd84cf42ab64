import type { Sketch } from '../../schema/rollup.ts';
import { SKETCH_ALPHA } from '../rollup/sketch.ts';

const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);

export interface Moments {
  n: number;
  mean: number;
  /** Sample variance (n − 1), from bucket midpoints: within the sketch's 1% relative error. */
  variance: number;
}

/**
 * Mean (exact: the sketch keeps the sum) and variance (from the buckets) of a sketch, so two
 * versions' quality can be compared with an interval. Null below 2 values.
 */
export function sketchMoments(s: Sketch): Moments | null {
  if (s.count < 2) return null;
  const mean = s.sumMilli / 1000 / s.count;
  let ss = Math.max(0, s.zeros) * mean * mean;
  for (const [key, n] of Object.entries(s.bins)) {
    if (n <= 0) continue;
    const mid = (2 * GAMMA ** Number(key)) / (GAMMA + 1);
    ss += n * (mid - mean) ** 2;
  }
  return { n: s.count, mean, variance: ss / (s.count - 1) };
}
