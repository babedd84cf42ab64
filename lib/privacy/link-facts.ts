import type { ConsultationEvent, TaskCompletedEvent } from '../../schema/events.ts';
import { agentLabel, isText } from './observe.ts';
import type { Pseudonymize } from './pseudonym.ts';

/**
 * The allow-list of the calibration join: what it may keep from a raw event to tell which step a
 * consultation advised. An agent label, instants in milliseconds and a keyed pseudonym of the
 * (workflow id, step id) pair; workflow ids carry a start time and step ids can be project words, so
 * the pair never stays readable.
 */
export interface StepFacts {
  agent: string;
  start?: number;
  end?: number;
  step?: string;
}

export interface ConsultationFacts {
  /** The combined confidence the agent received, 0..100, when the event says. */
  combined?: number;
  agent?: string;
  at?: number;
  step?: string;
}

export function stepFacts(e: TaskCompletedEvent, p: Pseudonymize): StepFacts | null {
  if (!isText(e.agent)) return null;
  const f: StepFacts = { agent: agentLabel(e.agent, p) };
  const duration = typeof e.durationMs === 'number' && e.durationMs >= 0 ? e.durationMs : undefined;
  let start = instantOf(e.startedAt);
  let end = instantOf(e.finishedAt);
  if (start === undefined && end !== undefined && duration !== undefined) start = end - Math.round(duration);
  if (end === undefined && start !== undefined && duration !== undefined) end = start + Math.round(duration);
  if (start !== undefined && end !== undefined && start <= end) {
    f.start = start;
    f.end = end;
  }
  const step = stepKey(e.workflow, e.stepId, p);
  if (step) f.step = step;
  return f;
}

export function consultationFacts(e: ConsultationEvent, p: Pseudonymize): ConsultationFacts {
  const f: ConsultationFacts = {};
  const combined = e.combinedConfidence;
  if (typeof combined === 'number' && combined >= 0 && combined <= 1) f.combined = combined * 100;
  if (isText(e.agent)) f.agent = agentLabel(e.agent, p);
  const at = instantOf(e.at);
  if (at !== undefined) f.at = at;
  const step = stepKey(e.workflow, e.stepId, p);
  if (step) f.step = step;
  return f;
}

function stepKey(workflow: unknown, stepId: unknown, p: Pseudonymize): string | undefined {
  const id = workflow && typeof workflow === 'object' ? (workflow as { id?: unknown }).id : undefined;
  if (!isText(id) || !isText(stepId)) return undefined;
  return p('step', `${id.trim()}\u0000${stepId.trim()}`);
}

function instantOf(x: unknown): number | undefined {
  if (!isText(x)) return undefined;
  const ms = Date.parse(x);
  return Number.isFinite(ms) ? ms : undefined;
}
