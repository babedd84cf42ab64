const BARS = '▁▂▃▄▅▆▇█';

/**
 * A unicode sparkline of values on a fixed scale [min, max] (not stretched to the data: a flat
 * series must look flat). Missing values are blanks.
 */
export function sparkline(values: readonly (number | null)[], min = 0, max = 1): string {
  const range = max - min;
  let out = '';
  for (const x of values) {
    if (x === null || !Number.isFinite(x)) {
      out += ' ';
      continue;
    }
    const f = range > 0 ? (Math.min(max, Math.max(min, x)) - min) / range : 0;
    out += BARS[Math.round(f * (BARS.length - 1))];
  }
  return out;
}

/**
 * Ratios k/n of dated points pooled into at most `buckets` equal spans of days, from the first to
 * the last day: each character of a sparkline then stands for the same length of time.
 */
export function pooledRates(
  points: readonly { day: number; n: number; k: number }[],
  buckets: number,
): (number | null)[] {
  const pts = points.filter((p) => p.n > 0);
  if (pts.length === 0 || buckets < 1) return [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of pts) {
    first = Math.min(first, p.day);
    last = Math.max(last, p.day);
  }
  const days = last - first + 1;
  const count = Math.min(buckets, days);
  const n = new Array<number>(count).fill(0);
  const k = new Array<number>(count).fill(0);
  for (const p of pts) {
    const i = Math.min(count - 1, Math.floor(((p.day - first) * count) / days));
    n[i] = (n[i] as number) + p.n;
    k[i] = (k[i] as number) + p.k;
  }
  return n.map((ni, i) => (ni > 0 ? (k[i] as number) / ni : null));
}
