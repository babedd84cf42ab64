import type { Interval, Trend, TrendWindow } from '../../schema/dashboard.ts';
import { isoDay } from '../privacy/day.ts';
import { formatCount, formatPercent, formatPoints, formatRange } from './format.ts';
import { linearTrend } from './linear-trend.ts';
import { METHOD } from './method.ts';
import { proportionDiff } from './stats.ts';

/**
 * One point of a daily series: a day (or a folded week, span 7) with `n` trials and `k` successes
 * (rates) or `n` values summing to `sum` (means).
 */
export interface SeriesPoint {
  day: number;
  span: 1 | 7;
  n: number;
  k: number;
  sum: number;
}

type Metric = Trend['metric'];

/** Trend of a success rate (k of n per day). */
export function rateTrend(metric: Metric, points: readonly SeriesPoint[]): Trend {
  const pts = active(points);
  const n = sum(pts, (p) => p.n);
  const k = sum(pts, (p) => p.k);
  // Laplace-smoothed pooled rate: a floor on the per-run variance, so days that happen to agree
  // (or a rate stuck at 100%) cannot shrink the interval below what coin flips allow.
  const pooled = (k + 1) / (n + 2);
  const fit = linearTrend(
    pts.map((p) => ({ x: mid(p), y: p.k / p.n, w: p.n })),
    { confidence: METHOD.trendConfidence, minUnitVariance: pooled * (1 - pooled) },
  );
  const [first, last] = windows(pts);
  const firstWindow = windowOf(first, (ps) => ratio(ps, (p) => p.k));
  const lastWindow = windowOf(last, (ps) => ratio(ps, (p) => p.k));
  const diff =
    pts.length >= 2
      ? proportionDiff(
          sum(first, (p) => p.k),
          firstWindow.n,
          sum(last, (p) => p.k),
          lastWindow.n,
        )
      : null;
  return decide(metric, true, METHOD.minRateChange, pts, n, fit, firstWindow, lastWindow, diff);
}

/** Trend of a mean score 0..100 (n values summing to `sum` per day). */
export function meanTrend(metric: Metric, points: readonly SeriesPoint[]): Trend {
  const pts = active(points);
  const n = sum(pts, (p) => p.n);
  const fit = linearTrend(
    pts.map((p) => ({ x: mid(p), y: p.sum / p.n, w: p.n })),
    { confidence: METHOD.trendConfidence },
  );
  const [first, last] = windows(pts);
  const mean = (ps: readonly SeriesPoint[]) => ratio(ps, (p) => p.sum);
  return decide(
    metric,
    false,
    METHOD.minScoreChange,
    pts,
    n,
    fit,
    windowOf(first, mean),
    windowOf(last, mean),
    null,
  );
}

function decide(
  metric: Metric,
  isRate: boolean,
  minChange: number,
  pts: readonly SeriesPoint[],
  n: number,
  fit: ReturnType<typeof linearTrend>,
  firstWindow: TrendWindow,
  lastWindow: TrendWindow,
  windowChange: Interval | null,
): Trend {
  const spanDays =
    pts.length > 0 ? Math.round(mid(pts.at(-1) as SeriesPoint) - mid(pts[0] as SeriesPoint)) : 0;
  const slopePerDay = fit ? { estimate: fit.slope, low: fit.low, high: fit.high } : null;
  const change = slopePerDay
    ? { estimate: fit!.slope * spanDays, low: fit!.low * spanDays, high: fit!.high * spanDays }
    : null;
  const base = {
    metric,
    points: pts.length,
    n,
    spanDays,
    slopePerDay,
    p: fit ? fit.p : null,
    change,
    minChange,
    firstWindow,
    lastWindow,
    windowChange,
  };
  const unit = isRate ? 'runs' : 'scored runs';
  const min = METHOD.minRunsPerWindow;
  if (n === 0) return { ...base, verdict: 'not-enough-data', runsNeeded: 3 * min, summary: `no ${unit} yet` };
  const short = Math.max(0, min - firstWindow.n) + Math.max(0, min - lastWindow.n);
  if (short > 0 || pts.length < 3) {
    const runsNeeded = short > 0 ? Math.max(short, 3 * min - n) : null;
    const summary =
      runsNeeded === null
        ? `${formatCount(n)} ${unit} on ${pts.length} day${pts.length === 1 ? '' : 's'}; needs runs on at least 3 days`
        : `${formatCount(n)} ${unit}; about ${formatCount(runsNeeded)} more needed (${min} in the first and in the last third of the days)`;
    return { ...base, verdict: 'not-enough-data', runsNeeded, summary };
  }
  const c = change as Interval;
  const span = `over ${spanDays} day${spanDays === 1 ? '' : 's'}`;
  const ci = `${Math.round(METHOD.trendConfidence * 100)}% interval ${formatRange(c.low, c.high, isRate)}`;
  const windowsText = isRate
    ? `; first third ${formatPercent(firstWindow.value)} → last third ${formatPercent(lastWindow.value)}`
    : '';
  if (c.low > 0 || c.high < 0) {
    const verdict = c.low > 0 ? 'improving' : 'degrading';
    return {
      ...base,
      verdict,
      runsNeeded: null,
      summary: `${formatPoints(c.estimate, isRate)} ${span} (${ci})${windowsText}`,
    };
  }
  const halfWidth = (c.high - c.low) / 2;
  if (halfWidth <= minChange) {
    return {
      ...base,
      verdict: 'flat',
      runsNeeded: null,
      summary: `no change: ${formatPoints(c.estimate, isRate)} ${span} (${ci})`,
    };
  }
  // The interval narrows as 1/√runs over the same days.
  const runsNeeded = Math.ceil(n * ((halfWidth / minChange) ** 2 - 1));
  const size = isRate ? `${Math.round(minChange * 100)}-point` : `${minChange}-point`;
  return {
    ...base,
    verdict: 'not-enough-data',
    runsNeeded,
    summary: `${formatPoints(c.estimate, isRate)} ${span} (${ci}): about ${formatCount(runsNeeded)} more ${unit} to see a ${size} change`,
  };
}

function active(points: readonly SeriesPoint[]): SeriesPoint[] {
  return points.filter((p) => p.n > 0).sort((a, b) => a.day - b.day);
}

/** Middle of the day or folded week, in days. */
function mid(p: SeriesPoint): number {
  return p.day + (p.span - 1) / 2;
}

/** First and last third of the active days (the whole list when there are fewer than three). */
function windows(pts: readonly SeriesPoint[]): [SeriesPoint[], SeriesPoint[]] {
  const third = Math.max(1, Math.floor(pts.length / 3));
  return [pts.slice(0, third), pts.slice(-third)];
}

function windowOf(
  pts: readonly SeriesPoint[],
  value: (ps: readonly SeriesPoint[]) => number | null,
): TrendWindow {
  return {
    firstDay: pts.length > 0 ? isoDay((pts[0] as SeriesPoint).day) : null,
    lastDay: pts.length > 0 ? isoDay((pts.at(-1) as SeriesPoint).day) : null,
    n: sum(pts, (p) => p.n),
    value: value(pts),
  };
}

function ratio(pts: readonly SeriesPoint[], top: (p: SeriesPoint) => number): number | null {
  const n = sum(pts, (p) => p.n);
  return n > 0 ? sum(pts, top) / n : null;
}

function sum(pts: readonly SeriesPoint[], f: (p: SeriesPoint) => number): number {
  let s = 0;
  for (const p of pts) s += f(p);
  return s;
}
