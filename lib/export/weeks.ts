import type { WeeklySeries } from '../../schema/export-v1.ts';
import type { Series, SeriesCell } from '../../schema/rollup.ts';
import { isoDay } from '../privacy/day.ts';
import { addCell, emptyCell, weekOf } from '../rollup/series.ts';

/** Days and weeks of a rollup series, all folded into weeks keyed by their Monday (`YYYY-MM-DD`). */
export function toWeeklySeries(s: Series): WeeklySeries {
  const byWeek = new Map<number, SeriesCell>();
  const put = (week: number, cell: SeriesCell) => {
    const into = byWeek.get(week) ?? emptyCell();
    addCell(into, cell);
    byWeek.set(week, into);
  };
  for (const [day, cell] of Object.entries(s.days)) put(weekOf(Number(day)), cell);
  for (const [week, cell] of Object.entries(s.weeks)) put(Number(week), cell);
  const out: WeeklySeries = {};
  for (const week of [...byWeek.keys()].sort((a, b) => a - b))
    out[isoDay(week)] = byWeek.get(week) as SeriesCell;
  return out;
}

/** Back from an export: weekly cells become the `weeks` of a rollup series. */
export function fromWeeklySeries(w: WeeklySeries): Series {
  const weeks: Record<string, SeriesCell> = {};
  for (const [day, cell] of Object.entries(w)) {
    const n = Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
    if (Number.isFinite(n)) weeks[String(weekOf(n))] = [...cell];
  }
  return { days: {}, weeks };
}
