import * as v from 'valibot';
import { Label } from './rollup.ts';

/**
 * The dashboard model: what `learning dashboard --json` prints and what the terminal and HTML
 * renderers draw, so the three always show the same numbers. Computed from a rollup only
 * (lib/dashboard/compute.ts). Closed objects, arrays instead of label-keyed maps (labels come from
 * merged, untrusted rollups), and every field described here: this file is the format's documentation.
 */

export const DASHBOARD_SCHEMA_VERSION = '1.0';

const doc = <T extends v.GenericSchema>(schema: T, text: string) => v.pipe(schema, v.description(text));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const finite = v.pipe(v.number(), v.finite());
const share = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const isoDay = v.pipe(v.string(), v.isoDate());

export const Interval = doc(
  v.strictObject({ estimate: finite, low: finite, high: finite }),
  'A point estimate and its interval [low, high].',
);

export const Rate = doc(
  v.strictObject({
    successes: count,
    n: count,
    estimate: share,
    low: share,
    high: share,
  }),
  'successes / n with its 95% Wilson score interval.',
);

export const TrendVerdict = doc(
  v.picklist(['improving', 'degrading', 'flat', 'not-enough-data']),
  'improving/degrading: the trend interval excludes zero and the first and last windows each hold at least ' +
    '`method.minRunsPerWindow` runs. flat: no change, and the interval is narrow enough to have seen one of ' +
    '`minChange`. not-enough-data: otherwise; `runsNeeded` says how many more runs would decide.',
);

export const TrendWindow = doc(
  v.strictObject({
    firstDay: v.nullable(isoDay),
    lastDay: v.nullable(isoDay),
    n: count,
    value: v.nullable(finite),
  }),
  'A third of the active days: runs (or scored runs) and their success rate (0..1) or mean (0..100).',
);

export const Trend = doc(
  v.strictObject({
    metric: v.picklist(['success-rate', 'quality', 'confidence', 'meets-threshold']),
    verdict: TrendVerdict,
    /** One line a person can read, with the numbers behind the verdict. */
    summary: v.pipe(v.string(), v.maxLength(2000)),
    points: doc(count, 'Days (or folded weeks) with data.'),
    n: doc(count, 'Runs (rate metrics) or scored runs (mean metrics) behind the trend.'),
    spanDays: doc(count, 'Days from the first to the last active day.'),
    slopePerDay: doc(
      v.nullable(Interval),
      'Weighted least squares on daily points (weights: runs) with a `method.trendConfidence` interval from its ' +
        'standard error (Student t); rates per day (0..1) or points per day (0..100). Null below 3 distinct days.',
    ),
    p: doc(
      v.nullable(share),
      'Two-sided p-value of "no change" (t test of the slope). The project verdict corrects these for the number of ' +
        'capabilities tested (Holm), so one capability in many does not make learning look active by chance.',
    ),
    change: doc(
      v.nullable(Interval),
      'slopePerDay × spanDays: the fitted change from the first to the last active day, same interval.',
    ),
    minChange: doc(
      finite,
      'The smallest change the verdict must be able to see (0.1 of a rate, 10 points of a score).',
    ),
    firstWindow: TrendWindow,
    lastWindow: TrendWindow,
    windowChange: doc(
      v.nullable(Interval),
      'Rates only: last window minus first window with a 95% Newcombe (hybrid Wilson) interval.',
    ),
    runsNeeded: doc(
      v.nullable(count),
      'With not-enough-data: about how many more runs would reach a verdict (null when more days, not runs, are needed).',
    ),
  }),
  'A trend over the daily series.',
);

export const DayPoint = doc(
  v.strictObject({
    day: isoDay,
    span: doc(
      v.picklist([1, 7]),
      '1 for a day; 7 for a week folded from days older than the 120-day window (day = its Monday).',
    ),
    runs: count,
    successes: count,
    failures: count,
    retries: count,
    quality: doc(
      v.nullable(finite),
      'Mean quality (0..100) of the scored runs of the day, null when none was scored.',
    ),
  }),
  'One point of a capability series.',
);

export const Distribution = doc(
  v.strictObject({
    n: count,
    mean: v.nullable(finite),
    p50: v.nullable(finite),
    p95: v.nullable(finite),
    /** Counts per bucket; bucket bounds in `bounds`. */
    histogram: v.array(count),
    bounds: doc(v.array(finite), 'Upper bounds of the histogram buckets but the last (which is open).'),
  }),
  'A distribution from the rollup sketch (quantiles within 1% relative error).',
);

