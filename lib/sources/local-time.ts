/**
 * Naive local timestamps (Python `datetime.now()`) mean the writing machine's wall clock. Turning
 * one into UTC needs the zone's offset at that moment; Intl is slow, so offsets are cached per
 * quarter hour (every real zone changes offset on a quarter-hour boundary).
 */
export interface ZoneConverter {
  readonly timeZone: string;
  /** UTC epoch ms of a wall-clock time given as if it were UTC (`Date.UTC(...)` of its fields). */
  toUtc(wallMs: number): number;
}

const QUARTER_HOUR = 900_000;
const HALF_DAY = 43_200_000;

export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function zoneConverter(timeZone: string = processTimeZone()): ZoneConverter {
  if (/^(?:utc|etc\/utc|gmt|etc\/gmt|z)$/i.test(timeZone)) return { timeZone, toUtc: (w) => w };
  // Throws a RangeError for an unknown zone, which is what a caller passing a bad name should see.
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const cache = new Map<number, number>();

  /** Offset (wall − UTC, ms) in force at the UTC instant `utcMs`. */
  const offsetAt = (utcMs: number): number => {
    const bucket = Math.floor(utcMs / QUARTER_HOUR);
    const hit = cache.get(bucket);
    if (hit !== undefined) return hit;
    const at = bucket * QUARTER_HOUR;
    const f = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    for (const p of format.formatToParts(at)) {
      if (p.type in f) f[p.type as keyof typeof f] = Number(p.value);
    }
    const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
    const offset = wall - at;
    if (cache.size > 50_000) cache.clear();
    cache.set(bucket, offset);
    return offset;
  };

  return {
    timeZone,
    toUtc(wallMs: number): number {
      // The offsets on either side of any transition near this wall time are the only candidates.
      const before = offsetAt(wallMs - HALF_DAY);
      const after = offsetAt(wallMs + HALF_DAY);
      let best: number | undefined;
      for (const o of before === after ? [before] : [before, after]) {
        const t = wallMs - o;
        // A repeated (fall-back) hour has two valid instants: take the earlier, like Python's fold=0.
        if (offsetAt(t) === o && (best === undefined || t < best)) best = t;
      }
      // A wall time skipped by a spring-forward gap: Python (fold=0) applies the offset before it.
      return best ?? wallMs - before;
    },
  };
}
