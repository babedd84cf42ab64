import type { AppendFileCheckpoint, EventLogState } from '../../schema/checkpoints.ts';
import type { TaskCompletedEvent, WorkflowCompletedEvent, WorkflowStatus } from '../../schema/events.ts';
import { followAppend } from './append-file.ts';
import { type RunContext, WINDOW_DAYS } from './context.ts';
import type { Entry } from './dir-listing.ts';
import { asRec, int, num, type Rec, rec, str, strings } from './fields.ts';
import { readHandoff } from './handoff.ts';
import { type StepOutcome, stepEventId, stepKey, workflowEventId } from './ids.ts';
import { parseRecord } from './json-line.ts';
import { normName } from './name-cache.ts';
import { readSmallFile } from './small-file.ts';
import { endsInFailure, workflowStatus } from './statuses.ts';
import { parseMs, setRun } from './timestamps.ts';
import { workflowRef } from './workflow-ref.ts';

const STORE = 'event-log';
const DIR = 'workflow-state/events';
const SUFFIX = '.events.jsonl';
const MAX_STATE_FILE = 16 << 20;
/** A third of a log is `artifact_created` lines (Python's json.dumps puts `event_type` first): not parsed. */
const ARTIFACT_LINE = Buffer.from('{"event_type": "artifact_created"');

export function emptyEventLogState(): EventLogState {
  return {
    outcomes: 0,
    open: false,
    hasSteps: false,
    attempts: [],
    openAttempts: [],
    completed: 0,
    failed: 0,
    ordinals: [],
    agents: [],
  };
}

function bump(list: [string, number][], key: string): number {
  for (const e of list) {
    if (e[0] === key) {
      e[1] += 1;
      return e[1];
    }
  }
  list.push([key, 1]);
  return 1;
}

function count(list: [string, number][], key: string): number {
  for (const e of list) if (e[0] === key) return e[1];
  return 0;
}

/** The step's agent and action as this log named them (the audit log, read later, needs them). */
export function agentOf(st: EventLogState, stepId: string): { agent: string; action?: string } | undefined {
  for (const [s, agent, action] of st.agents) if (s === stepId) return action ? { agent, action } : { agent };
  return undefined;
}

/**
 * Headless workflow event logs (`workflow-state/events/<wf>.events.jsonl`, timestamps `+00:00Z`).
 * One `step_finish`/`step_fail`/`step_skip` is one attempt of a step; `workflow_end` ends a run. A
 * run that ends with an exception has no `workflow_end`: its outcome is taken from the workflow's
 * SESSION_HANDOFF.md, and its attempts left without an outcome line (the executor's automatic
 * retries log only `step_start`) failed with it.
 */
export async function readEventLogs(ctx: RunContext): Promise<void> {
  const listed = await ctx.listing(DIR, STORE);
  if (!listed) return;
  const stats = ctx.stats[STORE];
  // Finished logs passed over last time, in a folder that has not changed since: still there.
  let done = listed.skipped;
  if (done > 0) {
    stats.present = true;
    stats.files += done;
  }
  const keep: Entry[] = [];
  const logs = listed.entries
    .filter((e) => e.isFile() && e.name.endsWith(SUFFIX))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of logs) {
    const name = entry.name;
    const rel = `${DIR}/${name}`;
    const fileWf = name.slice(0, -SUFFIX.length);
    const old = ctx.files.get(rel);
    // Thousands of finished workflows: a log read to its end whose run is over is not stat'ed again
    // once it is older than the window (an append to it after that would be missed).
    if (old?.kind === 'done' || (old?.kind === 'append' && finished(ctx, old))) {
      stats.present = true;
      stats.files += 1;
      done += 1;
      if (old.kind !== 'done') ctx.files.set(rel, DONE);
      continue;
    }
    const cp = old?.kind === 'append' ? old : undefined;
    let st = cp?.eventLog ?? emptyEventLogState();
    const reader = new EventLogReader(ctx, rel, fileWf);
    const next = await followAppend(ctx, STORE, rel, cp, {
      onStart: (fresh) => {
        if (fresh) st = emptyEventLogState();
      },
      onLine: (text, line) => reader.line(st, text, line),
      skip: ARTIFACT_LINE,
    });
    if (!next) {
      keep.push(entry);
      continue;
    }
    if (st.open) await reader.closeFromHandoff(st);
    // A frozen log is never read again, so its state is not needed either.
    if (st.open || !ctx.isFrozen(next.mtimeMs)) next.eventLog = st;
    // Finished as read now (no run state a later store of this run could look up): done at once.
    if (!next.eventLog && finished(ctx, next)) {
      ctx.files.set(rel, DONE);
      done += 1;
      continue;
    }
    ctx.files.set(rel, next);
    keep.push(entry);
  }
  ctx.remember(DIR, STORE, keep, done);
}

