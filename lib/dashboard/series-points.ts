import type { Series, SeriesCell } from '../../schema/rollup.ts';

/** A cell of a series with its day: a day (span 1) or a week folded from old days (span 7, its Monday). */
export interface DatedCell {
  day: number;
  span: 1 | 7;
  cell: SeriesCell;
}

/**
 * The cells of a series in day order, days and folded weeks together. With `since`, days before it
 * are left out, and so are weeks that start before it (a week cannot be split).
 */
export function datedCells(series: Series, since: number | null): DatedCell[] {
  const out: DatedCell[] = [];
  for (const [key, cell] of Object.entries(series.weeks)) {
    const day = Number(key);
    if (Number.isSafeInteger(day) && (since === null || day >= since)) out.push({ day, span: 7, cell });
  }
  for (const [key, cell] of Object.entries(series.days)) {
    const day = Number(key);
    if (Number.isSafeInteger(day) && (since === null || day >= since)) out.push({ day, span: 1, cell });
  }
  return out.sort((a, b) => a.day - b.day || a.span - b.span);
}

/** Sums of the six cell fields. */
export function sumCells(cells: readonly DatedCell[]): SeriesCell {
  const t: SeriesCell = [0, 0, 0, 0, 0, 0];
  for (const { cell } of cells) for (let i = 0; i < 6; i++) t[i] = (t[i] as number) + (cell[i] as number);
  return t;
}
