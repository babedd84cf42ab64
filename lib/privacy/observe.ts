import type { ConsultationEvent, TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import type {
  ConsultationObservation,
  TaskObservation,
  WorkflowObservation,
} from '../../schema/observation.ts';
import { dayOfDate, utcDay } from './day.ts';
import { errorLabel } from './error-type.ts';
import {
  FRAMEWORK_ACTIONS,
  FRAMEWORK_AGENTS,
  FRAMEWORK_DOMAINS,
  FRAMEWORK_EXPERTS,
  FRAMEWORK_WORKFLOWS,
  PATTERN_TYPES,
  SELECTION_REASONS,
  SEVERITIES,
  SUB_SCORES,
} from './known-names.ts';
import { languagesOf } from './language.ts';
import { normalizeName } from './names.ts';
import type { Pseudonymize } from './pseudonym.ts';

export interface ObserveContext {
  pseudonymize: Pseudonymize;
  /** The day of an event that carries no usable time. */
  now: Date;
}

/** Longest duration we believe; longer ones are clock errors and would skew every quantile. */
const MAX_DURATION_MS = 7 * 86_400_000;
const MAX_LIST = 64;

/**
 * The allow-list. Each observe* function copies typed, bounded fields from a raw event and nothing
 * else: enums, numbers, framework names, keyed pseudonyms, a UTC day. Free text (messages, prompts,
 * reasons, paths, metadata) has no way through. Events come from other programs, so every field is
 * type-checked here instead of trusting the schema; null means the event cannot be observed.
 */
export function observeTask(e: TaskCompletedEvent, ctx: ObserveContext): TaskObservation | null {
  if (!isText(e.agent) || !isStatus(e.status)) return null;
  const o: TaskObservation = {
    kind: 'task',
    capability: capabilityLabel(e.agent, isText(e.action) ? e.action : undefined, ctx.pseudonymize),
    status: e.status,
    day: dayFor(e.finishedAt, e.startedAt, ctx.now),
    attempt: isCount(e.attempt) && e.attempt >= 1 ? e.attempt : 1,
  };
  const duration = durationOf(e.durationMs, e.startedAt, e.finishedAt);
  if (duration !== undefined) o.durationMs = duration;
  if (isScore(e.qualityScore)) o.quality = e.qualityScore;
  const sub = subScoresOf(e.qualityScores);
  if (sub) o.subScores = sub;
  if (e.status === 'failure') {
    const err = errorLabel(textOrUndefined(e.errorType), textOrUndefined(e.errorMessage));
    if (err) o.errorType = err;
  }
  const wf = workflowLabel(e.workflow, ctx.pseudonymize);
  if (wf) o.workflowType = wf;
  if (Array.isArray(e.files)) o.languages = languagesOf(e.files.filter(isText));
  if (Array.isArray(e.patternsUsed)) {
    // Once per task: a count in an export must be a number of runs for the k-threshold to hold.
    o.patterns = distinct(
      e.patternsUsed
        .slice(0, MAX_LIST)
        .map((p) => (p && isText(p.type) ? normalizeName(p.type) : ''))
        .map((t) => (PATTERN_TYPES.has(t) ? t : 'other')),
      (t) => t,
    );
  }
  if (e.decision && isText(e.decision.kind))
    o.decision = ctx.pseudonymize('decision', normalizeName(e.decision.kind));
  if (Array.isArray(e.securityFindings)) {
    o.security = distinct(
      e.securityFindings.slice(0, MAX_LIST).map((f) => ({
        rule: ruleLabel(f?.ruleId, ctx.pseudonymize),
        severity:
          isText(f?.severity) && SEVERITIES.has(normalizeName(f.severity))
            ? normalizeName(f.severity)
            : 'unknown',
      })),
      (f) => `${f.rule}|${f.severity}`,
    );
  }
  return o;
}

export function observeWorkflow(e: WorkflowCompletedEvent, ctx: ObserveContext): WorkflowObservation | null {
  const type = workflowLabel(e.workflow, ctx.pseudonymize);
  if (!type || !isOutcome(e.status)) return null;
  const o: WorkflowObservation = {
    kind: 'workflow',
    workflowType: type,
    outcome: e.status,
    day: dayFor(e.finishedAt, e.startedAt, ctx.now),
  };
  const duration = durationOf(e.durationMs, e.startedAt, e.finishedAt);
  if (duration !== undefined) o.durationMs = duration;
  if (isCount(e.stepsTotal)) o.stepsTotal = e.stepsTotal;
  if (isCount(e.stepsCompleted)) o.stepsCompleted = e.stepsCompleted;
  if (isCount(e.stepsFailed)) o.stepsFailed = e.stepsFailed;
  if (e.status === 'failed' || e.status === 'blocked') {
    const err = errorLabel(textOrUndefined(e.errorType), textOrUndefined(e.errorMessage));
    if (err) o.errorType = err;
  }
  return o;
}

export function observeConsultation(
  e: ConsultationEvent,
  ctx: ObserveContext,
): ConsultationObservation | null {
  if (!isText(e.domain) || !isText(e.expertId) || typeof e.confidence !== 'number') return null;
  if (!(e.confidence >= 0 && e.confidence <= 1)) return null;
  const domain = normalizeName(e.domain);
  const expert = normalizeName(e.expertId);
  const o: ConsultationObservation = {
    kind: 'consultation',
    domain: FRAMEWORK_DOMAINS.has(domain) ? domain : ctx.pseudonymize('domain', domain),
    expert: FRAMEWORK_EXPERTS.has(expert) ? expert : ctx.pseudonymize('expert', expert),
    confidence: e.confidence * 100,
    day: dayFor(e.at, undefined, ctx.now),
  };
  if (typeof e.meetsThreshold === 'boolean') o.meetsThreshold = e.meetsThreshold;
  else if (typeof e.threshold === 'number') o.meetsThreshold = e.confidence >= e.threshold;
  if (typeof e.agreementLevel === 'number' && e.agreementLevel >= 0 && e.agreementLevel <= 1)
    o.agreement = e.agreementLevel;
  if (isText(e.selectionReason)) {
    const reason = normalizeName(e.selectionReason);
    o.selectionReason = SELECTION_REASONS.has(reason) ? reason : 'other';
  }
  if (isText(e.agent)) o.askedBy = agentLabel(e.agent, ctx.pseudonymize);
  return o;
}

/** A framework agent stays readable; a custom one becomes a pseudonym. */
export function agentLabel(agent: string, p: Pseudonymize): string {
  const a = normalizeName(agent);
  return FRAMEWORK_AGENTS.has(a) ? a : p('agent', a);
}

/** A framework agent and action stay readable; a custom action keeps its agent but not its name. */
export function capabilityLabel(agent: string, action: string | undefined, p: Pseudonymize): string {
  const a = normalizeName(agent);
  const act = action === undefined ? undefined : normalizeName(action);
  if (!FRAMEWORK_AGENTS.has(a)) return p('capability', act ? `${a}.${act}` : a);
  if (act === undefined || act === '') return a;
  return FRAMEWORK_ACTIONS.has(act) ? `${a}.${act}` : `${a}.${p('action', act)}`;
}

/** Workflow ids end with their start time (`rapid-dev-20260926-091432[-ffffff]`); the type is before. */
export function workflowTypeOf(ref: { id?: unknown; type?: unknown; name?: unknown }): string | undefined {
  const raw = isText(ref.type) ? ref.type : isText(ref.id) ? ref.id : undefined;
  if (raw === undefined) return undefined;
  let type = normalizeName(raw).replace(/-\d{8}-\d{6}(?:-\d{1,6})?$/, '');
  if (/^story-[\d.]+$/.test(type)) type = 'story';
  if (/^epic-\d+$/.test(type)) type = 'epic';
  return type || undefined;
}

function workflowLabel(ref: unknown, p: Pseudonymize): string | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  const type = workflowTypeOf(ref as Record<string, unknown>);
  if (type === undefined) return undefined;
  return FRAMEWORK_WORKFLOWS.has(type) ? type : p('workflow', type);
}

