import type { TaskCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { asRec, num, str, strings } from './fields.ts';
import { stepEventId } from './ids.ts';
import { normName } from './name-cache.ts';
import { isoOf, parseMs, secondsToMs } from './timestamps.ts';
import { readWholeJson } from './whole-file.ts';
import { workflowRef } from './workflow-ref.ts';

const STORE = 'markers';
const ROOT = 'workflows/markers';
/** Marker files are a few KB; `found_artifacts` can list hundreds of paths. */
const MAX_MARKER = 4 << 20;

/**
 * Cursor-mode step markers: `workflows/markers/<wf>/step-<id>/DONE.json` and `FAILED.json`
 * (timestamps naive local). Each file is overwritten in place, so a FAILED.json that changed is a
 * further failure of the step. A workflow directory untouched for longer than the de-duplication
 * window is not descended into again (a stat per workflow instead of one per marker).
 */
export async function readMarkers(ctx: RunContext): Promise<void> {
  const listed = await ctx.listing(ROOT, STORE);
  if (!listed) return;
  const wfs = listed.entries.filter((d) => d.isDirectory());
  ctx.remember(ROOT, STORE, wfs, 0);
  for (const d of wfs) {
    const wfRel = `${ROOT}/${d.name}`;
    const dirMtime = ctx.dirToScan(STORE, wfRel);
    if (dirMtime === null) continue;
    let newest = dirMtime;
    for (const s of (await ctx.list(wfRel)) ?? []) {
      if (!s.isDirectory() || !s.name.startsWith('step-')) continue;
      // FAILED first: a DONE read in the same run is the attempt after the failures.
      for (const file of ['FAILED.json', 'DONE.json'] as const) {
        const m = await readMarker(ctx, d.name, s.name.slice('step-'.length), `${wfRel}/${s.name}`, file);
        if (m !== undefined && m > newest) newest = m;
      }
    }
    ctx.dirs.set(wfRel, newest);
  }
}

async function readMarker(
  ctx: RunContext,
  dirWf: string,
  dirStep: string,
  stepRel: string,
  file: 'DONE.json' | 'FAILED.json',
): Promise<number | undefined> {
  const rel = `${stepRel}/${file}`;
  const read = await readWholeJson(ctx, STORE, rel, MAX_MARKER);
  if (read.status === 'missing') return undefined;
  if (read.status !== 'changed') return read.cp.mtimeMs;
  const { r, parsed } = read;
  ctx.stats[STORE].records += 1;
  const n = (r.previous?.n ?? 0) + 1;
  ctx.files.set(rel, { ...r.cp, n: parsed === 'bad' ? (r.previous?.n ?? 0) : n });
  if (parsed === 'bad') return r.cp.mtimeMs;
  const m = asRec(parsed.value);
  if (!m) {
    ctx.problem(STORE, rel, undefined, 'not a JSON object');
    return r.cp.mtimeMs;
  }
  const wf = str(m, 'workflow_id', 512) ?? dirWf;
  const step = str(m, 'step_id', 512) ?? dirStep;
  const agent = str(m, 'agent', 256);
  const failed = file === 'FAILED.json';
  const startMs = parseMs(str(m, 'started_at', 64), 'local', ctx.zone);
  const endMs = parseMs(
    str(m, failed ? 'timestamp' : 'completed_at', 64) ?? str(m, 'timestamp', 64),
    'local',
    ctx.zone,
  );
  const e: TaskCompletedEvent = {
    id: stepEventId(wf, step, failed ? 'nok' : 'ok', n),
    source: STORE,
    agent: normName(agent ?? 'unknown'),
    status: failed ? 'failure' : 'success',
    workflow: workflowRef(wf),
    stepId: step,
  };
  const action = str(m, 'action', 256);
  if (action) e.action = normName(action);
  const startedAt = isoOf(startMs);
  const finishedAt = isoOf(endMs);
  if (startedAt) e.startedAt = startedAt;
  if (finishedAt) e.finishedAt = finishedAt;
  const seconds = num(m, 'duration_seconds');
  if (seconds !== undefined && seconds >= 0) e.durationMs = secondsToMs(seconds);
  else if (startMs !== undefined && endMs !== undefined && endMs >= startMs) e.durationMs = endMs - startMs;
  if (failed) {
    e.attempt = n;
    const error = str(m, 'error');
    const errorType = str(m, 'error_type', 256);
    if (error) e.errorMessage = error;
    if (errorType) e.errorType = errorType;
  } else {
    const f = ctx.files.get(`${stepRel}/FAILED.json`);
    e.attempt = (f?.kind === 'whole' ? (f.n ?? 0) : 0) + 1;
    const found = strings(m, 'found_artifacts');
    if (found && found.length > 0) e.files = found;
  }
  const expected = strings(m, 'expected_artifacts');
  e.metadata = { expectedArtifacts: expected?.length ?? 0 };
  const p = ctx.emit(STORE, { kind: 'task', event: e }, endMs ?? startMs, true);
  if (p) await p;
  return r.cp.mtimeMs;
}
