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
  // Rounding can put a bound a hair past the estimate at k = 0 or k = n.
  return {
    estimate: p,
    low: Math.min(p, Math.max(0, center - half)),
    high: Math.max(p, Math.min(1, center + half)),
  };
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

/**
 * Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9), so any
 * confidence level gets its exact z instead of a rounded table value.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1))
    return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** z of a two-sided interval at `confidence` (0.95 → 1.96, 0.99 → 2.576). */
export function zFor(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Standard normal CDF from the complementary error function (Numerical Recipes' Chebyshev erfc,
 * relative error below 1.2e-7 in the tails, where small p-values are compared).
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