const DONE = { kind: 'done' } as const;

/** Read to its end, its run over, untouched for longer than the window. */
function finished(ctx: RunContext, cp: AppendFileCheckpoint): boolean {
  return cp.offset === cp.size && !cp.eventLog?.open && ctx.isFrozen(cp.mtimeMs);
}

class EventLogReader {
  constructor(
    private readonly ctx: RunContext,
    private readonly rel: string,
    private readonly fileWf: string,
  ) {}

  line(st: EventLogState, text: string, line: number): void | Promise<void> {
    const r = parseRecord(this.ctx, STORE, this.rel, line, text);
    if (!r) return;
    const type = str(r, 'event_type');
    if (!type) {
      this.ctx.problem(STORE, this.rel, line, 'no event_type');
      return;
    }
    const at = str(r, 'timestamp', 64);
    if (at) st.lastAt = at;
    switch (type) {
      case 'workflow_start':
        return this.start(st, r, at);
      case 'step_start':
        return this.stepStart(st, r, at, line);
      case 'step_finish':
        return this.stepEnd(st, r, at, line, 'success');
      case 'step_fail':
        return this.stepEnd(st, r, at, line, 'failure');
      case 'step_skip':
        return this.stepEnd(st, r, at, line, 'skipped');
      case 'workflow_end':
        return this.end(st, r, at, line);
      default:
        return;
    }
  }

  private wf(r: Rec): string {
    return str(r, 'workflow_id', 512) ?? this.fileWf;
  }

  private start(st: EventLogState, r: Rec, at: string | undefined): void {
    const meta = rec(r, 'metadata');
    // A story run logs `workflow_start` twice; a second start before any step is the same run.
    // An open run with steps that starts again was killed without an outcome: nothing to report.
    if (!(st.open && !st.hasSteps)) openRun(st, at);
    const name = meta && str(meta, 'workflow_name', 512);
    const version = meta && str(meta, 'workflow_version', 64);
    const steps = meta && int(meta, 'step_count');
    if (name !== undefined) st.name = name;
    if (version !== undefined) st.version = version;
    if (steps !== undefined && steps >= 0) st.stepCount = steps;
  }

  private ensureRun(st: EventLogState, at: string | undefined): void {
    // Step lines without a `workflow_start` (a log whose head was lost): still a run.
    if (!st.open) openRun(st, at);
  }

  private stepStart(st: EventLogState, r: Rec, at: string | undefined, line: number): void | Promise<void> {
    const step = this.enterStep(st, r, at, line);
    if (!step) return;
    const attempt = bump(st.attempts, step);
    const retried = takeOpen(st, step);
    st.openAttempts.push([step, attempt, at ?? '']);
    // The executor's automatic retries log only `step_start`: starting a step again means the
    // previous attempt failed.
    if (retried)
      return this.failOpen(st, this.wf(r), retried, parseMs(at, 'utc', this.ctx.zone), undefined, 'retried');
  }

