import { statSync } from 'node:fs';
import type { TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { asRec, int, num, type Rec, rec, str } from './fields.ts';
import { stepEventId, stepKey, workflowEventId } from './ids.ts';
import { normName } from './name-cache.ts';
import { readSmallFile } from './small-file.ts';
import { isoOf, parseMs, secondsToMs } from './timestamps.ts';
import { SETTLE_MS } from './whole-file.ts';
import { workflowRef } from './workflow-ref.ts';

const STORE = 'event-bus';
const DIR = 'events';
/** `<workflow_id>-<epoch seconds.6f>-<event_type>.json`: the name carries the UTC time. */
const NAME = /^(.+)-(\d{9,11}(?:\.\d{1,9})?)-([a-z_]+)\.json$/;
/** Files whose epoch is this much older than the newest read are done (covers concurrent writers). */
const LAG_MS = 60_000;
const MAX_EVENT_FILE = 4 << 20;
const MAX_UNNAMED = 1000;
/** Types whose content matters; the others are counted by name alone. */
const READ = new Set([
  'workflow_started',
  'step_started',
  'step_completed',
  'step_failed',
  'workflow_completed',
  'workflow_failed',
]);

interface Candidate {
  name: string;
  wf: string;
  ms: number;
  type: string;
}

/**
 * Cursor-mode event-bus files (`events/*.json`, one pretty JSON file per event, never deleted by the
 * framework). Progress is a watermark on the epoch in the file names plus the names just above it,
 * so a directory of a hundred thousand events costs one listing, not one checkpoint per file.
 */
export async function readEventBus(ctx: RunContext): Promise<void> {
  const listed = await ctx.listing(DIR, STORE);
  if (!listed) return;
  const stats = ctx.stats[STORE];
  if (listed.remembered) {
    // No event file came or went since every one was read: nothing new, the watermark stands.
    stats.present = listed.skipped > 0;
    stats.files += listed.skipped;
    ctx.remember(DIR, STORE, [], listed.skipped);
    return;
  }
  const entries = listed.entries;
  const bus = ctx.bus ?? { watermark: 0, recent: [] };
  const recent = new Set(bus.recent);
  const todo: Candidate[] = [];
  const unnamed: string[] = [];
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.json')) continue;
    stats.present = true;
    stats.files += 1;
    const m = NAME.exec(e.name);
    if (!m) {
      if (!recent.has(e.name))
        ctx.problem(STORE, `${DIR}/${e.name}`, undefined, 'unrecognized event file name');
      unnamed.push(e.name);
      continue;
    }
    const ms = Number(m[2]) * 1000;
    if (ms < bus.watermark || recent.has(e.name)) continue;
    todo.push({ name: e.name, wf: m[1] as string, ms, type: m[3] as string });
  }
  todo.sort((a, b) => a.ms - b.ms || (a.name < b.name ? -1 : 1));
  const names = new Map<string, string>();
  let newest = bus.watermark + LAG_MS;
  let deferred = Number.POSITIVE_INFINITY;
  const done: Candidate[] = [];
  for (const c of todo) {
    const outcome = await readOne(ctx, c, names);
    if (outcome === 'retry') {
      deferred = Math.min(deferred, c.ms);
      continue;
    }
    done.push(c);
    stats.records += 1;
    if (c.ms > newest) newest = c.ms;
  }
  const watermark = Math.max(bus.watermark, Math.min(newest - LAG_MS, deferred - 1));
  const keep = new Set<string>();
  for (const name of recent) {
    const m = NAME.exec(name);
    if (m && Number(m[2]) * 1000 >= watermark) keep.add(name);
  }
  for (const c of done) if (c.ms >= watermark) keep.add(c.name);
  for (const name of unnamed.slice(0, MAX_UNNAMED)) keep.add(name);
  ctx.bus = { watermark, recent: [...keep].sort() };
  // Unless a file waits for a retry or unnamed files overflowed `recent` (they are reported again),
  // an unchanged folder means nothing to do next time.
  if (deferred === Number.POSITIVE_INFINITY && unnamed.length <= MAX_UNNAMED)
    ctx.remember(DIR, STORE, [], stats.files);
}

