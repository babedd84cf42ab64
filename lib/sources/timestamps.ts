import type { ZoneConverter } from './local-time.ts';

/** How a store's naive (offset-less) timestamps are meant: the machine's local time, or UTC. */
export type NaiveAs = 'local' | 'utc';

/** A parsed instant: UTC epoch ms plus the microseconds below the millisecond (Python keeps six digits). */
export interface Instant {
  ms: number;
  us: number;
}

const D0 = 48;

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - D0;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses the three styles the framework writes: aware (`+00:00`, `Z`), naive, and the event log's
 * malformed `+00:00Z` (which `Date.parse` rejects). A space may replace the `T` (audit log prefix).
 * Hand-written because it runs once per record on hundreds of thousands of lines.
 */
export function parseInstant(s: unknown, naive: NaiveAs, zone: ZoneConverter): Instant | undefined {
  if (typeof s !== 'string' || s.length < 19 || s.length > 40) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  const sep = s.charCodeAt(10);
  if (
    y < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > 31 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 60
  )
    return undefined;
  if (s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':' || (sep !== 84 && sep !== 32))
    return undefined;
  let i = 19;
  let ms = 0;
  let us = 0;
  if (s[i] === '.') {
    i++;
    let scale = 100_000;
    let micro = 0;
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i) - D0;
      if (c < 0 || c > 9) break;
      if (scale >= 1) micro += c * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return undefined;
    ms = Math.floor(micro / 1000);
    us = micro % 1000;
  }
  let offsetMin: number | undefined;
  const c = s[i];
  if (c === 'Z' || c === 'z') {
    offsetMin = 0;
    i++;
  } else if (c === '+' || c === '-') {
    const oh = digits(s, i + 1, 2);
    const colon = s[i + 3] === ':';
    const om = digits(s, i + (colon ? 4 : 3), 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
    offsetMin = (c === '-' ? -1 : 1) * (oh * 60 + om);
    i += colon ? 6 : 5;
    // The event log appends a literal Z to an aware time: the offset already says UTC.
    if (s[i] === 'Z') i++;
  }
  if (i !== s.length) return undefined;
  const wall = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  if (!Number.isFinite(wall)) return undefined;
  if (offsetMin !== undefined) return { ms: wall - offsetMin * 60_000, us };
  return { ms: naive === 'utc' ? wall : zone.toUtc(wall), us };
}

export function parseMs(s: unknown, naive: NaiveAs, zone: ZoneConverter): number | undefined {
  return parseInstant(s, naive, zone)?.ms;
}

const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDate = '';

function pad(n: number, w: number): string {
  const s = String(n);
  return s.length >= w ? s : '0'.repeat(w - s.length) + s;
}

/**
 * Normalized form every event carries: UTC ISO with milliseconds and `Z` (what `toISOString` gives).
 * Hand-made because it runs several times per record; the date part is cached, records come in order.
 */
export function isoOf(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms >= 253402300800000) {
    return ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15
      ? undefined
      : new Date(ms).toISOString();
  }
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  let r = t - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const sec = Math.floor(r / 1000);
  return `${cachedDate}T${pad(h, 2)}:${pad(m, 2)}:${pad(sec, 2)}.${pad(r - sec * 1000, 3)}Z`;
}

/** Seconds (the framework's float durations) to ms, rounded to the microsecond Python recorded. */
export function secondsToMs(s: number): number {
  return Math.round(s * 1e6) / 1e3;
}

/**
 * An event's run from instants: start, finish, and the duration (the store's own when it gives one,
 * else finish − start). A start after the finish is a clock error and is not kept.
 */
export function setRun(
  e: { startedAt?: string; finishedAt?: string; durationMs?: number },
  startMs: number | undefined,
  endMs: number | undefined,
  durationMs?: number,
): void {
  const start = startMs !== undefined && endMs !== undefined && startMs > endMs ? undefined : startMs;
  const startedAt = isoOf(start);
  const finishedAt = isoOf(endMs);
  if (startedAt) e.startedAt = startedAt;
  if (finishedAt) e.finishedAt = finishedAt;
  if (durationMs !== undefined && durationMs >= 0) e.durationMs = durationMs;
  else if (start !== undefined && endMs !== undefined) e.durationMs = endMs - start;
}
