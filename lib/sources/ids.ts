import { normName } from './name-cache.ts';

/**
 * Stable event ids. A step is identified by its workflow, its step id and the ordinal of its outcome
 * among outcomes of the same class: `ok` (success, at most once per run) or `nok` (a failed or
 * skipped attempt). Every store can count those without knowing attempt numbers it does not record:
 * a FAILED marker overwritten by a second failure is still the second `nok` of its step, and a step
 * the event log calls skipped but the execution metrics call failed is the same `nok`.
 */
export type StepOutcome = 'ok' | 'nok';

export function stepKey(stepId: string): string {
  return normName(stepId);
}

export function stepEventId(workflowId: string, stepId: string, outcome: StepOutcome, n: number): string {
  return `step:${workflowId}:${stepKey(stepId)}:${outcome}:${n}`;
}

/** The n-th outcome of runs under one workflow id (an epic can rerun a story under the same id). */
export function workflowEventId(workflowId: string, n: number): string {
  return `wf:${workflowId}:${n}`;
}