async function readOne(ctx: RunContext, c: Candidate, names: Map<string, string>): Promise<'ok' | 'retry'> {
  const stats = ctx.stats[STORE];
  if (!READ.has(c.type)) return 'ok';
  const rel = `${DIR}/${c.name}`;
  try {
    // One read per file, no stat: an event is a few hundred bytes.
    const bytes = readSmallFile(ctx.abs(rel), MAX_EVENT_FILE);
    // Vanished between the listing and the read.
    if (bytes === 'missing') return 'ok';
    if (bytes === 'too big') {
      ctx.problem(STORE, rel, undefined, `file larger than ${MAX_EVENT_FILE} bytes`);
      return 'ok';
    }
    stats.bytesTotal += bytes.length;
    ctx.progress(STORE, bytes.length);
    let r: Rec | undefined;
    try {
      r = asRec(JSON.parse(bytes.toString('utf8')));
    } catch {
      if (ctx.now - statSync(ctx.abs(rel)).mtimeMs < SETTLE_MS) return 'retry';
      ctx.problem(STORE, rel, undefined, 'not valid JSON');
      return 'ok';
    }
    if (!r) {
      ctx.problem(STORE, rel, undefined, 'not a JSON object');
      return 'ok';
    }
    await handle(ctx, c, r, names);
    return 'ok';
  } catch {
    // Vanished between the listing and the read.
    return 'ok';
  }
}

async function handle(ctx: RunContext, c: Candidate, r: Rec, names: Map<string, string>): Promise<void> {
  const wf = str(r, 'workflow_id', 512) ?? c.wf;
  const data = rec(r, 'data') ?? {};
  const ms = Number.isFinite(c.ms) ? c.ms : parseMs(str(r, 'timestamp', 64), 'local', ctx.zone);
  const step = str(r, 'step_id', 512) ?? str(data, 'step_id', 512);
  const key = (k: string) => `${STORE}\n${wf}\n${step === undefined ? '' : stepKey(step)}\n${k}`;
  switch (c.type) {
    case 'workflow_started': {
      const name = str(data, 'workflow_name', 512);
      if (name) names.set(wf, name);
      return;
    }
    case 'step_started':
      if (step) ctx.next(key('start'), ms);
      return;
    case 'step_completed':
    case 'step_failed': {
      if (!step) {
        ctx.problem(STORE, `${DIR}/${c.name}`, undefined, 'step event without step_id');
        return;
      }
      const failed = c.type === 'step_failed';
      const n = ctx.next(key(failed ? 'nok' : 'ok'), ms);
      const agent = str(data, 'agent', 256);
      const e: TaskCompletedEvent = {
        id: stepEventId(wf, step, failed ? 'nok' : 'ok', n),
        source: STORE,
        agent: normName(agent ?? 'unknown'),
        status: failed ? 'failure' : 'success',
        workflow: workflowRef(wf, names.get(wf)),
        stepId: step,
      };
      const action = str(data, 'action', 256);
      if (action) e.action = normName(action);
      const finishedAt = isoOf(ms);
      if (finishedAt) e.finishedAt = finishedAt;
      const starts = ctx.peek(key('start'));
      if (failed) {
        const attempts = int(data, 'attempts');
        e.attempt = attempts !== undefined && attempts >= 1 ? attempts : Math.max(starts, n);
        const error = str(data, 'error');
        if (error) e.errorMessage = error;
      } else {
        // A step the executor passed over is reported completed without a start: still attempt 1.
        e.attempt = Math.max(starts, ctx.peek(key('nok')) + 1, 1);
        const seconds = num(data, 'duration_seconds');
        if (seconds !== undefined && seconds >= 0) {
          e.durationMs = secondsToMs(seconds);
          if (ms !== undefined) e.startedAt = isoOf(ms - e.durationMs) as string;
        }
        const artifacts = int(data, 'artifact_count');
        if (artifacts !== undefined) e.metadata = { artifactCount: artifacts };
      }
      const p = ctx.emit(STORE, { kind: 'task', event: e }, ms, true);
      if (p) await p;
      return;
    }
    case 'workflow_completed':
    case 'workflow_failed': {
      const n = ctx.next(`${STORE}\n${wf}\n\nend`, ms);
      const failed = c.type === 'workflow_failed';
      const w: WorkflowCompletedEvent = {
        id: workflowEventId(wf, n),
        source: STORE,
        workflow: workflowRef(wf, names.get(wf)),
        status: failed ? 'failed' : 'completed',
      };
      const finishedAt = isoOf(ms);
      if (finishedAt) w.finishedAt = finishedAt;
      const completed = int(data, 'completed_steps');
      const total = int(data, 'total_steps');
      if (completed !== undefined && completed >= 0) w.stepsCompleted = completed;
      if (total !== undefined && total >= 0) w.stepsTotal = total;
      const error = str(data, 'error');
      if (failed && error) w.errorMessage = error;
      const p = ctx.emit(STORE, { kind: 'workflow', event: w }, ms, true);
      if (p) await p;
      return;
    }
  }
}
