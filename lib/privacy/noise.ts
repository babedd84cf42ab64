import { createHmac } from 'node:crypto';
import type {
  CapabilityItem,
  ExpertItem,
  ExportSketch,
  ExportV1,
  HealthItem,
  WeeklySeries,
  WorkflowItem,
} from '../../schema/export-v1.ts';
import type { Counts } from '../../schema/rollup.ts';
import { SKETCH_ALPHA } from '../rollup/sketch.ts';

/** Uniform numbers in [0, 1). Noise draws them from a keyed function (below), so tests seed it with a key. */
export type Uniform = () => number;

/** What noise is added to: the thresholded sections' items, the totals and the store health. */
export interface NoisyParts {
  capabilities: { items: CapabilityItem[] };
  workflows: { items: WorkflowItem[] };
  experts: { items: ExpertItem[] };
  patterns: { items: ExportV1['patterns']['items'] };
  decisions: { items: ExportV1['decisions']['items'] };
  security: { items: ExportV1['security']['items'] };
  failures: { items: ExportV1['failures']['items'] };
  health: { items: HealthItem[] };
  totals: ExportV1['totals'];
}

/**
 * Most a single run (task, workflow run, consultation, store record) adds to a value: the scale
 * of its noise is this over epsilon. Counts move by 1; quality and confidence sums are kept in
 * thousandths of a 0..100 score, agreement sums in thousandths of 0..1.
 */
export const SENSITIVITY = { count: 1, scoreMilli: 100_000, agreementMilli: 1_000 } as const;

/**
 * Laplace noise for integer counts: the discrete Laplace (two-sided geometric) distribution,
 * P(x) ∝ exp(-ε|x|/Δ), the integer form of Laplace(Δ/ε). Sampling integers directly avoids the
 * floating-point artefacts of rounding a continuous sample.
 */
export function discreteLaplace(epsilon: number, sensitivity: number, random: Uniform): number {
  const rate = epsilon / sensitivity;
  // Geometric(1 - e^-rate) by inversion: floor(ln U / ln p) with ln p = -rate.
  const geometric = () => Math.floor(Math.log(open(random())) / -rate);
  return geometric() - geometric();
}

function open(u: number): number {
  return u > 0 && u < 1 ? u : u >= 1 ? 1 - Number.EPSILON : Number.MIN_VALUE;
}

/**
 * The noise key: a subkey of the project's secret (never the secret itself), so the noise of an
 * export cannot be reproduced, and so subtracted, by anyone who does not hold the secret.
 */
export function noiseKeyOf(secret: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', secret).update('tapps-learning laplace noise key v1').digest());
}

/**
 * The two uniforms behind one value's noise: HMAC-SHA-256 under the noise key of the value's
 * place, its true value, epsilon and sensitivity. The same place and value always get the same
 * noise, so exporting again (another day, another k, other sections) adds nothing an averaging
 * reader could use: a week that no longer changes keeps its noise forever. A new true value, or a
 * new epsilon, gets a fresh independent draw (and spends epsilon again). The price: two exports
 * that show the same noisy value tell that its true value did not change between them.
 */
function cellUniform(
  key: Uint8Array,
  place: string,
  value: number,
  epsilon: number,
  sensitivity: number,
): Uniform {
  const digest = createHmac('sha256', key)
    .update(`${place}\u0000${value}\u0000${epsilon}\u0000${sensitivity}`)
    .digest();
  let at = 0;
  return () => {
    if (at + 8 > digest.length) at = 0;
    const hi = digest.readUInt32BE(at) >>> 5;
    const lo = digest.readUInt32BE(at + 4) >>> 6;
    at += 8;
    return (hi * 67_108_864 + lo) / 9_007_199_254_740_992;
  };
}

const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);

