import { normalCdf, normalQuantile } from './stats.ts';

export interface TrendPoint {
  x: number;
  y: number;
  /** Weight, e.g. the runs behind a rate. */
  w: number;
}

export interface Trend {
  slope: number;
  /** Standard error of the slope. */
  se: number;
  low: number;
  high: number;
  points: number;
  /** Two-sided p-value of "no slope" (Student t with points − 2 degrees of freedom). */
  p: number;
}

export interface TrendOptions {
  /** Two-sided confidence of [low, high]; default 0.95. */
  confidence?: number;
  /**
   * Smallest variance per unit weight to believe. For rates it is p(1-p): a few days that happen
   * to lie on a line must not make a trend look certain.
   */
  minUnitVariance?: number;
}

/**
 * Weighted least squares y = a + b·x, with the slope's standard error and an interval from
 * Student's t (the residual variance is estimated, so few points widen the interval). Null when
 * fewer than three distinct x values make the slope meaningless.
 */
export function linearTrend(points: readonly TrendPoint[], options: TrendOptions = {}): Trend | null {
  const pts = points.filter((p) => p.w > 0 && Number.isFinite(p.y) && Number.isFinite(p.x));
  if (new Set(pts.map((p) => p.x)).size < 3) return null;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (const p of pts) {
    sw += p.w;
    sx += p.w * p.x;
    sy += p.w * p.y;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (const p of pts) {
    sxx += p.w * (p.x - mx) ** 2;
    sxy += p.w * (p.x - mx) * (p.y - my);
  }
  const slope = sxy / sxx;
  let rss = 0;
  for (const p of pts) rss += p.w * (p.y - (my + slope * (p.x - mx))) ** 2;
  const dof = pts.length - 2;
  // With weights = runs, rss/dof estimates the variance of one run; Var(slope) = that / Σw(x-x̄)².
  const unitVariance = Math.max(rss / dof, options.minUnitVariance ?? 0);
  const se = Math.sqrt(unitVariance / sxx);
  const t = tQuantile(1 - (1 - (options.confidence ?? 0.95)) / 2, dof);
  const p = se > 0 ? tTwoSidedP(slope / se, dof) : slope === 0 ? 1 : 0;
  return { slope, se, low: slope - t * se, high: slope + t * se, points: pts.length, p };
}

/** P(|T| ≥ |t|) for Student's t: exact up to 100 degrees of freedom, the normal tail beyond. */
export function tTwoSidedP(t: number, dof: number): number {
  if (!Number.isFinite(t)) return 0;
  const nu = Math.floor(dof);
  if (nu < 1) return 1;
  if (nu > 100) return 2 * (1 - normalCdf(Math.abs(t)));
  return Math.min(1, Math.max(0, 1 - centralMass(Math.abs(t), nu)));
}

/** 97.5% quantile of Student's t for `dof` degrees of freedom. */
export function tQuantile975(dof: number): number {
  return tQuantile(0.975, dof);
}

/**
 * Quantile p of Student's t. Degrees of freedom here are whole numbers (points − 2): up to 100 the
 * quantile is found by bisection on the exact CDF (Abramowitz & Stegun 26.7.3–4), beyond that the
 * Cornish–Fisher expansion around the normal quantile is exact to 1e-6.
 */
export function tQuantile(p: number, dof: number): number {
  if (dof < 1) return p > 0.5 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  if (p < 0.5) return -tQuantile(1 - p, dof);
  const nu = Math.floor(dof);
  if (nu > 100) return cornishFisher(p, nu);
  const target = 2 * p - 1;
  let lo = 0;
  let hi = 1;
  while (centralMass(hi, nu) < target) hi *= 2;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (centralMass(mid, nu) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(|T| ≤ t) for Student's t with a whole number of degrees of freedom. */
function centralMass(t: number, nu: number): number {
  const theta = Math.atan(t / Math.sqrt(nu));
  const s = Math.sin(theta);
  const c2 = Math.cos(theta) ** 2;
  if (nu % 2 === 1) {
    let term = Math.cos(theta);
    let sum = nu > 1 ? term : 0;
    for (let k = 3; k <= nu - 2; k += 2) {
      term *= (c2 * (k - 1)) / k;
      sum += term;
    }
    return (2 / Math.PI) * (theta + s * sum);
  }
  let term = 1;
  let sum = 1;
  for (let k = 2; k <= nu - 2; k += 2) {
    term *= (c2 * (k - 1)) / k;
    sum += term;
  }
  return s * sum;
}

function cornishFisher(p: number, n: number): number {
  const z = normalQuantile(p);
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / n + g2 / n ** 2 + g3 / n ** 3 + g4 / n ** 4;
}