  private failOpen(
    st: EventLogState,
    wf: string,
    [step, attempt, startAt]: [string, number, string],
    endMs: number | undefined,
    error: string | undefined,
    why: string,
  ): void | Promise<void> {
    const e = this.task(st, wf, step, 'nok', 'failure');
    e.attempt = attempt;
    const startMs = parseMs(startAt, 'utc', this.ctx.zone);
    setRun(e, startMs, endMs);
    if (error) e.errorMessage = error;
    e.metadata = { inferred: why };
    return this.ctx.emit(STORE, { kind: 'task', event: e }, endMs ?? startMs, true);
  }

  /** The step a step line names, its run opened and its agent remembered; none (reported) without. */
  private enterStep(st: EventLogState, r: Rec, at: string | undefined, line: number): string | undefined {
    const step = str(r, 'step_id', 512);
    if (!step) {
      this.ctx.problem(STORE, this.rel, line, 'step line without step_id');
      return undefined;
    }
    this.ensureRun(st, at);
    st.hasSteps = true;
    this.rememberAgent(st, step, r);
    return step;
  }

  private rememberAgent(st: EventLogState, step: string, r: Rec): void {
    const agent = str(r, 'agent', 256) ?? str(r, 'skill_name', 256);
    if (!agent) return;
    const action = str(r, 'action', 256) ?? '';
    const i = st.agents.findIndex((a) => a[0] === step);
    if (i >= 0) st.agents[i] = [step, agent, action];
    else if (st.agents.length < 256) st.agents.push([step, agent, action]);
  }

  private stepEnd(
    st: EventLogState,
    r: Rec,
    at: string | undefined,
    line: number,
    status: TaskCompletedEvent['status'],
  ): void | Promise<void> {
    const step = this.enterStep(st, r, at, line);
    if (!step) return;
    const open = takeOpen(st, step);
    const meta = rec(r, 'metadata');
    const attempt = open?.[1] || count(st.attempts, step) || (meta && int(meta, 'attempt')) || 1;
    const wf = this.wf(r);
    const ms = parseMs(at, 'utc', this.ctx.zone);
    const startMs = parseMs(open?.[2], 'utc', this.ctx.zone);
    const tool = rec(r, 'tool_call_summary');
    const toolMs = tool && num(tool, 'duration_ms');
    const e = this.task(st, wf, step, status === 'success' ? 'ok' : 'nok', status);
    e.attempt = attempt;
    setRun(e, startMs, ms, toolMs);
    const files = strings(r, 'artifact_paths');
    if (files && files.length > 0) e.files = files;
    const error = str(r, 'error') ?? (tool && str(tool, 'error'));
    if (error && status !== 'success') e.errorMessage = error;
    const behavior = meta && str(meta, 'behavior', 64);
    const raw = str(r, 'status', 64);
    if (behavior || raw) e.metadata = { ...(behavior ? { behavior } : {}), ...(raw ? { status: raw } : {}) };
    if (status === 'success') st.completed += 1;
    else if (status === 'failure' && raw !== 'retry') st.failed += 1;
    return this.ctx.emit(STORE, { kind: 'task', event: e }, ms ?? startMs, true);
  }

  private task(
    st: EventLogState,
    wf: string,
    step: string,
    outcome: StepOutcome,
    status: TaskCompletedEvent['status'],
  ): TaskCompletedEvent {
    const n = bump(st.ordinals, `${stepKey(step)}\n${outcome}`);
    const who = agentOf(st, step);
    const e: TaskCompletedEvent = {
      id: stepEventId(wf, step, outcome, n),
      source: STORE,
      agent: normName(who?.agent ?? 'unknown'),
      status,
      workflow: workflowRef(wf, st.name),
      stepId: step,
    };
    if (who?.action) e.action = normName(who.action);
    return e;
  }

  private async end(st: EventLogState, r: Rec, at: string | undefined, line: number): Promise<void> {
    const raw = str(r, 'status', 64);
    const status = workflowStatus(raw);
    if (!status) {
      this.ctx.problem(STORE, this.rel, line, 'workflow_end with an unknown status');
      return;
    }
    await this.close(st, this.wf(r), status, parseMs(at, 'utc', this.ctx.zone), str(r, 'error'));
  }

