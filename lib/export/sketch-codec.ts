import type { ExportSketch } from '../../schema/export-v1.ts';
import type { Sketch } from '../../schema/rollup.ts';

/** Rollup sketch (sparse buckets) → export sketch (one dense array). Lossless. */
export function toExportSketch(s: Sketch): ExportSketch {
  const keys = Object.keys(s.bins).map(Number);
  const lo = keys.length > 0 ? Math.min(...keys) : 0;
  const hi = keys.length > 0 ? Math.max(...keys) : -1;
  const counts = new Array<number>(hi - lo + 1).fill(0);
  for (const k of keys) counts[k - lo] = s.bins[String(k)] as number;
  return { count: s.count, zeros: s.zeros, sumMilli: s.sumMilli, min: s.min, max: s.max, offset: lo, counts };
}

/** Back to the rollup's sparse form, so exports merge with the rollup's merge(). */
export function fromExportSketch(e: ExportSketch): Sketch {
  const bins: Record<string, number> = {};
  e.counts.forEach((n, i) => {
    if (n > 0) bins[String(e.offset + i)] = n;
  });
  return { count: e.count, zeros: e.zeros, sumMilli: e.sumMilli, min: e.min, max: e.max, bins };
}
