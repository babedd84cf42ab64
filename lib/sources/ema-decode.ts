/**
 * The capability registry keeps no history, only exponential moving averages updated per run:
 * `rate ← 0.9·rate + 0.1·outcome` (outcome 1 or 0). Between two snapshots `k` runs happened
 * (the usage_count delta) and the rate moved from `before` to `after`, so
 * `(after − 0.9^k·before) / 0.1 = Σ_j 0.9^j·s_j` (j = 0 the newest run). Binary digit strings in base
 * 9/10 have distinct sums (clear the denominators and reduce modulo 10), so for a small `k` the
 * outcomes can be recovered exactly by search; floating point limits this to about 30 runs.
 */
export interface EmaRuns {
  successes: number;
  /** Outcomes oldest first, when they are determined exactly. */
  outcomes?: boolean[];
  exact: boolean;
}

const ALPHA = 0.1;
const DECAY = 0.9;
export const MAX_EXACT_RUNS = 30;
/** Python and this search round differently; both errors stay far below this for k ≤ 30. */
const EPS = 1e-11;

function sums(weights: number[]): Float64Array {
  const out = new Float64Array(1 << weights.length);
  for (let m = 1; m < out.length; m++) {
    const low = m & -m;
    const bit = 31 - Math.clz32(low);
    out[m] = (out[m ^ low] as number) + (weights[bit] as number);
  }
  return out;
}

interface Half {
  /** Sums of the half's subsets, indexed by subset (bit mask), and the same values ascending. */
  sums: Float64Array;
  sorted: Float64Array;
}

/** The subset sums depend on k alone: a registry's capabilities share them (kept per k, ≤ 30). */
const HALVES = new Map<number, [number, Half, Half]>();

function half(weights: number[]): Half {
  const s = sums(weights);
  // A typed-array sort is numeric and fast; the rare hits find their masks by a scan.
  return { sums: s, sorted: Float64Array.from(s).sort() };
}

function halves(k: number): [number, Half, Half] {
  let hv = HALVES.get(k);
  if (!hv) {
    const h = Math.floor(k / 2);
    const w = Array.from({ length: k }, (_, j) => DECAY ** j);
    hv = [h, half(w.slice(0, h)), half(w.slice(h))];
    HALVES.set(k, hv);
  }
  return hv;
}

/** The subset whose sum is the i-th smallest (equal sums: the n-th of them in mask order). */
function maskAt(x: Half, i: number): number {
  const value = x.sorted[i] as number;
  let nth = 0;
  while (i - nth - 1 >= 0 && x.sorted[i - nth - 1] === value) nth++;
  for (let m = 0; m < x.sums.length; m++) if (x.sums[m] === value && nth-- === 0) return m;
  return -1;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

export function decodeRuns(before: number, after: number, k: number): EmaRuns {
  if (k <= 0) return { successes: 0, outcomes: [], exact: true };
  const target = (after - DECAY ** k * before) / ALPHA;
  if (k <= MAX_EXACT_RUNS) {
    const [h, lowHalf, highHalf] = halves(k);
    const low = lowHalf.sorted;
    const high = highHalf.sorted;
    // Both halves sorted: as the low sum grows the high sum wanted shrinks, so one pointer walks
    // the high half down once (meet in the middle in linear time).
    const found: [number, number][] = [];
    let j = high.length - 1;
    for (let i = 0; i < low.length && found.length <= 8; i++) {
      const want = target - (low[i] as number);
      while (j >= 0 && (high[j] as number) > want + EPS) j--;
      for (let m = j; m >= 0 && (high[m] as number) >= want - EPS && found.length <= 8; m--)
        found.push([maskAt(lowHalf, i), maskAt(highHalf, m)]);
    }
    const counts = new Set(found.map(([a, b]) => popcount(a) + popcount(b)));
    if (counts.size === 1) {
      const successes = [...counts][0] as number;
      if (found.length !== 1) return { successes, exact: true };
      const [a, b] = found[0] as [number, number];
      const outcomes: boolean[] = [];
      for (let j = k - 1; j >= 0; j--)
        outcomes.push(j < h ? ((a >> j) & 1) === 1 : ((b >> (j - h)) & 1) === 1);
      return { successes, outcomes, exact: true };
    }
  }
  // Not decodable (too many runs, or the registry's double update on a failed security scan):
  // the weighted mean the EMA moved by, applied to the number of runs.
  const p = Math.min(1, Math.max(0, (target * ALPHA) / (1 - DECAY ** k)));
  return { successes: Math.round(k * p), exact: false };
}