  private async close(
    st: EventLogState,
    wf: string,
    status: WorkflowStatus,
    endMs: number | undefined,
    error: string | undefined,
  ): Promise<void> {
    if (endsInFailure(status)) {
      for (const open of st.openAttempts) {
        st.failed += 1;
        const p = this.failOpen(st, wf, open, endMs, error, 'workflow-ended');
        if (p) await p;
      }
    }
    st.outcomes += 1;
    const startMs = parseMs(st.startedAt, 'utc', this.ctx.zone);
    const w: WorkflowCompletedEvent = {
      id: workflowEventId(wf, st.outcomes),
      source: STORE,
      workflow: workflowRef(wf, st.name),
      status,
      stepsCompleted: st.completed,
      stepsFailed: st.failed,
    };
    if (st.stepCount !== undefined) w.stepsTotal = st.stepCount;
    setRun(w, startMs, endMs);
    if (error && status !== 'completed') w.errorMessage = error;
    if (st.version) w.metadata = { workflowVersion: st.version };
    Object.assign(st, {
      open: false,
      hasSteps: false,
      attempts: [],
      openAttempts: [],
      completed: 0,
      failed: 0,
    });
    const p = this.ctx.emit(STORE, { kind: 'workflow', event: w }, endMs, true);
    if (p) await p;
  }

  /** Ends a run that logged no `workflow_end`, if the handoff was written after its last line. */
  async closeFromHandoff(st: EventLogState): Promise<void> {
    const wf = this.fileWf;
    const lastMs = parseMs(st.lastAt, 'utc', this.ctx.zone);
    const h = await readHandoff(this.ctx, `workflow-state/${wf}/SESSION_HANDOFF.md`, 'utc');
    const status = workflowStatus(h?.status);
    if (h && status && h.endedMs !== undefined && lastMs !== undefined && h.endedMs >= lastMs) {
      const error = status === 'completed' ? undefined : await this.stateError(wf);
      await this.close(st, wf, status, h.endedMs, error);
      return;
    }
    // A run killed without a handoff never ends; after the window it is no longer waited for.
    if (lastMs !== undefined && this.ctx.now - lastMs > WINDOW_DAYS * 86_400_000) {
      Object.assign(st, { open: false, hasSteps: false, attempts: [], openAttempts: [] });
    }
  }

  /** The error the last state snapshot recorded (`<wf>.meta.json` names the snapshot). */
  private async stateError(wf: string): Promise<string | undefined> {
    const meta = await readSmallJson(this.ctx.abs(`workflow-state/${wf}.meta.json`), 1 << 20);
    const file = meta && str(meta, 'state_file', 1024);
    if (!file) return undefined;
    const base = file.split(/[\\/]/).pop() ?? '';
    if (!base.startsWith(wf) || !base.endsWith('.json')) return undefined;
    const state = await readSmallJson(this.ctx.abs(`workflow-state/${base}`), MAX_STATE_FILE);
    return state && str(state, 'error');
  }
}

async function readSmallJson(path: string, max: number): Promise<Rec | undefined> {
  const bytes = readSmallFile(path, max);
  if (typeof bytes === 'string') return undefined;
  try {
    return asRec(JSON.parse(bytes.toString('utf8')));
  } catch {
    return undefined;
  }
}

/** The open attempt of `step`, taken out of the open list. */
function takeOpen(st: EventLogState, step: string): [string, number, string] | undefined {
  const open = st.openAttempts.find((a) => a[0] === step);
  if (open) st.openAttempts = st.openAttempts.filter((a) => a[0] !== step);
  return open;
}

/** A new run in this log: nothing of the previous one carries over. */
function openRun(st: EventLogState, at: string | undefined): void {
  Object.assign(st, {
    open: true,
    hasSteps: false,
    attempts: [],
    openAttempts: [],
    completed: 0,
    failed: 0,
    startedAt: at,
  });
}
