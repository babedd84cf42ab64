import * as v from 'valibot';

/**
 * Raw host events. They may carry sensitive values (paths, messages, prompts) and are never stored:
 * lib/privacy/observe.ts copies only allow-listed, bounded fields out of them.
 * Objects are loose so that hosts may attach more fields; those are ignored, never persisted.
 */

const isoTime = v.pipe(v.string(), v.isoTimestamp());
const nonNegative = v.pipe(v.number(), v.minValue(0));

export const TaskStatus = v.picklist(['success', 'failure', 'skipped']);

export const WorkflowRef = v.looseObject({
  id: v.optional(v.string()),
  type: v.optional(v.string()),
  name: v.optional(v.string()),
});

export const QualityScores = v.record(v.string(), v.number());

export const TaskCompletedEvent = v.looseObject({
  /** Stable de-duplication key: the same task reported twice (e.g. by two stores) has the same id. */
  id: v.pipe(v.string(), v.minLength(1)),
  /** Where the event came from: `in-process` or a store name of lib/sources. */
  source: v.string(),
  agent: v.string(),
  action: v.optional(v.string()),
  status: TaskStatus,
  startedAt: v.optional(isoTime),
  finishedAt: v.optional(isoTime),
  durationMs: v.optional(nonNegative),
  /** 1 for the first try, 2 for the first retry, … */
  attempt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** Overall quality, 0..100. */
  qualityScore: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
  /** Sub-scores (complexity, security, …), 0..100. */
  qualityScores: v.optional(QualityScores),
  errorType: v.optional(v.string()),
  errorMessage: v.optional(v.string()),
  workflow: v.optional(WorkflowRef),
  stepId: v.optional(v.string()),
  files: v.optional(v.array(v.string())),
  patternsUsed: v.optional(v.array(v.looseObject({ type: v.string(), id: v.optional(v.string()) }))),
  decision: v.optional(
    v.looseObject({
      kind: v.string(),
      chosen: v.optional(v.string()),
      alternatives: v.optional(v.array(v.string())),
      reason: v.optional(v.string()),
      confidence: v.optional(v.number()),
    }),
  ),
  securityFindings: v.optional(v.array(v.looseObject({ ruleId: v.string(), severity: v.string() }))),
  metadata: v.optional(v.record(v.string(), v.unknown())),
});

export const WorkflowStatus = v.picklist(['completed', 'failed', 'cancelled', 'paused', 'blocked']);

export const WorkflowCompletedEvent = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1)),
  source: v.string(),
  workflow: WorkflowRef,
  status: WorkflowStatus,
  startedAt: v.optional(isoTime),
  finishedAt: v.optional(isoTime),
  durationMs: v.optional(nonNegative),
  stepsTotal: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  stepsCompleted: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  stepsFailed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  errorType: v.optional(v.string()),
  errorMessage: v.optional(v.string()),
  metadata: v.optional(v.record(v.string(), v.unknown())),
});

export const ConsultationEvent = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1)),
  source: v.string(),
  expertId: v.string(),
  domain: v.string(),
  /** The answering expert's own confidence, 0..1. */
  confidence: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  /**
   * The consultation's combined confidence, 0..1: what the asking agent received and compared with
   * the threshold. Calibration measures this one when it is known (the agent acted on it).
   */
  combinedConfidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  threshold: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  meetsThreshold: v.optional(v.boolean()),
  agreementLevel: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  numExperts: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  selectionReason: v.optional(v.string()),
  /** The agent that asked. */
  agent: v.optional(v.string()),
  at: v.optional(isoTime),
  /** Links the consultation to the step it advised, when the store says so. */
  workflow: v.optional(WorkflowRef),
  stepId: v.optional(v.string()),
  sessionId: v.optional(v.string()),
  query: v.optional(v.string()),
  metadata: v.optional(v.record(v.string(), v.unknown())),
});

export const SessionInfo = v.looseObject({
  sessionId: v.string(),
  projectRoot: v.string(),
  /** What started the session: a CLI command name, `collect`, `in-process`, … */
  trigger: v.optional(v.string()),
  startedAt: v.optional(isoTime),
});

export type TaskStatus = v.InferOutput<typeof TaskStatus>;
export type WorkflowStatus = v.InferOutput<typeof WorkflowStatus>;
export type TaskCompletedEvent = v.InferOutput<typeof TaskCompletedEvent>;
export type WorkflowCompletedEvent = v.InferOutput<typeof WorkflowCompletedEvent>;
export type ConsultationEvent = v.InferOutput<typeof ConsultationEvent>;
export type SessionInfo = v.InferOutput<typeof SessionInfo>;
