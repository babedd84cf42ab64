import type { WorkflowCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { arr, asRec, type Rec, rec, str } from './fields.ts';
import { workflowEventId } from './ids.ts';
import { workflowStatus } from './statuses.ts';
import { isoOf, parseMs } from './timestamps.ts';
import { parseWholeJson, readWhole } from './whole-file.ts';
import { workflowRef } from './workflow-ref.ts';

const STORE = 'cursor-state';
const DIR = 'workflow-state';
/** `<workflow_id>.json`, the id ending in its start time (with microseconds since v3.6). */
const STATE_NAME = /-\d{8}-\d{6}(?:-\d{6})?\.json$/;
/** A headless snapshot is `<workflow_id>-<YYYYmmdd-HHMMSS>.json`: two times. */
const SNAPSHOT_NAME = /-\d{8}-\d{6}(?:-\d{6})?-\d{8}-\d{6}\.json$/;
const MAX_STATE = 32 << 20;

/**
 * The Cursor executor's state file `workflow-state/<wf>.json` (timestamps naive local). It is the only
 * store that records a Cursor run that ended `blocked` (a required step failed): the analytics history
 * is written for `completed` and `failed` only. A run is emitted when its state becomes terminal.
 */
export async function readCursorStates(ctx: RunContext): Promise<void> {
  const entries = await ctx.list(DIR);
  if (!entries) return;
  for (const e of entries) {
    if (!e.isFile() || !STATE_NAME.test(e.name) || SNAPSHOT_NAME.test(e.name)) continue;
    const rel = `${DIR}/${e.name}`;
    const old = ctx.files.get(rel);
    if (old?.kind === 'whole' && old.terminal !== undefined && ctx.isFrozen(old.mtimeMs)) {
      ctx.stats[STORE].present = true;
      continue;
    }
    const r = await readWhole(ctx, STORE, rel, old?.kind === 'whole' ? old : undefined, MAX_STATE);
    if (r.status === 'missing') continue;
    if (r.status === 'unchanged') {
      ctx.files.set(rel, r.cp);
      continue;
    }
    const parsed = parseWholeJson(ctx, STORE, rel, r);
    if (parsed === 'retry') continue;
    const s = parsed === 'bad' ? undefined : asRec(parsed.value);
    const wf = e.name.slice(0, -'.json'.length);
    // Other JSON files share the naming pattern; only an executor state names itself and lists executions.
    if (!s || str(s, 'workflow_id', 512) !== wf || !arr(s, 'step_executions')) {
      ctx.files.set(rel, { ...r.cp, terminal: false });
      continue;
    }
    ctx.stats[STORE].records += 1;
    const status = workflowStatus(str(s, 'status', 64));
    const wasTerminal = r.previous?.terminal === true;
    const n = (r.previous?.n ?? 0) + (status && !wasTerminal ? 1 : 0);
    ctx.files.set(rel, { ...r.cp, n, terminal: status !== undefined });
    if (!status || wasTerminal) continue;
    const w = workflowEvent(ctx, wf, s, status, n, r.cp.mtimeMs);
    const p = ctx.emit(STORE, { kind: 'workflow', event: w }, Date.parse(w.finishedAt ?? ''), true);
    if (p) await p;
  }
}

function workflowEvent(
  ctx: RunContext,
  wf: string,
  s: Rec,
  status: WorkflowCompletedEvent['status'],
  n: number,
  mtimeMs: number,
): WorkflowCompletedEvent {
  const vars = rec(s, 'variables');
  const name = vars && str(vars, 'workflow_name', 512);
  const startMs = parseMs(str(s, 'started_at', 64), 'local', ctx.zone);
  let endMs: number | undefined;
  const lastOutcome = new Map<string, string>();
  for (const x of arr(s, 'step_executions') ?? []) {
    const ex = asRec(x);
    if (!ex) continue;
    const done = parseMs(str(ex, 'completed_at', 64), 'local', ctx.zone);
    if (done !== undefined && (endMs === undefined || done > endMs)) endMs = done;
    const step = str(ex, 'step_id', 512);
    const st = str(ex, 'status', 64);
    if (step && st) lastOutcome.set(step, st);
  }
  endMs ??= mtimeMs;
  const w: WorkflowCompletedEvent = {
    id: workflowEventId(wf, n),
    source: STORE,
    workflow: workflowRef(wf, name),
    status,
    stepsCompleted: arr(s, 'completed_steps')?.length ?? 0,
    stepsFailed: [...lastOutcome.values()].filter((v) => v === 'failed').length,
  };
  const startedAt = isoOf(startMs);
  const finishedAt = isoOf(endMs);
  if (startedAt) w.startedAt = startedAt;
  if (finishedAt) w.finishedAt = finishedAt;
  if (startMs !== undefined && endMs >= startMs) w.durationMs = endMs - startMs;
  const error = str(s, 'error');
  if (error && status !== 'completed') w.errorMessage = error;
  return w;
}
