import type { Dashboard } from '../../schema/dashboard.ts';
import { MIN_RUNS_PER_WINDOW } from './effectiveness.ts';

/**
 * The statistical settings of every interval and verdict; printed with the model (`method`) so a
 * reader of the JSON knows what a verdict means.
 * - Rates are shown with 95% Wilson intervals.
 * - Verdicts use 99% intervals: a dashboard tests every capability at once, and at 95% one unchanged
 *   capability in twenty would be called improving or degrading by chance.
 * - The project verdict shares a 5% error among all capabilities tested (Holm), so of many unchanged
 *   capabilities none drives "learning active" by chance more than 5% of the time.
 * - "flat" needs the interval to be narrow enough to have seen a change of 10 points; otherwise the
 *   honest answer is "not enough data", with the runs still needed.
 */
export const METHOD: Dashboard['method'] = {
  rateConfidence: 0.95,
  trendConfidence: 0.99,
  minRunsPerWindow: MIN_RUNS_PER_WINDOW,
  minRateChange: 0.1,
  minScoreChange: 10,
  minLinkedConsultations: 20,
  minCalibrationGap: 0.05,
  familywiseError: 0.05,
};
