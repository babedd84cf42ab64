import type {
  ConsultationObservation,
  Observation,
  TaskObservation,
  WorkflowObservation,
} from '../../schema/observation.ts';
import type {
  CapabilityCell,
  Counts,
  ExpertCell,
  Rollup,
  SeriesCell,
  WorkflowCell,
} from '../../schema/rollup.ts';
import { emptyCapability, emptyExpert, emptyWorkflow } from './empty.ts';
import { foldRollupSeries } from './fold.ts';
import { boundedKey, LIMITS } from './limits.ts';
import { seriesCell } from './series.ts';
import { sketchAdd, toMilli } from './sketch.ts';

/**
 * Adds one observation. It mutates and returns `r` (an accumulator, as in a reduce): per-event cost
 * must stay in microseconds, so no copy is made. Only observations reach this function, never events.
 */
export function add(r: Rollup, o: Observation): Rollup {
  touchDay(r, o.day);
  if (o.kind === 'task') addTask(r, o);
  else if (o.kind === 'workflow') addWorkflow(r, o);
  else addConsultation(r, o);
  return r;
}

function touchDay(r: Rollup, day: number): void {
  if (r.firstDay === null || day < r.firstDay) r.firstDay = day;
  if (r.lastDay === null || day > r.lastDay) {
    r.lastDay = day;
    foldRollupSeries(r);
  }
}

/** A map's own entry: labels come from outside, and `constructor` must not find Object's. */
function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function bump(map: Counts, label: string, cap: number, r: Rollup, dimension: string): void {
  const key = boundedKey(map, label, cap);
  if (key !== label) r.overflow[dimension] = (own(r.overflow, dimension) ?? 0) + 1;
  map[key] = (own(map, key) ?? 0) + 1;
}

function addTask(r: Rollup, o: TaskObservation): void {
  r.tasks += 1;
  const capKey = boundedKey(r.capabilities, o.capability, LIMITS.capabilities);
  if (capKey !== o.capability) r.overflow.capabilities = (own(r.overflow, 'capabilities') ?? 0) + 1;
  let c = own(r.capabilities, capKey);
  if (!c) {
    c = emptyCapability();
    r.capabilities[capKey] = c;
  }
  c.runs += 1;
  const ok = o.status === 'success';
  if (ok) c.successes += 1;
  else if (o.status === 'failure') c.failures += 1;
  else c.skips += 1;
  if (o.attempt > 1) {
    c.retries += 1;
    if (ok) c.retrySuccesses += 1;
  }
  if (o.durationMs !== undefined) sketchAdd(c.durationMs, o.durationMs);
  const cell = seriesCell(c.series, o.day, r.lastDay ?? o.day);
  cell[0] += 1;
  if (ok) cell[1] += 1;
  else if (o.status === 'failure') cell[2] += 1;
  if (o.attempt > 1) cell[3] += 1;
  addAssessment(r, c, cell, o, ASSESSED_ALL);
  if (o.errorType !== undefined && o.status === 'failure')
    bump(c.errors, o.errorType, LIMITS.errors, r, 'errors');
  if (o.languages) {
    r.provided.files += 1;
    for (const lang of o.languages) bump(c.languages, lang, LIMITS.languages, r, 'languages');
  }
  if (o.decision !== undefined) {
    r.provided.decisions += 1;
    bump(c.decisions, o.decision, LIMITS.decisions, r, 'decisions');
  }
  if (o.security) {
    r.provided.security += 1;
    for (const f of o.security) bump(c.security, `${f.rule}|${f.severity}`, LIMITS.security, r, 'security');
  }
  if (o.workflowType !== undefined && o.status === 'failure') {
    bump(workflowCell(r, o.workflowType).stepFailures, capKey, LIMITS.stepFailures, r, 'stepFailures');
  }
}

/** Which assessments of a task an observation carries (bits), see `assessedBy`. */
export const ASSESSED = { quality: 1, subScores: 2, patterns: 4 } as const;
const ASSESSED_ALL = 7;

export function assessedBy(o: TaskObservation): number {
  return (
    (o.quality !== undefined ? ASSESSED.quality : 0) |
    (o.subScores ? ASSESSED.subScores : 0) |
    (o.patterns ? ASSESSED.patterns : 0)
  );
}

/**
 * A second report of a task already counted (the learner's memory of a step the event log
 * reported): its run is not counted again, but the quality, sub-scores and patterns the first
 * report lacked (`missing` bits) are added to the capability and day `o` names (the first report's).
 */
export function addSecondOpinion(r: Rollup, o: TaskObservation, missing: number): void {
  const c = own(r.capabilities, o.capability);
  if (c) addAssessment(r, c, seriesCell(c.series, o.day, r.lastDay ?? o.day), o, missing);
}

