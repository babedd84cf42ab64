import * as v from 'valibot';
import { Counts, Label, ScoreSum, SeriesCell } from './rollup.ts';

/**
 * The export document, version 1. Closed objects everywhere (v.strictObject): a field that is not
 * declared here cannot leave the machine. Every section says whether it holds data and, if not, why.
 * Readers of a newer minor version (1.x) keep fields they do not know (see migrate.ts).
 */

export const EXPORT_SCHEMA_VERSION = '1.0';
export const PRIVACY_POLICY_VERSION = '2026-11-1';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const isoDay = v.pipe(v.string(), v.isoDate());
const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const version = v.pipe(
  v.string(),
  v.maxLength(32),
  v.regex(/^(?:unknown|v?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.]+)?)$/),
);

export const SectionStatus = v.picklist(['recorded', 'empty', 'not-recorded', 'excluded']);
/** Why a section holds no data: fixed reasons, never free text. */
export const SectionReason = v.picklist([
  'no-data-yet',
  'framework-keeps-in-memory-only',
  'host-did-not-report',
  'excluded-by-user',
  'excluded-by-project-config',
  'below-k-threshold',
]);

function section<T extends v.GenericSchema>(item: T) {
  return v.strictObject({
    status: SectionStatus,
    reason: v.optional(SectionReason),
    items: v.array(item),
  });
}

/**
 * A sketch as exported: bucket counts as one dense array from bucket `offset` on. Numbers only (no
 * per-bucket keys), so its size depends on the spread of the values, not on how many there were:
 * a history of 10^6 runs exports no bigger than one of 10^3 with the same spread.
 */
export const ExportSketch = v.strictObject({
  count,
  zeros: count,
  sumMilli: v.pipe(v.number(), v.safeInteger()),
  min: v.nullable(v.number()),
  max: v.nullable(v.number()),
  offset: v.pipe(v.number(), v.integer()),
  counts: v.pipe(v.array(count), v.maxLength(4096)),
});

/** Weekly series: Monday (UTC, `YYYY-MM-DD`) → cell. Days are never exported (a work calendar is personal). */
export const WeeklySeries = v.record(isoDay, SeriesCell);

export const CapabilityItem = v.strictObject({
  name: Label,
  runs: count,
  successes: count,
  failures: count,
  skips: count,
  retries: count,
  retrySuccesses: count,
  durationMs: ExportSketch,
  quality: ExportSketch,
  subScores: v.record(Label, ScoreSum),
  languages: Counts,
  weeks: WeeklySeries,
});

export const WorkflowItem = v.strictObject({
  type: Label,
  runs: count,
  outcomes: Counts,
  durationMs: ExportSketch,
  stepsTotal: count,
  stepsCompleted: count,
  stepsFailed: count,
  stepFailures: Counts,
  errors: Counts,
  weeks: WeeklySeries,
});

export const ExpertItem = v.strictObject({
  domain: Label,
  consultations: count,
  confidence: ExportSketch,
  meetsThreshold: count,
  belowThreshold: count,
  agreementSumMilli: count,
  agreementCount: count,
  experts: Counts,
  selectionReasons: Counts,
  askedBy: Counts,
  calibration: v.record(v.pipe(v.string(), v.regex(/^\d$/)), v.tuple([count, count])),
  weeks: WeeklySeries,
});

export const PatternItem = v.strictObject({ capability: Label, type: Label, count });
export const DecisionItem = v.strictObject({ capability: Label, kind: Label, count });
export const SecurityItem = v.strictObject({ capability: Label, rule: Label, severity: Label, count });
export const FailureItem = v.strictObject({ capability: Label, errorType: Label, count });

const Interval = v.strictObject({ estimate: v.number(), low: v.number(), high: v.number() });

export const EffectivenessItem = v.strictObject({
  capability: Label,
  verdict: v.picklist(['improving', 'degrading', 'flat', 'not-enough-data']),
  weeks: count,
  firstWindow: v.strictObject({ runs: count, successRate: v.nullable(v.number()) }),
  lastWindow: v.strictObject({ runs: count, successRate: v.nullable(v.number()) }),
  /** Change of success rate per week (least squares on weekly rates), with a 95% interval. */
  successSlopePerWeek: v.nullable(Interval),
  /** Change of mean quality (0..100) per week, with a 95% interval. */
  qualitySlopePerWeek: v.nullable(Interval),
});

export const HealthItem = v.strictObject({
  store: Label,
  state: v.picklist(['live', 'dormant', 'missing']),
  records: count,
  skipped: count,
  lastWeek: v.nullable(isoDay),
});

export const RedactionReport = v.strictObject({
  scannedStrings: count,
  findings: count,
  /**
   * Rule id → count: gate rules that fired (none in a written export: an export is written only
   * when `findings` is 0) and what the privacy steps did (`allow-list/pseudonym`,
   * `k-threshold/suppressed`, `noise/laplace`; lib/privacy/transform-counts.ts).
   */
  rules: v.record(v.pipe(v.string(), v.maxLength(64), v.regex(/^[a-z0-9/_.-]+$/)), count),
});

export const ExportMetadata = v.strictObject({
  exportId: hex64,
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  producer: v.strictObject({ name: v.picklist(['@tapps-agents/learning', 'tapps-agents-python']), version }),
  framework: v.strictObject({ name: v.literal('tapps-agents'), version }),
  projectId: v.pipe(v.string(), v.regex(/^p_[0-9a-f]{16}$|^legacy_[0-9a-f]{16}$/)),
  period: v.strictObject({ firstWeek: v.nullable(isoDay), lastWeek: v.nullable(isoDay) }),
  /** A raw (non-anonymized) export, for local debugging only: refused by submit and by the hub. */
  raw: v.boolean(),
  /** Set when this document was migrated from an older format. */
  migratedFrom: v.optional(v.picklist(['python-1.0'])),
  privacy: v.strictObject({
    policyVersion: v.pipe(v.string(), v.maxLength(32)),
    k: v.pipe(v.number(), v.integer(), v.minValue(1)),
    epsilon: v.nullable(v.pipe(v.number(), v.gtValue(0))),
    suppressedCells: count,
    redaction: RedactionReport,
  }),
});

export const ExportV1 = v.strictObject({
  schemaVersion: v.literal(EXPORT_SCHEMA_VERSION),
  metadata: ExportMetadata,
  totals: v.strictObject({ tasks: count, workflowRuns: count, consultations: count }),
  capabilities: section(CapabilityItem),
  workflows: section(WorkflowItem),
  experts: section(ExpertItem),
  patterns: section(PatternItem),
  decisions: section(DecisionItem),
  security: section(SecurityItem),
  failures: section(FailureItem),
  effectiveness: section(EffectivenessItem),
  health: section(HealthItem),
});

export type ExportV1 = v.InferOutput<typeof ExportV1>;
export type ExportMetadata = v.InferOutput<typeof ExportMetadata>;
export type CapabilityItem = v.InferOutput<typeof CapabilityItem>;
export type WorkflowItem = v.InferOutput<typeof WorkflowItem>;
export type ExpertItem = v.InferOutput<typeof ExpertItem>;
export type EffectivenessItem = v.InferOutput<typeof EffectivenessItem>;
export type HealthItem = v.InferOutput<typeof HealthItem>;
export type SectionStatus = v.InferOutput<typeof SectionStatus>;
export type SectionReason = v.InferOutput<typeof SectionReason>;
export type RedactionReport = v.InferOutput<typeof RedactionReport>;
export type WeeklySeries = v.InferOutput<typeof WeeklySeries>;
export type ExportSketch = v.InferOutput<typeof ExportSketch>;
