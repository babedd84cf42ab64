import * as v from 'valibot';
import { Label } from './rollup.ts';

/**
 * What the privacy allow-list lets through from a raw event (lib/privacy/observe.ts). Only labels
 * (framework names, enum values, pseudonyms), numbers and UTC day numbers: nothing here can carry
 * free text, a path or a secret, and only observations ever reach a rollup.
 */

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const score = v.pipe(v.number(), v.minValue(0), v.maxValue(100));
const day = count;

export const TaskObservation = v.strictObject({
  kind: v.literal('task'),
  capability: Label,
  status: v.picklist(['success', 'failure', 'skipped']),
  day,
  attempt: v.pipe(v.number(), v.integer(), v.minValue(1)),
  durationMs: v.optional(v.pipe(v.number(), v.minValue(0))),
  quality: v.optional(score),
  subScores: v.optional(v.record(Label, score)),
  errorType: v.optional(Label),
  workflowType: v.optional(Label),
  languages: v.optional(v.array(Label)),
  patterns: v.optional(v.array(Label)),
  decision: v.optional(Label),
  security: v.optional(v.array(v.strictObject({ rule: Label, severity: Label }))),
});

export const WorkflowObservation = v.strictObject({
  kind: v.literal('workflow'),
  workflowType: Label,
  outcome: v.picklist(['completed', 'failed', 'cancelled', 'paused', 'blocked']),
  day,
  durationMs: v.optional(v.pipe(v.number(), v.minValue(0))),
  stepsTotal: v.optional(count),
  stepsCompleted: v.optional(count),
  stepsFailed: v.optional(count),
  errorType: v.optional(Label),
});

export const ConsultationObservation = v.strictObject({
  kind: v.literal('consultation'),
  domain: Label,
  expert: Label,
  confidence: score,
  day,
  meetsThreshold: v.optional(v.boolean()),
  agreement: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  selectionReason: v.optional(Label),
  askedBy: v.optional(Label),
});

export const Observation = v.variant('kind', [TaskObservation, WorkflowObservation, ConsultationObservation]);

export type TaskObservation = v.InferOutput<typeof TaskObservation>;
export type WorkflowObservation = v.InferOutput<typeof WorkflowObservation>;
export type ConsultationObservation = v.InferOutput<typeof ConsultationObservation>;
export type Observation = v.InferOutput<typeof Observation>;
