import type { WholeFileCheckpoint } from '../../schema/checkpoints.ts';
import type { WorkflowCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import type { Entry } from './dir-listing.ts';
import { arr, asRec, type Rec, rec, str } from './fields.ts';
import { workflowEventId } from './ids.ts';
import { workflowStatus } from './statuses.ts';
import { parseMs, setRun } from './timestamps.ts';
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
  const listed = await ctx.listing(DIR, STORE);
  if (!listed) return;
  // Finished runs passed over last time, in a folder that has not changed since: still there.
  let done = listed.skipped;
  if (done > 0) ctx.stats[STORE].present = true;
  const keep: Entry[] = [];
  for (const e of listed.entries) {
    if (!e.isFile() || !STATE_NAME.test(e.name) || SNAPSHOT_NAME.test(e.name)) continue;
    const rel = `${DIR}/${e.name}`;
    const old = ctx.files.get(rel);
    if (old?.kind === 'done' || (old?.kind === 'whole' && finished(ctx, old))) {
      ctx.stats[STORE].present = true;
      done += 1;
      if (old.kind !== 'done') ctx.files.set(rel, DONE);
      continue;
    }
    const cp = await readState(ctx, rel, e.name, old?.kind === 'whole' ? old : undefined);
    // A terminal state untouched for longer than the window is not looked at again.
    if (cp && finished(ctx, cp)) {
      ctx.files.set(rel, DONE);
      done += 1;
      continue;
    }
    if (cp) ctx.files.set(rel, cp);
    keep.push(e);
  }
  ctx.remember(DIR, STORE, keep, done);
}

const DONE = { kind: 'done' } as const;

function finished(ctx: RunContext, cp: WholeFileCheckpoint): boolean {
  return cp.terminal !== undefined && ctx.isFrozen(cp.mtimeMs);
}

/** Reads one state file when it changed; the checkpoint to keep, or undefined to keep none. */
async function readState(
  ctx: RunContext,
  rel: string,
  name: string,
  old: WholeFileCheckpoint | undefined,
): Promise<WholeFileCheckpoint | undefined> {
  const r = await readWhole(ctx, STORE, rel, old, MAX_STATE);
  if (r.status === 'missing') return undefined;
  if (r.status === 'unchanged') return r.cp;
  const parsed = parseWholeJson(ctx, STORE, rel, r);
  if (parsed === 'retry') return undefined;
  const s = parsed === 'bad' ? undefined : asRec(parsed.value);
  const wf = name.slice(0, -'.json'.length);
  // Other JSON files share the naming pattern; only an executor state names itself and lists executions.
  if (!s || str(s, 'workflow_id', 512) !== wf || !arr(s, 'step_executions'))
    return { ...r.cp, terminal: false };
  ctx.stats[STORE].records += 1;
  const status = workflowStatus(str(s, 'status', 64));
  const wasTerminal = r.previous?.terminal === true;
  const n = (r.previous?.n ?? 0) + (status && !wasTerminal ? 1 : 0);
  const cp = { ...r.cp, n, terminal: status !== undefined };
  if (!status || wasTerminal) return cp;
  const w = workflowEvent(ctx, wf, s, status, n, r.cp.mtimeMs);
  const p = ctx.emit(STORE, { kind: 'workflow', event: w }, Date.parse(w.finishedAt ?? ''), true);
  if (p) await p;
  return cp;
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
  setRun(w, startMs, endMs);
  const error = str(s, 'error');
  if (error && status !== 'completed') w.errorMessage = error;
  return w;
}
