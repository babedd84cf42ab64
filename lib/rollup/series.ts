import type { Series, SeriesCell } from '../../schema/rollup.ts';

/** Days kept one by one before the newest day; older days are folded into their week. */
export const SERIES_WINDOW_DAYS = 120;
/** 1970-01-01 was a Thursday: +3 makes day 4 (Monday 1970-01-05) start a week. */
const MONDAY_OFFSET = 3;

export function emptySeries(): Series {
  return { days: {}, weeks: {} };
}

export function emptyCell(): SeriesCell {
  return [0, 0, 0, 0, 0, 0];
}

export function weekOf(day: number): number {
  return day - ((((day + MONDAY_OFFSET) % 7) + 7) % 7);
}

export function addCell(into: SeriesCell, from: SeriesCell): void {
  for (let i = 0; i < 6; i++) into[i] = (into[i] as number) + (from[i] as number);
}

/** The cell for `day`, creating it; a day already older than the window goes to its week. */
export function seriesCell(s: Series, day: number, newestDay: number): SeriesCell {
  const [map, key] =
    day < newestDay - SERIES_WINDOW_DAYS ? [s.weeks, String(weekOf(day))] : [s.days, String(day)];
  let cell = Object.hasOwn(map, key) ? map[key] : undefined;
  if (!cell) {
    cell = emptyCell();
    map[key] = cell;
  }
  return cell;
}

/**
 * Folds every day older than the window (relative to `newestDay`) into its week. Which cells are
 * folded depends only on the newest day, so fold(merge(a, b)) is the same whatever the merge order.
 */
export function foldSeries(s: Series, newestDay: number | null): void {
  if (newestDay === null) return;
  const limit = newestDay - SERIES_WINDOW_DAYS;
  for (const key of Object.keys(s.days)) {
    const day = Number(key);
    if (day >= limit) continue;
    const cell = s.days[key] as SeriesCell;
    delete s.days[key];
    const wk = String(weekOf(day));
    const into = s.weeks[wk] ?? emptyCell();
    addCell(into, cell);
    s.weeks[wk] = into;
  }
}

export function mergeSeries(a: Series, b: Series): Series {
  return { days: mergeCells(a.days, b.days), weeks: mergeCells(a.weeks, b.weeks) };
}

function mergeCells(
  a: Record<string, SeriesCell>,
  b: Record<string, SeriesCell>,
): Record<string, SeriesCell> {
  const out: Record<string, SeriesCell> = {};
  for (const [k, c] of Object.entries(a)) out[k] = [...c];
  for (const [k, c] of Object.entries(b)) {
    const into = out[k] ?? emptyCell();
    addCell(into, c);
    out[k] = into;
  }
  return out;
}
