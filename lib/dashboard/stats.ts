/** 97.5% standard normal quantile: two-sided 95% intervals. */
export const Z95 = 1.959963984540054;

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/**
 * Wilson score interval for a proportion: unlike the plain ±z·√(p(1-p)/n) it stays inside [0, 1]
 * and is honest for small n and for rates near 0 or 1. Null when n is 0.
 */
export function wilson(successes: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { estimate: p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Difference of two proportions b − a with Newcombe's hybrid score interval (built from the two
 * Wilson intervals); well-behaved for small samples where the Wald interval is not.
 */
export function proportionDiff(okA: number, nA: number, okB: number, nB: number, z = Z95): Interval | null {
  const a = wilson(okA, nA, z);
  const b = wilson(okB, nB, z);
  if (!a || !b) return null;
  const d = b.estimate - a.estimate;
  const low = d - Math.sqrt((b.estimate - b.low) ** 2 + (a.high - a.estimate) ** 2);
  const high = d + Math.sqrt((b.high - b.estimate) ** 2 + (a.estimate - a.low) ** 2);
  return { estimate: d, low: Math.max(-1, low), high: Math.min(1, high) };
}
