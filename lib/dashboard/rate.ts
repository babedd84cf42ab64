import type { Rate } from '../../schema/dashboard.ts';
import { METHOD } from './method.ts';
import { wilson, zFor } from './stats.ts';

/** `successes` of `n` with its Wilson interval at the dashboard's rate confidence; null when n is 0. */
export function rateOf(successes: number, n: number): Rate | null {
  const k = Math.min(successes, n);
  const w = wilson(k, n, zFor(METHOD.rateConfidence));
  return w ? { successes: k, n, estimate: w.estimate, low: w.low, high: w.high } : null;
}
