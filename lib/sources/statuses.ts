import type { TaskStatus, WorkflowStatus } from '../../schema/events.ts';

/**
 * Every store has its own status words (`completed|failed|…`, `success|failed|timeout|cancelled`,
 * `done|failed`, booleans). These map them onto the event enums; an unknown word maps to undefined so
 * the record is reported, not guessed.
 */
const WORKFLOW: ReadonlyMap<string, WorkflowStatus> = new Map([
  ['completed', 'completed'],
  ['complete', 'completed'],
  ['success', 'completed'],
  ['succeeded', 'completed'],
  ['done', 'completed'],
  ['failed', 'failed'],
  ['failure', 'failed'],
  ['error', 'failed'],
  ['timeout', 'failed'],
  ['cancelled', 'cancelled'],
  ['canceled', 'cancelled'],
  ['interrupted', 'cancelled'],
  ['paused', 'paused'],
  ['blocked', 'blocked'],
]);

const TASK: ReadonlyMap<string, TaskStatus> = new Map([
  ['success', 'success'],
  ['succeeded', 'success'],
  ['completed', 'success'],
  ['complete', 'success'],
  ['done', 'success'],
  ['ok', 'success'],
  ['failed', 'failure'],
  ['failure', 'failure'],
  ['error', 'failure'],
  ['timeout', 'failure'],
  // Interrupted work did not succeed; the framework's own success rates count it against the step.
  ['cancelled', 'failure'],
  ['canceled', 'failure'],
  ['partial', 'failure'],
  ['retry', 'failure'],
  ['escalate', 'failure'],
  ['fail', 'failure'],
  ['paused', 'failure'],
  ['skipped', 'skipped'],
  ['skip', 'skipped'],
]);

export function workflowStatus(raw: string | undefined): WorkflowStatus | undefined {
  return raw === undefined ? undefined : WORKFLOW.get(raw.trim().toLowerCase());
}

export function taskStatus(raw: string | undefined): TaskStatus | undefined {
  return raw === undefined ? undefined : TASK.get(raw.trim().toLowerCase());
}

/** Statuses that end a workflow without success, so its unfinished attempts failed with it. */
export function endsInFailure(s: WorkflowStatus): boolean {
  return s === 'failed' || s === 'blocked' || s === 'cancelled';
}
