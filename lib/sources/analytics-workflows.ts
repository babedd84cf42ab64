import type { WorkflowCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { bool, int, num, type Rec, str } from './fields.ts';
import { workflowEventId } from './ids.ts';
import { readJsonlFiles } from './jsonl-files.ts';
import { isoOf, parseMs, secondsToMs } from './timestamps.ts';
import { workflowRef } from './workflow-ref.ts';

const STORE = 'analytics-workflows';

/**
 * Workflow history (`analytics/history/workflows-YYYY-MM-DD.jsonl`; written by the Cursor executor
 * for runs that end `completed` or `failed`; timestamps naive local in 3.6, aware UTC in 3.7).
 * `duration` is in seconds; `steps` is the number of steps the workflow defines.
 */
export async function readAnalyticsWorkflows(ctx: RunContext): Promise<void> {
  await readJsonlFiles(ctx, STORE, 'analytics/history', /^workflows-.*\.jsonl$/, (r, rel, line) =>
    record(ctx, r, rel, line),
  );
}

function record(ctx: RunContext, r: Rec, rel: string, line: number): void | Promise<void> {
  const wf = str(r, 'workflow_id', 512);
  const ok = bool(r, 'success');
  if (!wf || ok === undefined) {
    ctx.problem(STORE, rel, line, 'workflow record without workflow_id or success');
    return;
  }
  const ms = parseMs(str(r, 'timestamp', 64), 'local', ctx.zone);
  const n = ctx.next(`${STORE}\n${wf}`, ms);
  const w: WorkflowCompletedEvent = {
    id: workflowEventId(wf, n),
    source: STORE,
    workflow: workflowRef(wf, str(r, 'workflow_name', 512)),
    status: ok ? 'completed' : 'failed',
  };
  const finishedAt = isoOf(ms);
  if (finishedAt) w.finishedAt = finishedAt;
  const seconds = num(r, 'duration');
  if (seconds !== undefined && seconds >= 0) {
    w.durationMs = secondsToMs(seconds);
    if (ms !== undefined) w.startedAt = isoOf(ms - w.durationMs) as string;
  }
  const steps = int(r, 'steps');
  if (steps !== undefined && steps >= 0) w.stepsTotal = steps;
  return ctx.emit(STORE, { kind: 'workflow', event: w }, ms, true);
}
