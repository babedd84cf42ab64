const MS_PER_DAY = 86_400_000;

/** UTC day number (days since 1970-01-01) of an ISO time; null when it does not parse. */
export function utcDay(iso: string | undefined): number | null {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / MS_PER_DAY) : null;
}

export function dayOfDate(d: Date): number {
  return Math.floor(d.getTime() / MS_PER_DAY);
}

/** `YYYY-MM-DD` of a day number. */
export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
