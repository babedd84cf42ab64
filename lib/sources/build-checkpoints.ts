import type { TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { asRec, bool, int, rec, str } from './fields.ts';
import { parseHandoff } from './handoff.ts';
import { stepEventId, workflowEventId } from './ids.ts';
import { normName } from './name-cache.ts';
import { workflowStatus } from './statuses.ts';
import { parseMs, setRun } from './timestamps.ts';
import { readChanged, readWholeJson } from './whole-file.ts';
import { idWallTime, workflowRef } from './workflow-ref.ts';

const STORE = 'build-checkpoints';
const DIR = 'workflow-state';
const STEP_FILE = /^step(\d+)-(.+)\.json$/;
/** `step_output` holds the agent's whole result; the bound is generous. */
const MAX_CHECKPOINT = 32 << 20;
/** The build's first step is named for the action; every other step for its agent. */
const STEP_AGENT: ReadonlyMap<string, string> = new Map([['enhance', 'enhancer']]);

/**
 * `simple-mode build`: `workflow-state/build-<ts>/checkpoints/step<N>-<agent>.json` (one per step
 * that ran, `completed_at` naive local) and the build's SESSION_HANDOFF.md (`Build workflow
 * completed|failed. Steps: N.`). Of `step_output`, only `agent`, `command`, `success` and `error` are
 * read. Steps are keyed by agent, as the execution metrics key them.
 */
export async function readBuildCheckpoints(ctx: RunContext): Promise<void> {
  const listed = await ctx.listing(DIR, STORE);
  if (!listed) return;
  const builds = listed.entries.filter((d) => d.isDirectory() && d.name.startsWith('build-'));
  // Every build folder is stat'ed each run (a finished one can be resumed); the other ten thousand
  // entries of workflow-state/ are not listed again while it does not change.
  ctx.remember(DIR, STORE, builds, 0);
  for (const d of builds) {
    const dirRel = `${DIR}/${d.name}`;
    const dirMtime = ctx.dirToScan(STORE, dirRel);
    if (dirMtime === null) continue;
    let newest = dirMtime;
    const steps = ((await ctx.list(`${dirRel}/checkpoints`)) ?? [])
      .map((e) => ({ e, m: STEP_FILE.exec(e.name) }))
      .filter((x) => x.e.isFile() && x.m)
      .sort((a, b) => Number(a.m?.[1]) - Number(b.m?.[1]));
    // Build steps run one after another: each starts when the previous one completed (its
    // `completed_at` when read in this run, else its checkpoint's mtime), the first with the build.
    const wall = idWallTime(d.name);
    let previousEnd = wall === undefined ? undefined : ctx.zone.toUtc(wall);
    for (const { e } of steps) {
      const step = await readStep(ctx, d.name, `${dirRel}/checkpoints/${e.name}`, previousEnd);
      const m = step?.mtimeMs;
      if (m !== undefined && m > newest) newest = m;
      previousEnd = step?.endMs ?? m;
    }
    const m = await readBuildHandoff(ctx, d.name, `${dirRel}/SESSION_HANDOFF.md`);
    if (m !== undefined && m > newest) newest = m;
    ctx.dirs.set(dirRel, newest);
  }
}

async function readStep(
  ctx: RunContext,
  build: string,
  rel: string,
  startMs: number | undefined,
): Promise<{ mtimeMs: number; endMs?: number } | undefined> {
  const read = await readWholeJson(ctx, STORE, rel, MAX_CHECKPOINT);
  if (read.status === 'missing') return undefined;
  if (read.status !== 'changed') return { mtimeMs: read.cp.mtimeMs };
  const { r, parsed } = read;
  ctx.stats[STORE].records += 1;
  const n = (r.previous?.n ?? 0) + (parsed === 'bad' ? 0 : 1);
  ctx.files.set(rel, { ...r.cp, n });
  if (parsed === 'bad') return { mtimeMs: r.cp.mtimeMs };
  const c = asRec(parsed.value);
  const stepId = c && str(c, 'step_id', 256);
  if (!c || !stepId) {
    ctx.problem(STORE, rel, undefined, 'checkpoint without step_id');
    return { mtimeMs: r.cp.mtimeMs };
  }
  const wf = str(c, 'workflow_id', 512) ?? build;
  const out = rec(c, 'step_output') ?? {};
  const agent = str(out, 'agent', 256) ?? STEP_AGENT.get(stepId) ?? stepId;
  const action = str(out, 'command', 256) ?? (STEP_AGENT.has(stepId) ? stepId : undefined);
  const ok = bool(out, 'success') ?? true;
  const endMs = parseMs(str(c, 'completed_at', 64), 'local', ctx.zone);
  // A build runs each step once; a rewritten checkpoint (a resumed build) is the step's next run.
  const e: TaskCompletedEvent = {
    id: stepEventId(wf, agent, ok ? 'ok' : 'nok', n),
    source: STORE,
    agent: normName(agent),
    status: ok ? 'success' : 'failure',
    attempt: n,
    workflow: workflowRef(wf),
    stepId,
  };
  if (action) e.action = normName(action);
  setRun(e, startMs, endMs);
  const error = str(out, 'error');
  if (!ok && error) e.errorMessage = error;
  const num = int(c, 'step_number');
  if (num !== undefined) e.metadata = { stepNumber: num };
  const p = ctx.emit(STORE, { kind: 'task', event: e }, endMs, true);
  if (p) await p;
  return endMs === undefined ? { mtimeMs: r.cp.mtimeMs } : { mtimeMs: r.cp.mtimeMs, endMs };
}

async function readBuildHandoff(ctx: RunContext, build: string, rel: string): Promise<number | undefined> {
  const r = await readChanged(ctx, STORE, rel, 1 << 20);
  if (r.status === 'missing') return undefined;
  if (r.status === 'unchanged') return r.cp.mtimeMs;
  ctx.stats[STORE].records += 1;
  const h = parseHandoff(ctx, r.text, 'utc');
  const status = workflowStatus(h.status);
  if (!status) {
    ctx.problem(STORE, rel, undefined, 'handoff without a build outcome');
    ctx.files.set(rel, { ...r.cp, n: r.previous?.n ?? 0 });
    return r.cp.mtimeMs;
  }
  const n = (r.previous?.n ?? 0) + 1;
  ctx.files.set(rel, { ...r.cp, n });
  const wall = idWallTime(build);
  const startMs = wall === undefined ? undefined : ctx.zone.toUtc(wall);
  const w: WorkflowCompletedEvent = {
    id: workflowEventId(build, n),
    source: STORE,
    workflow: workflowRef(build),
    status,
  };
  setRun(w, startMs, h.endedMs);
  if (h.steps !== undefined) w.stepsTotal = h.steps;
  const p = ctx.emit(STORE, { kind: 'workflow', event: w }, h.endedMs, true);
  if (p) await p;
  return r.cp.mtimeMs;
}
