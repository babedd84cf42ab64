import type { TaskCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { arr, asRec, num, str, strings } from './fields.ts';
import { hash53 } from './hash.ts';
import { stepEventId } from './ids.ts';
import { normName } from './name-cache.ts';
import { taskStatus } from './statuses.ts';
import { isoOf, parseMs } from './timestamps.ts';
import { readWholeJson } from './whole-file.ts';

const STORE = 'memories';
const REL = 'memory/memories.json';

/** Pattern ids are `<kind>_<name>_<per-process hash>`: only the kind is stable and safe. */
const PATTERN_KIND: ReadonlyMap<string, string> = new Map([
  ['func', 'function'],
  ['class', 'class'],
  ['imports', 'imports'],
  ['import', 'import'],
  ['decorators', 'decorators'],
  ['structure', 'structure'],
  ['anti', 'anti-pattern'],
]);

/**
 * The learner's task id for one attempt of a workflow step, `<workflow id>/<step>[#attempt][:suffix]`
 * (a second writer adds `:ctx`): the workflow id ends in its start time, as the framework names runs.
 */
const STEP_TASK = /^([^/]+-\d{8}-\d{6}(?:-\d{6})?)\/([^#:/]+)(?:#(\d{1,4}))?(?::[\w-]{1,32})?$/;

/**
 * Task memory (`memory/memories.json`, DORMANT): a JSON array rewritten whole, upserted by
 * `task_id` (timestamps aware UTC, naive read as UTC). A task id not seen before is a new task; the
 * checkpoint keeps hashes of the ids seen. AgentLearner writes `agent_id: "unknown"` and the
 * capability id (`agent.action`) as `command`. A memory of a workflow step is that step's outcome,
 * which the step stores report too: it takes the step's event id, so it is counted once, and its
 * quality score and patterns assess the step (RunContext.emit's `assesses`).
 */
export async function readMemories(ctx: RunContext): Promise<void> {
  const read = await readWholeJson(ctx, STORE, REL);
  if (read.status !== 'changed') return;
  const { r, parsed } = read;
  const known = new Set(r.previous?.keys ?? []);
  const keys = [...known];
  ctx.files.set(REL, { ...r.cp, keys });
  if (parsed === 'bad') return;
  const list = Array.isArray(parsed.value) ? parsed.value : [];
  if (!Array.isArray(parsed.value)) ctx.problem(STORE, REL, undefined, 'not a JSON array');
  for (const x of list) {
    const m = asRec(x);
    const task = m && str(m, 'task_id', 1024);
    if (!m || !task) {
      ctx.problem(STORE, REL, undefined, 'memory without task_id');
      continue;
    }
    const key = hash53(task);
    if (known.has(key)) continue;
    known.add(key);
    keys.push(key);
    ctx.stats[STORE].records += 1;
    const status = taskStatus(str(m, 'outcome', 64));
    if (!status) {
      ctx.problem(STORE, REL, undefined, 'memory with an unknown outcome');
      continue;
    }
    const agentId = str(m, 'agent_id', 256);
    const command = str(m, 'command', 512);
    let agent = agentId && agentId !== 'unknown' ? agentId : undefined;
    let action = command;
    if (!agent && command && command.indexOf('.') > 0) {
      agent = command.slice(0, command.indexOf('.'));
      action = command.slice(command.indexOf('.') + 1);
    }
    const ms = parseMs(str(m, 'timestamp', 64), 'utc', ctx.zone);
    const step = STEP_TASK.exec(task);
    const e: TaskCompletedEvent = {
      // A success ends a step, so the k-th attempt that failed is the step's k-th failure.
      id: step
        ? stepEventId(
            step[1] as string,
            step[2] as string,
            status === 'success' ? 'ok' : 'nok',
            status === 'success' ? 1 : Number(step[3] ?? 1),
          )
        : `memory:${task}`,
      source: STORE,
      agent: normName(agent ?? 'unknown'),
      status,
    };
    if (action) e.action = normName(action);
    const finishedAt = isoOf(ms);
    if (finishedAt) e.finishedAt = finishedAt;
    const q = num(m, 'quality_score');
    if (q !== undefined && q >= 0 && q <= 1) e.qualityScore = q * 100;
    const patterns = strings(m, 'patterns_used', 64) ?? [];
    if (patterns.length > 0)
      e.patternsUsed = patterns.map((p) => ({
        type: PATTERN_KIND.get(p.split('_', 1)[0] as string) ?? 'other',
      }));
    e.metadata = { outcome: str(m, 'outcome', 64), keyLearnings: arr(m, 'key_learnings')?.length ?? 0 };
    const p = ctx.emit(STORE, { kind: 'task', event: e }, ms, step !== null, true);
    if (p) await p;
  }
}