export const CapabilityVerdict = doc(
  v.strictObject({
    verdict: TrendVerdict,
    basis: doc(
      v.picklist(['success-rate', 'quality']),
      'The success-rate trend decides; the quality trend decides only when the success rate has no clear direction.',
    ),
  }),
  "A capability's verdict.",
);

export const CapabilityReport = v.strictObject({
  name: doc(Label, '`agent.action` as the framework names it, or a keyed pseudonym `p_…` for a custom name.'),
  runs: doc(count, 'Runs in the period (all of them without `filter.since`): successes + failures + skips.'),
  successes: count,
  failures: count,
  skips: count,
  share: doc(share, "This capability's share of all runs (usage)."),
  successRate: doc(v.nullable(Rate), 'successes / (successes + failures): skipped runs did not run.'),
  quality: Distribution,
  durationMs: Distribution,
  retries: doc(count, 'Runs that were a retry (attempt > 1).'),
  retryRate: doc(v.nullable(Rate), 'retries / runs.'),
  retrySuccess: doc(v.nullable(Rate), 'Retries that succeeded / retries.'),
  firstDay: v.nullable(isoDay),
  lastDay: v.nullable(isoDay),
  verdict: CapabilityVerdict,
  successTrend: Trend,
  qualityTrend: Trend,
  days: doc(v.array(DayPoint), 'The daily series behind the trends, oldest first.'),
});

export const ErrorCount = v.strictObject({
  errorType: Label,
  count,
  share: doc(share, 'Of the failures it is counted in.'),
  hint: doc(
    v.pipe(v.string(), v.maxLength(500)),
    'How to prevent it: a fixed table keyed by error type or category.',
  ),
});

export const Failures = v.strictObject({
  byCapability: doc(
    v.array(v.strictObject({ capability: Label, failures: count, errors: v.array(ErrorCount) })),
    'Capabilities with failures, most failures first; every error type the rollup kept.',
  ),
  byErrorType: doc(
    v.array(v.strictObject({ errorType: Label, count, capabilities: count, hint: v.string() })),
    'Error types over all capabilities.',
  ),
  workflows: doc(
    v.array(
      v.strictObject({
        type: Label,
        runs: count,
        outcomes: v.array(v.strictObject({ outcome: Label, count })),
        completed: v.nullable(Rate),
        stepsTotal: count,
        stepsCompleted: count,
        stepsFailed: count,
        failingSteps: doc(
          v.array(v.strictObject({ capability: Label, count })),
          'The capabilities of failed steps.',
        ),
        errors: v.array(ErrorCount),
        durationMs: Distribution,
      }),
    ),
    'Workflow types, most runs first.',
  ),
  retries: doc(
    v.array(v.strictObject({ capability: Label, retries: count, retrySuccess: v.nullable(Rate) })),
    'Retry outcomes of the capabilities that retried.',
  ),
});

const SectionState = doc(
  v.picklist(['recorded', 'empty', 'not-recorded']),
  'recorded: the host reported it; empty: reported, nothing found; not-recorded: this framework version does not report it.',
);

export const LabelCounts = v.array(v.strictObject({ label: Label, count }));

export const CountsSection = v.strictObject({
  state: SectionState,
  reason: v.nullable(v.string()),
  total: count,
  byLabel: doc(LabelCounts, 'Pattern types or decision kinds, most first.'),
  byCapability: v.array(v.strictObject({ capability: Label, label: Label, count })),
});

export const Security = v.strictObject({
  state: SectionState,
  reason: v.nullable(v.string()),
  total: count,
  bySeverity: v.array(v.strictObject({ severity: Label, count })),
  byRule: doc(
    v.array(v.strictObject({ rule: Label, severity: Label, count, capabilities: v.array(Label) })),
    'Findings by rule and severity, most severe first.',
  ),
});

export const ExpertDomain = v.strictObject({
  domain: Label,
  consultations: count,
  experts: doc(count, 'Distinct experts consulted in the domain.'),
  confidence: doc(Distribution, 'Stated confidence, 0..100.'),
  meetsThreshold: doc(
    v.nullable(Rate),
    'Consultations whose confidence met the threshold / those with a known threshold.',
  ),
  agreement: doc(v.nullable(finite), 'Mean agreement between experts, 0..1.'),
  confidenceTrend: Trend,
  meetsThresholdTrend: Trend,
  days: v.array(
    v.strictObject({
      day: isoDay,
      span: v.picklist([1, 7]),
      consultations: count,
      meets: count,
      below: count,
      confidence: v.nullable(finite),
    }),
  ),
});