function addAssessment(
  r: Rollup,
  c: CapabilityCell,
  cell: SeriesCell,
  o: TaskObservation,
  which: number,
): void {
  if (o.quality !== undefined && which & ASSESSED.quality) {
    r.provided.quality += 1;
    sketchAdd(c.quality, o.quality);
    cell[4] += toMilli(o.quality);
    cell[5] += 1;
  }
  if (o.subScores && which & ASSESSED.subScores) {
    for (const [name, value] of Object.entries(o.subScores)) {
      const key = boundedKey(c.subScores, name, LIMITS.subScores);
      const sum = own(c.subScores, key) ?? [0, 0];
      sum[0] += toMilli(value);
      sum[1] += 1;
      c.subScores[key] = sum;
    }
  }
  if (o.patterns && which & ASSESSED.patterns) {
    r.provided.patterns += 1;
    for (const p of o.patterns) bump(c.patterns, p, LIMITS.patterns, r, 'patterns');
  }
}

function addWorkflow(r: Rollup, o: WorkflowObservation): void {
  r.workflowRuns += 1;
  const w = workflowCell(r, o.workflowType);
  w.runs += 1;
  w.outcomes[o.outcome] = (own(w.outcomes, o.outcome) ?? 0) + 1;
  if (o.durationMs !== undefined) sketchAdd(w.durationMs, o.durationMs);
  w.stepsTotal += o.stepsTotal ?? 0;
  w.stepsCompleted += o.stepsCompleted ?? 0;
  w.stepsFailed += o.stepsFailed ?? 0;
  if (o.errorType !== undefined) bump(w.errors, o.errorType, LIMITS.errors, r, 'errors');
  const cell = seriesCell(w.series, o.day, r.lastDay ?? o.day);
  cell[0] += 1;
  if (o.outcome === 'completed') cell[1] += 1;
  else if (o.outcome === 'failed' || o.outcome === 'blocked') cell[2] += 1;
}

/** A task can fail before its workflow's end is reported, so either may create the cell. */
function workflowCell(r: Rollup, type: string): WorkflowCell {
  const key = boundedKey(r.workflows, type, LIMITS.workflows);
  if (key !== type) r.overflow.workflows = (own(r.overflow, 'workflows') ?? 0) + 1;
  let w = own(r.workflows, key);
  if (!w) {
    w = emptyWorkflow();
    r.workflows[key] = w;
  }
  return w;
}

function addConsultation(r: Rollup, o: ConsultationObservation): void {
  r.consultationCount += 1;
  const e = expertCell(r, o.domain);
  e.consultations += 1;
  sketchAdd(e.confidence, o.confidence);
  if (o.meetsThreshold === true) e.meetsThreshold += 1;
  else if (o.meetsThreshold === false) e.belowThreshold += 1;
  if (o.agreement !== undefined) {
    e.agreementSumMilli += toMilli(o.agreement);
    e.agreementCount += 1;
  }
  bump(e.experts, o.expert, LIMITS.expertsPerDomain, r, 'experts');
  if (o.selectionReason !== undefined)
    bump(e.selectionReasons, o.selectionReason, LIMITS.selectionReasons, r, 'selectionReasons');
  if (o.askedBy !== undefined) bump(e.askedBy, o.askedBy, LIMITS.askedBy, r, 'askedBy');
  const cell = seriesCell(e.series, o.day, r.lastDay ?? o.day);
  cell[0] += 1;
  if (o.meetsThreshold === true) cell[1] += 1;
  else if (o.meetsThreshold === false) cell[2] += 1;
  cell[4] += toMilli(o.confidence);
  cell[5] += 1;
}

/**
 * One consultation linked to the step it advised (lib/rollup/link.ts), into its domain's
 * reliability table: [linked, advised step succeeded] per tenth of confidence.
 */
export function addCalibration(r: Rollup, domain: string, decile: number, ok: boolean): void {
  const e = expertCell(r, domain);
  const key = String(decile);
  const cell = own(e.calibration, key);
  e.calibration[key] = cell ? [cell[0] + 1, cell[1] + (ok ? 1 : 0)] : [1, ok ? 1 : 0];
  r.provided.calibration += 1;
}

/** A consultation may be linked in a later batch than it was counted, so either may create the cell. */
function expertCell(r: Rollup, domain: string): ExpertCell {
  const key = boundedKey(r.experts, domain, LIMITS.experts);
  if (key !== domain) r.overflow.experts = (own(r.overflow, 'experts') ?? 0) + 1;
  let e = own(r.experts, key);
  if (!e) {
    e = emptyExpert();
    r.experts[key] = e;
  }
  return e;
}
