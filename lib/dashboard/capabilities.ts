import type { CapabilityReport, DayPoint, Trend } from '../../schema/dashboard.ts';
import type { CapabilityCell } from '../../schema/rollup.ts';
import { isoDay } from '../privacy/day.ts';
import { DURATION_BOUNDS, distributionOf, QUALITY_BOUNDS } from './histogram.ts';
import { rateOf } from './rate.ts';
import { type DatedCell, datedCells, sumCells } from './series-points.ts';
import { meanTrend, rateTrend } from './trend.ts';

/**
 * Everything the dashboard says about one capability. Counts and trends come from the daily series
 * (so `since` applies to them); retry successes, durations and quality quantiles are kept without
 * days and are all-time figures.
 */
export function capabilityReport(
  name: string,
  c: CapabilityCell,
  allRuns: number,
  since: number | null,
): CapabilityReport {
  const cells = datedCells(c.series, since);
  const counts = since === null ? countsOf(c) : countsOfCells(cells);
  const successTrend = rateTrend(
    'success-rate',
    cells.map(({ day, span, cell }) => ({ day, span, n: cell[1] + cell[2], k: cell[1], sum: 0 })),
  );
  const qualityTrend = meanTrend(
    'quality',
    cells.map(({ day, span, cell }) => ({ day, span, n: cell[5], k: 0, sum: cell[4] / 1000 })),
  );
  const active = cells.filter((d) => d.cell[0] > 0);
  return {
    name,
    runs: counts.runs,
    successes: counts.successes,
    failures: counts.failures,
    skips: counts.skips,
    share: allRuns > 0 ? Math.min(1, counts.runs / allRuns) : 0,
    successRate: rateOf(counts.successes, counts.successes + counts.failures),
    quality: distributionOf(c.quality, QUALITY_BOUNDS),
    durationMs: distributionOf(c.durationMs, DURATION_BOUNDS),
    retries: counts.retries,
    retryRate: rateOf(counts.retries, counts.runs),
    retrySuccess: rateOf(c.retrySuccesses, c.retries),
    firstDay: active.length > 0 ? isoDay((active[0] as DatedCell).day) : null,
    lastDay: active.length > 0 ? isoDay((active.at(-1) as DatedCell).day) : null,
    verdict: capabilityVerdict(successTrend, qualityTrend),
    successTrend,
    qualityTrend,
    days: cells.map(dayPoint),
  };
}

/**
 * The success rate decides; quality speaks only when the success rate shows no clear direction,
 * so a capability is never called improving and degrading at once.
 */
export function capabilityVerdict(success: Trend, quality: Trend): CapabilityReport['verdict'] {
  const clear = (t: Trend) => t.verdict === 'improving' || t.verdict === 'degrading';
  if (clear(success)) return { verdict: success.verdict, basis: 'success-rate' };
  if (clear(quality)) return { verdict: quality.verdict, basis: 'quality' };
  return { verdict: success.verdict, basis: 'success-rate' };
}

interface Counts {
  runs: number;
  successes: number;
  failures: number;
  skips: number;
  retries: number;
}

function countsOf(c: CapabilityCell): Counts {
  return { runs: c.runs, successes: c.successes, failures: c.failures, skips: c.skips, retries: c.retries };
}

function countsOfCells(cells: readonly DatedCell[]): Counts {
  const [runs, successes, failures, retries] = sumCells(cells);
  return { runs, successes, failures, skips: Math.max(0, runs - successes - failures), retries };
}

function dayPoint({ day, span, cell }: DatedCell): DayPoint {
  return {
    day: isoDay(day),
    span,
    runs: cell[0],
    successes: cell[1],
    failures: cell[2],
    retries: cell[3],
    quality: cell[5] > 0 ? cell[4] / 1000 / cell[5] : null,
  };
}
