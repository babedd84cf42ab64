import * as v from 'valibot';
import { Rollup } from '../../schema/rollup.ts';

/**
 * The aggregate as `GET /v1/aggregate` and `learning aggregate` (aggregate.json) publish it. This
 * file is the format's documentation; the tests validate every report against it.
 */

export const AGGREGATE_SCHEMA_VERSION = 'hub-aggregate/1';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const finite = v.pipe(v.number(), v.finite());
const version = v.pipe(v.string(), v.maxLength(32));

export const Interval = v.strictObject({ estimate: finite, low: finite, high: finite });

export const VersionCell = v.strictObject({
  version,
  /** False when fewer than k projects contributed: the numbers are then withheld (null). */
  published: v.boolean(),
  runs: v.nullable(count),
  successes: v.nullable(count),
  /** successes / runs with its 95% Wilson interval. */
  successRate: v.nullable(Interval),
  /** Mean quality (0..100), its 95% interval, the scored runs and the standard error of the mean. */
  quality: v.nullable(
    v.strictObject({ estimate: finite, low: finite, high: finite, n: count, standardError: finite }),
  ),
});

export const CapabilityByVersion = v.strictObject({ capability: v.string(), versions: v.array(VersionCell) });

export const Change = v.strictObject({
  capability: v.string(),
  metric: v.picklist(['success-rate', 'quality']),
  from: version,
  to: version,
  /** to − from: a rate difference (−1..1, Newcombe interval) or quality points (Welch interval), 95%. */
  change: Interval,
  /** regression / improvement: the interval lies entirely below / above 0. */
  verdict: v.picklist(['regression', 'improvement', 'no-significant-change']),
});

export const ReleaseComparison = v.strictObject({
  versions: v.array(v.strictObject({ version, projects: count, submissions: count, tasks: count })),
  capabilities: v.array(CapabilityByVersion),
  /** Each capability against its nearest earlier version with published numbers for it. */
  changes: v.array(Change),
  /** Significant drops: newest release first, success rate before quality, biggest drop first. */
  regressions: v.array(Change),
  improvements: v.array(Change),
  /** Version × capability cells withheld because fewer than k projects contributed. */
  withheldCells: count,
});

export const CellKind = v.picklist([
  'total',
  'capabilities',
  'workflows',
  'expertDomains',
  'health',
  'overflow',
  'errorTypes',
  'languages',
  'patterns',
  'decisions',
  'security',
  'subScores',
  'outcomes',
  'stepFailures',
  'experts',
  'selectionReasons',
  'askedBy',
  'calibration',
  'weeks',
]);

export const AggregateReport = v.strictObject({
  schemaVersion: v.literal(AGGREGATE_SCHEMA_VERSION),
  generatedAt: v.pipe(v.string(), v.isoTimestamp()),
  filter: v.strictObject({
    framework: v.nullable(version),
    since: v.nullable(v.pipe(v.string(), v.isoDate())),
    until: v.nullable(v.pipe(v.string(), v.isoDate())),
    /** What since/until compare with: the hub's receive day, or the export's createdAt offline. */
    dayOf: v.picklist(['received', 'created']),
  }),
  k: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Distinct projects and submissions inside the filter. */
  projects: count,
  submissions: count,
  /** False when fewer than k projects are inside the filter: then nothing is published. */
  published: v.boolean(),
  withheld: v.strictObject({ cells: count, byKind: v.record(CellKind, count) }),
  /** Only the cells at least k distinct projects contributed to; merge it with lib/rollup merge(). */
  rollup: Rollup,
  release: ReleaseComparison,
});

export type AggregateReport = v.InferOutput<typeof AggregateReport>;
export type ReleaseComparison = v.InferOutput<typeof ReleaseComparison>;
export type Change = v.InferOutput<typeof Change>;
export type VersionCell = v.InferOutput<typeof VersionCell>;
export type CapabilityByVersion = v.InferOutput<typeof CapabilityByVersion>;
export type CellKind = v.InferOutput<typeof CellKind>;
