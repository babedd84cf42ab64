/**
 * How numbers are written, for the terminal and for the HTML page alike: the page's script gets
 * these very functions (their source, see html-client.ts), so both show the same digits. Each is
 * self-contained: no imports, no helpers outside, no nested named functions.
 */

/** 1234567 → "1,234,567" (no locale: the same on every machine). */
export function formatCount(n: number): string {
  const s = String(Math.round(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.7234 → "72%"; rates within half a point of 0 or 1 keep a decimal so they do not read as certain. */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const p = x * 100;
  if ((p > 0 && p < 0.5) || (p < 100 && p > 99.5)) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** A rate with its interval: "72% (69–75)". */
export function formatRate(r: { estimate: number; low: number; high: number } | null | undefined): string {
  if (!r) return '–';
  return `${formatPercent(r.estimate)} (${Math.round(r.low * 100)}–${Math.round(r.high * 100)})`;
}

/** A signed change in points: rates (0..1) ×100, scores (0..100) as they are. "+11.8 pts". */
export function formatPoints(value: number, isRate: boolean): string {
  const p = isRate ? value * 100 : value;
  const r = Math.round(p * 10) / 10;
  const sign = r > 0 ? '+' : r < 0 ? '−' : '±';
  return `${sign}${Math.abs(r).toFixed(1)} pts`;
}

/** An interval of changes: "+6.1 … +17.3 pts" (signs kept, unit once). */
export function formatRange(low: number, high: number, isRate: boolean): string {
  const lo = formatPoints(low, isRate);
  return `${lo.slice(0, lo.length - 4)} … ${formatPoints(high, isRate)}`;
}

/** A score 0..100 with one decimal; "–" when absent. */
export function formatScore(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return (Math.round(x * 10) / 10).toFixed(1);
}

/** Milliseconds for people: "850ms", "12.3s", "4.2m", "1.5h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)}m`;
  return `${(ms / 3_600_000).toFixed(1)}h`;
}

/** A probability-like number with three decimals (Brier score, ECE). */
export function formatFraction(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return x.toFixed(3);
}

/** The verdict words people read. */
export function formatVerdict(verdict: string): string {
  if (verdict === 'learning-active') return 'LEARNING ACTIVE';
  if (verdict === 'stalled') return 'STALLED';
  if (verdict === 'not-recorded') return 'NOT RECORDED';
  if (verdict === 'not-enough-data') return 'NOT ENOUGH DATA';
  if (verdict === 'improving') return 'improving';
  if (verdict === 'degrading') return 'degrading';
  if (verdict === 'flat') return 'flat';
  if (verdict === 'over-confident') return 'over-confident';
  if (verdict === 'under-confident') return 'under-confident';
  if (verdict === 'calibrated') return 'calibrated';
  return 'not enough data';
}

/** Functions the page's script gets, by name. */
export const SHARED_FORMATTERS = [
  formatCount,
  formatPercent,
  formatRate,
  formatPoints,
  formatRange,
  formatScore,
  formatDuration,
  formatFraction,
  formatVerdict,
] as const;
