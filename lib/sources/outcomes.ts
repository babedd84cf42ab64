import type { TaskCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { arr, bool, int, num, numbers, type Rec, str } from './fields.ts';
import { readJsonlFiles } from './jsonl-files.ts';
import { normName } from './name-cache.ts';
import { isoOf, parseMs } from './timestamps.ts';
import { workflowRef } from './workflow-ref.ts';

const STORE = 'outcomes';

/** ExpertPerformanceTracker's weights for the overall score of a review (section 4.6). */
const WEIGHTS: ReadonlyMap<string, number> = new Map([
  ['complexity', 0.18],
  ['security', 0.27],
  ['maintainability', 0.24],
  ['test_coverage', 0.13],
  ['performance', 0.08],
  ['structure', 0.05],
  ['devex', 0.05],
]);

/** Scores are 0-10 or 0-100 depending on the metric's writer; events carry 0-100. */
function scaled(x: number): number | undefined {
  const v = x <= 10 ? x * 10 : x;
  return v >= 0 && v <= 100 ? v : undefined;
}

/**
 * Code outcomes (`learning/outcomes.jsonl`, DORMANT; `timestamp` naive UTC). One line is the outcome
 * of a reviewed file: a task of capability `<agent>.score` that succeeded if it passed on the first
 * pass; `iterations` is its attempt count and the final scores its quality.
 */
export async function readOutcomes(ctx: RunContext): Promise<void> {
  await readJsonlFiles(ctx, STORE, 'learning', /^outcomes\.jsonl$/, (r, rel, line) =>
    record(ctx, r, rel, line),
  );
}

function record(ctx: RunContext, r: Rec, rel: string, line: number): void | Promise<void> {
  const wf = str(r, 'workflow_id', 512);
  const ok = bool(r, 'first_pass_success');
  const at = str(r, 'timestamp', 64);
  if (!wf || ok === undefined || !at) {
    ctx.problem(STORE, rel, line, 'outcome without workflow_id, first_pass_success or timestamp');
    return;
  }
  const ms = parseMs(at, 'utc', ctx.zone);
  const e: TaskCompletedEvent = {
    id: `outcome:${wf}:${str(r, 'prompt_hash', 64) ?? ''}:${at}`,
    source: STORE,
    agent: normName(str(r, 'agent_id', 256) ?? 'reviewer'),
    action: 'score',
    status: ok ? 'success' : 'failure',
    workflow: workflowRef(wf),
  };
  const finishedAt = isoOf(ms);
  if (finishedAt) e.finishedAt = finishedAt;
  const iterations = int(r, 'iterations');
  if (iterations !== undefined && iterations >= 1) e.attempt = iterations;
  const seconds = num(r, 'time_to_correctness');
  if (seconds !== undefined && seconds >= 0) e.durationMs = seconds * 1000;
  const sub: Record<string, number> = {};
  let weighted = 0;
  let weight = 0;
  for (const [k, v] of numbers(r, 'final_scores')) {
    const name = k.replace(/_score$/, '');
    const s = scaled(v);
    if (s === undefined) continue;
    Object.defineProperty(sub, normName(name), {
      value: s,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const w = WEIGHTS.get(name);
    if (w !== undefined) {
      weighted += w * s;
      weight += w;
    }
  }
  if (Object.keys(sub).length > 0) e.qualityScores = sub;
  if (weight > 0) e.qualityScore = weighted / weight;
  const file = str(r, 'file_path', 4096);
  if (file) e.files = [file];
  e.metadata = { expertConsultations: arr(r, 'expert_consultations')?.length ?? 0 };
  return ctx.emit(STORE, { kind: 'task', event: e }, ms, false);
}