export const CalibrationBin = v.strictObject({
  decile: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(9)),
  confidence: doc(share, "The decile's midpoint (0.05 … 0.95), standing for every confidence in it."),
  n: count,
  successes: count,
  observed: doc(v.nullable(Rate), 'How often the advised step succeeded.'),
});

export const CalibrationDomain = v.strictObject({
  domain: Label,
  linked: doc(count, 'Consultations whose advised step outcome is known.'),
  meanConfidence: share,
  successRate: v.nullable(Rate),
  gap: doc(
    v.nullable(Interval),
    'meanConfidence − success rate, interval from a `method.trendConfidence` Wilson interval: > 0 is over-confident.',
  ),
  brier: doc(v.nullable(share), 'Mean squared error of the stated confidence against the outcome (0 best).'),
  brierReference: doc(v.nullable(share), 'The Brier score of always stating the observed success rate.'),
  ece: doc(v.nullable(share), 'Expected calibration error: Σ n_bin/N · |observed − confidence|.'),
  verdict: v.picklist(['calibrated', 'over-confident', 'under-confident', 'not-enough-data']),
  summary: v.pipe(v.string(), v.maxLength(2000)),
  bins: doc(v.array(CalibrationBin), 'The reliability diagram: ten deciles.'),
});

export const Calibration = v.strictObject({
  state: v.picklist(['recorded', 'empty']),
  reason: v.nullable(v.string()),
  domains: v.array(CalibrationDomain),
});

export const StoreHealth = v.strictObject({
  store: Label,
  state: doc(
    v.picklist(['live', 'dormant', 'missing']),
    'live: records read; dormant: present, no records; missing: never seen.',
  ),
  records: count,
  skipped: doc(count, 'Malformed lines or files skipped (see `learning status` for where).'),
  lastDay: doc(v.nullable(isoDay), 'Day of the newest record.'),
  files: v.nullable(count),
});

export const HooksStatus = v.strictObject({
  file: v.picklist(['present', 'missing', 'unreadable']),
  collector: doc(v.boolean(), 'An enabled hook whose command runs `learning collect`.'),
  events: doc(
    v.array(
      v.picklist(['SessionStart', 'SessionEnd', 'UserPromptSubmit', 'PostToolUse', 'WorkflowComplete']),
    ),
    'Events that run it.',
  ),
});

export const Health = v.strictObject({
  stores: v.array(StoreHealth),
  hooks: doc(v.nullable(HooksStatus), 'Null for an aggregate of many projects.'),
  lastCollectAt: v.nullable(v.pipe(v.string(), v.isoTimestamp())),
  eventsSeen: v.nullable(count),
  duplicates: v.nullable(count),
  rejected: v.nullable(count),
  overflow: doc(LabelCounts, 'Observations whose label went to `__other__` because a dimension was full.'),
});

export const ProjectVerdict = v.strictObject({
  status: doc(
    v.picklist(['learning-active', 'stalled', 'not-recorded', 'not-enough-data']),
    'learning-active: at least one capability improves and no more degrade than improve. stalled: capabilities ' +
      'with enough data but none improving (or more degrading). not-recorded: no task recorded. not-enough-data: ' +
      'tasks recorded, no capability with a verdict yet. Improving and degrading count here only when they survive ' +
      'the Holm correction (family-wise error method.familywiseError) across the capabilities tested.',
  ),
  reason: doc(
    v.pipe(v.string(), v.maxLength(2000)),
    'One line naming the capabilities that drive the verdict.',
  ),
  improving: v.array(Label),
  degrading: v.array(Label),
  flat: v.array(Label),
  withinChance: doc(
    v.array(Label),
    'Capabilities whose own verdict is improving or degrading but whose trend does not survive the Holm ' +
      'correction across every capability tested: as many such results are expected from chance alone.',
  ),
  notEnoughData: v.array(Label),
  runsNeeded: doc(v.nullable(count), 'With not-enough-data: runs the closest capability still needs.'),
  overconfidentDomains: doc(
    v.array(Label),
    'Expert domains whose stated confidence exceeds their success rate.',
  ),
  notes: v.array(v.pipe(v.string(), v.maxLength(2000))),
});