/**
 * Adds discrete Laplace noise with the given epsilon to every count and bounded sum of an export,
 * then post-processes (which costs no privacy) so the document stays integral and consistent:
 * nothing negative, runs = successes + failures + skips, parts never above their whole, a
 * sketch's count = zeros + its bins, no more sketched values than runs. A sketch's min, max and
 * sum are derived from its noisy bins (within the sketch's relative error), never copied. Cells
 * that fall to zero are removed.
 *
 * The guarantee is per value: epsilon-differential privacy for one run's contribution to that
 * value (a run touches a bounded number of values, so a whole export composes to a multiple of
 * epsilon). What is NOT noised: which labels, weeks and sketch buckets exist (the k-threshold
 * governs those, on the true counts), and whether a measure was reported at all (quality, steps,
 * agreement): noise never invents a label, a bucket or a measure the data does not have.
 * Randomness comes from `key` (noiseKeyOf the project's secret; any 256-bit key in tests): each
 * value's draw is keyed by its place and true value, so it is reproducible only with the key.
 * Returns the new parts and how many values were noised.
 */
export function applyNoise<T extends NoisyParts>(
  parts: T,
  epsilon: number,
  key: Uint8Array,
): { parts: T; noisedValues: number } {
  if (!(epsilon > 0 && Number.isFinite(epsilon)))
    throw new RangeError(`epsilon must be a positive number, got ${epsilon}`);
  if (key.byteLength < 32) throw new RangeError('the noise key must have at least 256 bits');
  let noised = 0;
  const noisy = (place: string, value: number, sensitivity: number = SENSITIVITY.count): number => {
    noised++;
    const random = cellUniform(key, place, value, epsilon, sensitivity);
    return Math.max(0, value + discreteLaplace(epsilon, sensitivity, random));
  };
  const out = structuredClone(parts);

  const counts = (at: string, c: Counts): Counts => {
    const r: Counts = {};
    for (const [label, n] of Object.entries(c)) {
      const x = noisy(`${at}/${label}`, n);
      if (x > 0)
        Object.defineProperty(r, label, { value: x, enumerable: true, writable: true, configurable: true });
    }
    return r;
  };

  const sketch = (at: string, s: ExportSketch, limit: number): ExportSketch => {
    // Zeros are a bucket like the others: noised when present, never invented.
    const buckets = [s.zeros, ...s.counts].map((n, i) =>
      n > 0 ? noisy(`${at}/${i === 0 ? 'zeros' : s.offset + i - 1}`, n) : 0,
    );
    if (sum(buckets) > limit) shrink(buckets, limit);
    return summarize(s.offset, buckets);
  };

  /** Which of a series cell's measures exist: [runs, ok, failed, retries, quality sum, quality n]. */
  const weeks = (
    at: string,
    w: WeeklySeries,
    measures: { retries: boolean; quality: boolean },
  ): WeeklySeries => {
    const r: WeeklySeries = {};
    for (const [week, cell] of Object.entries(w)) {
      const n = (i: number, sensitivity?: number) =>
        noisy(`${at}/weeks/${week}/${i}`, cell[i] as number, sensitivity);
      const ok = n(1);
      const bad = n(2);
      const runs = Math.max(n(0), ok + bad);
      if (runs === 0) continue;
      const qualityCount = measures.quality ? Math.min(n(5), runs) : 0;
      const qualitySum = measures.quality ? n(4, SENSITIVITY.scoreMilli) : 0;
      r[week] = [
        runs,
        ok,
        bad,
        measures.retries ? Math.min(n(3), runs) : 0,
        Math.min(qualitySum, qualityCount * SENSITIVITY.scoreMilli),
        qualityCount,
      ];
    }
    return r;
  };

  const capability = (c: CapabilityItem): CapabilityItem => {
    const at = `capabilities/${c.name}`;
    const successes = noisy(`${at}/successes`, c.successes);
    const failures = noisy(`${at}/failures`, c.failures);
    const skips = noisy(`${at}/skips`, c.skips);
    const runs = successes + failures + skips;
    const retries = Math.min(noisy(`${at}/retries`, c.retries), runs);
    const subScores: CapabilityItem['subScores'] = {};
    for (const [name, [milli, n]] of Object.entries(c.subScores)) {
      const count = Math.min(noisy(`${at}/subScores/${name}/n`, n), runs);
      const total = Math.min(
        noisy(`${at}/subScores/${name}/sum`, milli, SENSITIVITY.scoreMilli),
        count * SENSITIVITY.scoreMilli,
      );
      if (count > 0) subScores[name] = [total, count];
    }
    return {
      name: c.name,
      runs,
      successes,
      failures,
      skips,
      retries,
      retrySuccesses: Math.min(noisy(`${at}/retrySuccesses`, c.retrySuccesses), retries, successes),
      durationMs: sketch(`${at}/durationMs`, c.durationMs, runs),
      quality: sketch(`${at}/quality`, c.quality, runs),
      subScores,
      languages: counts(`${at}/languages`, c.languages),
      weeks: weeks(at, c.weeks, { retries: true, quality: c.quality.count > 0 }),
    };
  };

  const workflow = (w: WorkflowItem): WorkflowItem => {
    const at = `workflows/${w.type}`;
    const outcomes = counts(`${at}/outcomes`, w.outcomes);
    const runs = Math.max(noisy(`${at}/runs`, w.runs), sum(Object.values(outcomes)));
    return {
      type: w.type,
      runs,
      outcomes,
      durationMs: sketch(`${at}/durationMs`, w.durationMs, runs),
      ...(w.stepsTotal + w.stepsCompleted + w.stepsFailed > 0
        ? {
            stepsTotal: noisy(`${at}/stepsTotal`, w.stepsTotal),
            stepsCompleted: noisy(`${at}/stepsCompleted`, w.stepsCompleted),
            stepsFailed: noisy(`${at}/stepsFailed`, w.stepsFailed),
          }
        : { stepsTotal: 0, stepsCompleted: 0, stepsFailed: 0 }),
      stepFailures: counts(`${at}/stepFailures`, w.stepFailures),
      errors: counts(`${at}/errors`, w.errors),
      // Workflow series count runs, completions and failures only.
      weeks: weeks(at, w.weeks, { retries: false, quality: false }),
    };
  };

  const expert = (e: ExpertItem): ExpertItem => {
    const at = `experts/${e.domain}`;
    const meets = noisy(`${at}/meetsThreshold`, e.meetsThreshold);
    const below = noisy(`${at}/belowThreshold`, e.belowThreshold);
    const consultations = Math.max(noisy(`${at}/consultations`, e.consultations), meets + below);
    const agreed = e.agreementCount > 0;
    const agreementCount = agreed
      ? Math.min(noisy(`${at}/agreementCount`, e.agreementCount), consultations)
      : 0;
    const calibration: ExpertItem['calibration'] = {};
    for (const [decile, [n, ok]] of Object.entries(e.calibration)) {
      const runs = noisy(`${at}/calibration/${decile}/n`, n);
      const successes = Math.min(noisy(`${at}/calibration/${decile}/ok`, ok), runs);
      if (runs > 0) calibration[decile] = [runs, successes];
    }
    return {
      domain: e.domain,
      consultations,
      confidence: sketch(`${at}/confidence`, e.confidence, consultations),
      meetsThreshold: meets,
      belowThreshold: below,
      agreementSumMilli: agreed
        ? Math.min(
            noisy(`${at}/agreementSumMilli`, e.agreementSumMilli, SENSITIVITY.agreementMilli),
            agreementCount * SENSITIVITY.agreementMilli,
          )
        : 0,
      agreementCount,
      experts: counts(`${at}/experts`, e.experts),
      selectionReasons: counts(`${at}/selectionReasons`, e.selectionReasons),
      askedBy: counts(`${at}/askedBy`, e.askedBy),
      calibration,
      // Expert series: consultations, meets, below, (no retries), confidence sum and count.
      weeks: weeks(at, e.weeks, { retries: false, quality: true }),
    };
  };

  /** Count items are placed by every label they carry (a finding by rule and severity). */
  const countItems = <I extends { capability: string; count: number }>(section: string, items: I[]): I[] =>
    items
      .map((i) => {
        const { count, ...labels } = i;
        return { ...i, count: noisy(`${section}/${Object.values(labels).join('/')}`, count) };
      })
      .filter((i) => i.count > 0);

  out.capabilities.items = out.capabilities.items.map(capability);
  out.workflows.items = out.workflows.items.map(workflow);
  out.experts.items = out.experts.items.map(expert);
  out.patterns.items = countItems('patterns', out.patterns.items);
  out.decisions.items = countItems('decisions', out.decisions.items);
  out.security.items = countItems('security', out.security.items);
  out.failures.items = countItems('failures', out.failures.items);
  out.health.items = out.health.items.map((h) => {
    const records = noisy(`health/${h.store}/records`, h.records);
    // A live store has records: the state is told apart by the truth, so keep the two consistent.
    const skipped = noisy(`health/${h.store}/skipped`, h.skipped);
    return { ...h, records: h.state === 'live' ? Math.max(1, records) : records, skipped };
  });
  out.totals = {
    tasks: Math.max(noisy('totals/tasks', out.totals.tasks), sum(out.capabilities.items.map((c) => c.runs))),
    workflowRuns: Math.max(
      noisy('totals/workflowRuns', out.totals.workflowRuns),
      sum(out.workflows.items.map((w) => w.runs)),
    ),
    consultations: Math.max(
      noisy('totals/consultations', out.totals.consultations),
      sum(out.experts.items.map((e) => e.consultations)),
    ),
  };
  return { parts: out, noisedValues: noised };
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * Scales buckets down to `limit` in total, in proportion, the remainder going to the largest
 * fractions (ties to the lower bucket, so the result is deterministic).
 */
function shrink(buckets: number[], limit: number): void {
  const total = sum(buckets);
  const fractions: { i: number; frac: number }[] = [];
  for (let i = 0; i < buckets.length; i++) {
    const exact = ((buckets[i] as number) * limit) / total;
    buckets[i] = Math.floor(exact);
    fractions.push({ i, frac: exact - Math.floor(exact) });
  }
  let left = limit - sum(buckets);
  for (const { i } of fractions.sort((a, b) => b.frac - a.frac || a.i - b.i)) {
    if (left <= 0) break;
    buckets[i] = (buckets[i] as number) + 1;
    left -= 1;
  }
}

/**
 * An export sketch from noisy buckets ([zeros, bucket offset, offset+1, …]): count, min, max and
 * sum all follow from them (bucket values within the sketch's relative error), never from the data.
 */
function summarize(offset: number, buckets: readonly number[]): ExportSketch {
  const zeros = buckets[0] as number;
  const counts = buckets.slice(1);
  let lo = 0;
  while (lo < counts.length && counts[lo] === 0) lo++;
  let hi = counts.length - 1;
  while (hi >= lo && counts[hi] === 0) hi--;
  const kept = counts.slice(lo, hi + 1);
  const value = (i: number) => (2 * GAMMA ** (offset + lo + i)) / (GAMMA + 1);
  let sumMilli = 0;
  kept.forEach((n, i) => {
    sumMilli += n * value(i) * 1000;
  });
  const count = zeros + sum(kept);
  return {
    count,
    zeros,
    sumMilli: Math.round(sumMilli),
    min: count === 0 ? null : zeros > 0 || kept.length === 0 ? 0 : value(0),
    max: count === 0 ? null : kept.length === 0 ? 0 : value(kept.length - 1),
    offset: kept.length === 0 ? 0 : offset + lo,
    counts: kept,
  };
}

/** applyNoise when an epsilon is set; the parts unchanged otherwise. */
export function noiseIfAsked<T extends NoisyParts>(
  parts: T,
  epsilon: number | null,
  key: Uint8Array | undefined,
): { parts: T; noisedValues: number } {
  if (epsilon === null) return { parts, noisedValues: 0 };
  if (!key) throw new Error('internal error: Laplace noise asked for without a noise key');
  return applyNoise(parts, epsilon, key);
}
