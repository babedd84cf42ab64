import type { Sketch } from '../../schema/rollup.ts';

/** Relative accuracy of every quantile the sketch returns. */
export const SKETCH_ALPHA = 0.01;
const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LOG_GAMMA = Math.log(GAMMA);
/** Values at or below this go to `zeros`: a log bucket needs a positive value. */
const MIN_POSITIVE = 1e-9;

export function emptySketch(): Sketch {
  return { count: 0, zeros: 0, sumMilli: 0, min: null, max: null, bins: {} };
}

export function sketchAdd(s: Sketch, value: number): void {
  if (!Number.isFinite(value)) return;
  s.count += 1;
  s.sumMilli += toMilli(value);
  s.min = s.min === null || value < s.min ? value : s.min;
  s.max = s.max === null || value > s.max ? value : s.max;
  if (value <= MIN_POSITIVE) {
    s.zeros += 1;
    return;
  }
  const key = String(Math.ceil(Math.log(value) / LOG_GAMMA));
  s.bins[key] = (s.bins[key] ?? 0) + 1;
}

export function sketchMerge(a: Sketch, b: Sketch): Sketch {
  const bins: Record<string, number> = { ...a.bins };
  for (const [k, n] of Object.entries(b.bins)) bins[k] = (bins[k] ?? 0) + n;
  return {
    count: a.count + b.count,
    zeros: a.zeros + b.zeros,
    sumMilli: a.sumMilli + b.sumMilli,
    min: minOf(a.min, b.min),
    max: maxOf(a.max, b.max),
    bins,
  };
}

/** The q-quantile (0..1), within relative error α of a true sample value; null when empty. */
export function sketchQuantile(s: Sketch, q: number): number | null {
  if (s.count === 0 || s.min === null || s.max === null) return null;
  const rank = Math.max(0, Math.min(s.count - 1, Math.floor(q * (s.count - 1))));
  if (rank < s.zeros) return Math.max(s.min, 0);
  let seen = s.zeros;
  const keys = Object.keys(s.bins)
    .map(Number)
    .sort((x, y) => x - y);
  for (const k of keys) {
    seen += s.bins[String(k)] ?? 0;
    if (seen > rank) {
      const estimate = (2 * GAMMA ** k) / (GAMMA + 1);
      return Math.min(Math.max(estimate, s.min), s.max);
    }
  }
  return s.max;
}

export function sketchMean(s: Sketch): number | null {
  return s.count === 0 ? null : s.sumMilli / 1000 / s.count;
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Thousandths of a unit, rounded: sums kept as integers merge exactly in any order. */
export function toMilli(value: number): number {
  return Math.round(value * 1000);
}
