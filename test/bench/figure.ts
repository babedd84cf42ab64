/** One measured figure of `npm run bench`: raw samples, summarized by the runner. */
export interface Figure {
  scenario: string;
  name: string;
  unit: string;
  samples: number[];
  /** What the issue asks for, e.g. { op: '<=', value: 5 }. */
  target?: { op: '<=' | '>='; value: number };
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i] as number;
}

export function summarize(f: Figure): {
  median: number;
  p10: number;
  p90: number;
  p99: number;
  n: number;
  met: boolean | null;
} {
  const s = [...f.samples].sort((a, b) => a - b);
  const median = percentile(s, 0.5);
  return {
    median,
    p10: percentile(s, 0.1),
    p90: percentile(s, 0.9),
    p99: percentile(s, 0.99),
    n: s.length,
    met: f.target ? (f.target.op === '<=' ? median <= f.target.value : median >= f.target.value) : null,
  };
}

export function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function timeMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}