export const Dashboard = v.pipe(
  v.strictObject({
    schemaVersion: v.literal(DASHBOARD_SCHEMA_VERSION),
    generatedAt: v.pipe(v.string(), v.isoTimestamp()),
    verdict: doc(
      ProjectVerdict,
      'The answer first: is the framework learning, and which capabilities say so.',
    ),
    filter: v.strictObject({
      capability: v.nullable(Label),
      since: v.nullable(isoDay),
      allTime: doc(
        v.array(v.string()),
        'With `since`: figures the rollup keeps without days, shown for all time (durations, quality quantiles, errors…).',
      ),
    }),
    period: doc(
      v.strictObject({ firstDay: v.nullable(isoDay), lastDay: v.nullable(isoDay), days: count }),
      'UTC days from the first to the last recorded day (from `filter.since` on, when set).',
    ),
    totals: doc(
      v.strictObject({
        tasks: count,
        successes: count,
        failures: count,
        skips: count,
        workflowRuns: count,
        consultations: count,
        capabilities: count,
        workflowTypes: count,
        expertDomains: count,
      }),
      'Tasks, successes, failures and skips of the capabilities shown; workflow runs and consultations of the period.',
    ),
    capabilities: doc(v.array(CapabilityReport), 'Most runs first.'),
    failures: Failures,
    security: Security,
    patterns: CountsSection,
    decisions: CountsSection,
    experts: v.array(ExpertDomain),
    calibration: Calibration,
    health: Health,
    method: doc(
      v.strictObject({
        rateConfidence: share,
        trendConfidence: share,
        minRunsPerWindow: count,
        minRateChange: share,
        minScoreChange: finite,
        minLinkedConsultations: count,
        minCalibrationGap: share,
        familywiseError: doc(
          share,
          'The Holm correction of the project verdict: the chance, at most, that any capability drives it by chance.',
        ),
      }),
      'The statistical settings behind every interval and verdict.',
    ),
  }),
  v.description(
    'The model of `tapps-agents learning dashboard --json`, computed from anonymized rollups only. The terminal ' +
      'and HTML dashboards draw exactly these numbers.',
  ),
);

export type Dashboard = v.InferOutput<typeof Dashboard>;
export type ProjectVerdict = v.InferOutput<typeof ProjectVerdict>;
export type CapabilityReport = v.InferOutput<typeof CapabilityReport>;
export type Trend = v.InferOutput<typeof Trend>;
export type TrendWindow = v.InferOutput<typeof TrendWindow>;
export type TrendVerdict = v.InferOutput<typeof TrendVerdict>;
export type Rate = v.InferOutput<typeof Rate>;
export type Interval = v.InferOutput<typeof Interval>;
export type DayPoint = v.InferOutput<typeof DayPoint>;
export type Distribution = v.InferOutput<typeof Distribution>;
export type Failures = v.InferOutput<typeof Failures>;
export type ErrorCount = v.InferOutput<typeof ErrorCount>;
export type Security = v.InferOutput<typeof Security>;
export type CountsSection = v.InferOutput<typeof CountsSection>;
export type ExpertDomain = v.InferOutput<typeof ExpertDomain>;
export type Calibration = v.InferOutput<typeof Calibration>;
export type CalibrationDomain = v.InferOutput<typeof CalibrationDomain>;
export type CalibrationBin = v.InferOutput<typeof CalibrationBin>;
export type Health = v.InferOutput<typeof Health>;
export type HooksStatus = v.InferOutput<typeof HooksStatus>;
export type StoreHealth = v.InferOutput<typeof StoreHealth>;

export const DASHBOARD_SCHEMA_FILE = 'learning-dashboard.v1.schema.json';

/**
 * The JSON Schema (2020-12) of `learning dashboard --json`, for schema/emit.ts to write next to the
 * export's. The converter is a dev dependency, so it is loaded here on demand and never by the CLI,
 * which imports this file for validation. `finite` is left out: every JSON number is finite.
 */
export async function dashboardJsonSchema(): Promise<Record<string, unknown>> {
  const { toJsonSchema } = await import('@valibot/to-json-schema');
  return {
    $id: `https://github.com/tapps-agents/learning/schema/${DASHBOARD_SCHEMA_FILE}`,
    title: 'TappsCodingAgents learning dashboard (tapps-agents learning dashboard --json), version 1',
    ...toJsonSchema(Dashboard, { target: 'draft-2020-12', errorMode: 'throw', ignoreActions: ['finite'] }),
  };
}