function ruleLabel(ruleId: unknown, p: Pseudonymize): string {
  if (!isText(ruleId)) return 'unknown';
  const id = ruleId.trim();
  // Scanner rule ids (bandit B105, CWE-798) are public catalogue entries, not project data.
  if (/^(?:B\d{3}|CWE-\d{1,5})$/i.test(id)) return id.toUpperCase();
  return p('rule', normalizeName(id));
}

function subScoresOf(scores: unknown): Record<string, number> | undefined {
  if (!scores || typeof scores !== 'object') return undefined;
  const out: Record<string, number> = {};
  let n = 0;
  for (const [k, value] of Object.entries(scores)) {
    const name = normalizeName(k);
    if (SUB_SCORES.has(name) && isScore(value)) {
      out[name] = value;
      n++;
    }
  }
  return n > 0 ? out : undefined;
}

function dayFor(finished: unknown, started: unknown, now: Date): number {
  return utcDay(textOrUndefined(finished)) ?? utcDay(textOrUndefined(started)) ?? dayOfDate(now);
}

function durationOf(ms: unknown, started: unknown, finished: unknown): number | undefined {
  let d: number | undefined;
  if (typeof ms === 'number' && Number.isFinite(ms)) d = ms;
  else if (isText(started) && isText(finished)) d = Date.parse(finished) - Date.parse(started);
  return d !== undefined && Number.isFinite(d) && d >= 0 && d <= MAX_DURATION_MS ? d : undefined;
}

function distinct<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const id = key(item);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function isText(x: unknown): x is string {
  return typeof x === 'string' && x.trim() !== '';
}

function textOrUndefined(x: unknown): string | undefined {
  return isText(x) ? x : undefined;
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function isScore(x: unknown): x is number {
  return typeof x === 'number' && x >= 0 && x <= 100;
}

function isStatus(x: unknown): x is TaskObservation['status'] {
  return x === 'success' || x === 'failure' || x === 'skipped';
}

function isOutcome(x: unknown): x is WorkflowObservation['outcome'] {
  return x === 'completed' || x === 'failed' || x === 'cancelled' || x === 'paused' || x === 'blocked';
}
