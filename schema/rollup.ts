import * as v from 'valibot';

/**
 * The rollup: a commutative monoid of counters and sketches (see lib/rollup). Everything in it is
 * already anonymized: enum values, framework names, keyed pseudonyms, numbers and UTC day numbers.
 * The same shapes are persisted in the state file and carried by exports, so a maintainer merges
 * exports with the very function a project uses to merge its own increments.
 */

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const finite = v.pipe(v.number(), v.finite());
/** A label: a framework name, an enum value, a pseudonym `p_<16 hex>` or `__other__`. */
export const Label = v.pipe(
  v.string(),
  v.maxLength(96),
  v.regex(/^(?!__proto__$)[A-Za-z0-9_][A-Za-z0-9_.:+-]*$/),
);
export const Counts = v.record(Label, count);

/**
 * DDSketch-style log-bucketed histogram: bucket i holds values in (γ^(i-1), γ^i], γ = (1+α)/(1-α),
 * so any quantile is returned within relative error α. Merge adds bucket counts: exact and order-free.
 */
export const Sketch = v.strictObject({
  count,
  /** Values ≤ 0 (a zero duration or score) cannot go to a log bucket. */
  zeros: count,
  /** Sum of the values in thousandths of their unit: an integer, so merges are exact in any order. */
  sumMilli: v.pipe(v.number(), v.safeInteger()),
  min: v.nullable(finite),
  max: v.nullable(finite),
  bins: v.record(v.pipe(v.string(), v.regex(/^-?\d+$/)), count),
});

/**
 * [runs, successes, failures, retries, qualitySumMilli, qualityCount] for one UTC day or week
 * (for expert series: [consultations, meets threshold, below threshold, 0, confidenceSumMilli, n]).
 */
export const SeriesCell = v.tuple([count, count, count, count, count, count]);
/**
 * Keys are UTC day numbers (days since 1970-01-01). Days older than the window before the newest
 * day are folded into `weeks`, keyed by the day number of their week's Monday.
 */
export const Series = v.strictObject({
  days: v.record(v.pipe(v.string(), v.regex(/^\d+$/)), SeriesCell),
  weeks: v.record(v.pipe(v.string(), v.regex(/^\d+$/)), SeriesCell),
});

/** [sum in thousandths, count] of a quality sub-score (0..100). */
export const ScoreSum = v.tuple([count, count]);

export const CapabilityCell = v.strictObject({
  runs: count,
  successes: count,
  failures: count,
  skips: count,
  /** Runs with attempt > 1, and how many of those succeeded. */
  retries: count,
  retrySuccesses: count,
  durationMs: Sketch,
  /** Overall quality, 0..100. */
  quality: Sketch,
  subScores: v.record(Label, ScoreSum),
  series: Series,
  errors: Counts,
  /** `<ruleId>|<severity>` → count. */
  security: v.record(v.pipe(v.string(), v.maxLength(128)), count),
  patterns: Counts,
  decisions: Counts,
  languages: Counts,
});

export const WorkflowCell = v.strictObject({
  runs: count,
  /** completed | failed | cancelled | paused | blocked → count */
  outcomes: Counts,
  durationMs: Sketch,
  stepsTotal: count,
  stepsCompleted: count,
  stepsFailed: count,
  /** Capability of a failed step → count. */
  stepFailures: Counts,
  errors: Counts,
  series: Series,
});

export const ExpertCell = v.strictObject({
  consultations: count,
  /** Confidence, 0..100. */
  confidence: Sketch,
  meetsThreshold: count,
  belowThreshold: count,
  agreementSumMilli: count,
  agreementCount: count,
  experts: Counts,
  selectionReasons: Counts,
  askedBy: Counts,
  /** Confidence decile "0".."9" → [consultations whose advised step is known, of those that succeeded]. */
  calibration: v.record(v.pipe(v.string(), v.regex(/^\d$/)), v.tuple([count, count])),
  series: Series,
});

export const HealthCell = v.strictObject({
  records: count,
  skipped: count,
  /** UTC day number of the newest record seen, or null. */
  lastDay: v.nullable(count),
});

/** How many events carried each optional kind of data: a section with 0 is "not recorded". */
export const Provided = v.strictObject({
  quality: count,
  patterns: count,
  decisions: count,
  security: count,
  files: count,
  calibration: count,
});

export const Rollup = v.strictObject({
  tasks: count,
  workflowRuns: count,
  consultationCount: count,
  firstDay: v.nullable(count),
  lastDay: v.nullable(count),
  capabilities: v.record(Label, CapabilityCell),
  workflows: v.record(Label, WorkflowCell),
  experts: v.record(Label, ExpertCell),
  health: v.record(Label, HealthCell),
  provided: Provided,
  /** Observations whose label went to `__other__` because a dimension was full. */
  overflow: Counts,
});

export type Sketch = v.InferOutput<typeof Sketch>;
export type SeriesCell = v.InferOutput<typeof SeriesCell>;
export type Series = v.InferOutput<typeof Series>;
export type CapabilityCell = v.InferOutput<typeof CapabilityCell>;
export type WorkflowCell = v.InferOutput<typeof WorkflowCell>;
export type ExpertCell = v.InferOutput<typeof ExpertCell>;
export type HealthCell = v.InferOutput<typeof HealthCell>;
export type Provided = v.InferOutput<typeof Provided>;
export type Rollup = v.InferOutput<typeof Rollup>;
export type Counts = v.InferOutput<typeof Counts>;
