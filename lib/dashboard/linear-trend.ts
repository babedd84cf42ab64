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
}

/**
 * Weighted least squares y = a + b·x, with the slope's standard error and a 95% interval
 * (normal quantile; a t quantile for few points, which widens the interval). Null when fewer than
 * three distinct x values make the slope meaningless.
 */
export function linearTrend(points: readonly TrendPoint[]): Trend | null {
  const pts = points.filter((p) => p.w > 0 && Number.isFinite(p.y));
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
  // Weights are run counts: scale the residual variance per unit weight back to the mean weight.
  const sigma2 = (rss / dof) * (pts.length / sw);
  const se = Math.sqrt(sigma2 / (sxx / (sw / pts.length)));
  const t = tQuantile975(dof);
  return { slope, se, low: slope - t * se, high: slope + t * se, points: pts.length };
}

/** 97.5% quantile of Student's t for `dof` degrees of freedom (table, then the normal value). */
export function tQuantile975(dof: number): number {
  const table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131];
  if (dof < 1) return Number.POSITIVE_INFINITY;
  if (dof <= table.length) return table[dof - 1] as number;
  if (dof <= 30) return 2.09;
  if (dof <= 60) return 2.02;
  return 1.96;
}
