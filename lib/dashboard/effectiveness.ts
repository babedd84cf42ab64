import type { EffectivenessItem, WeeklySeries } from '../../schema/export-v1.ts';
import { linearTrend, type TrendPoint } from './linear-trend.ts';

/** Runs each side must have before a capability can be called improving or degrading. */
export const MIN_RUNS_PER_WINDOW = 20;

/**
 * Learning effectiveness of one capability from its weekly series: success-rate and quality slopes
 * with 95% intervals, and the first vs last third of the active weeks. "improving"/"degrading" only
 * when the success slope's interval excludes zero and both windows have enough runs.
 */
export function effectivenessOf(capability: string, weeks: WeeklySeries): EffectivenessItem {
  const entries = Object.entries(weeks)
    .map(([day, cell]) => ({ x: Date.parse(`${day}T00:00:00Z`) / (7 * 86_400_000), cell }))
    .filter((e) => e.cell[0] > 0)
    .sort((a, b) => a.x - b.x);
  const success: TrendPoint[] = entries.map(({ x, cell }) => ({ x, y: cell[1] / cell[0], w: cell[0] }));
  const quality: TrendPoint[] = entries
    .filter(({ cell }) => cell[5] > 0)
    .map(({ x, cell }) => ({ x, y: cell[4] / 1000 / cell[5], w: cell[5] }));
  const third = Math.max(1, Math.floor(entries.length / 3));
  const windowOf = (part: typeof entries) => {
    const runs = part.reduce((n, e) => n + e.cell[0], 0);
    const ok = part.reduce((n, e) => n + e.cell[1], 0);
    return { runs, successRate: runs > 0 ? ok / runs : null };
  };
  const firstWindow = windowOf(entries.slice(0, third));
  const lastWindow = windowOf(entries.slice(-third));
  const s = linearTrend(success);
  const q = linearTrend(quality);
  const enough =
    entries.length >= 3 && firstWindow.runs >= MIN_RUNS_PER_WINDOW && lastWindow.runs >= MIN_RUNS_PER_WINDOW;
  let verdict: EffectivenessItem['verdict'] = 'not-enough-data';
  if (enough && s) verdict = s.low > 0 ? 'improving' : s.high < 0 ? 'degrading' : 'flat';
  return {
    capability,
    verdict,
    weeks: entries.length,
    firstWindow,
    lastWindow,
    successSlopePerWeek: s ? { estimate: s.slope, low: s.low, high: s.high } : null,
    qualitySlopePerWeek: q ? { estimate: q.slope, low: q.low, high: q.high } : null,
  };
}
