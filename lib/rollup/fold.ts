import type { Rollup } from '../../schema/rollup.ts';
import { foldSeries } from './series.ts';

/** Folds every series of the rollup to the window ending at its newest day. */
export function foldRollupSeries(r: Rollup): void {
  for (const c of Object.values(r.capabilities)) foldSeries(c.series, r.lastDay);
  for (const w of Object.values(r.workflows)) foldSeries(w.series, r.lastDay);
  for (const e of Object.values(r.experts)) foldSeries(e.series, r.lastDay);
}
