import type { TaskCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { bool, int, num, type Rec, str } from './fields.ts';
import { stepEventId, stepKey } from './ids.ts';
import { readJsonlFiles } from './jsonl-files.ts';
import { normName } from './name-cache.ts';
import { taskStatus } from './statuses.ts';
import { isoOf, parseInstant } from './timestamps.ts';
import { workflowRef } from './workflow-ref.ts';

const STORE = 'executions';

/** The key under which analytics/history/agents-*.jsonl, the dual write of this record, finds it. */
export function agentRunId(agent: string, ms: number, us: number): string {
  return `agent-run:${normName(agent)}:${ms}.${us}`;
}

/** First word of a command, without a leading `@`/`*`: commands can carry arguments such as paths. */
export function commandName(command: string | undefined): string | undefined {
  if (command === undefined) return undefined;
  const c0 = command.charCodeAt(0);
  // Most commands are a bare word: no regex for them.
  if (c0 !== 64 && c0 !== 42 && c0 > 32 && !/\s/.test(command)) return command;
  const w = command.trim().replace(/^[@*]/, '').split(/\s+/, 1)[0];
  return w || undefined;
}

/**
 * Execution metrics (`metrics/executions_YYYY-MM-DD.jsonl`, DORMANT; timestamps aware UTC, naive read
 * as UTC). One record per step attempt: `retry_count` + 1 is the attempt. A `running` record is not
 * an outcome. Each record also marks its dual write in the agents history as reported.
 */
export async function readExecutions(ctx: RunContext): Promise<void> {
  await readJsonlFiles(ctx, STORE, 'metrics', /^executions_.*\.jsonl$/, (r, rel, line) =>
    record(ctx, r, rel, line),
  );
}

function record(ctx: RunContext, r: Rec, rel: string, line: number): void | Promise<void> {
  const raw = str(r, 'status', 64);
  if (raw === 'running') return;
  const status = taskStatus(raw);
  const skill = str(r, 'skill', 256);
  const command = str(r, 'command', 4096);
  const agent = skill ?? commandName(command);
  if (!status || !agent) {
    ctx.problem(
      STORE,
      rel,
      line,
      status ? 'execution without skill or command' : 'execution with an unknown status',
    );
    return;
  }
  const started = parseInstant(str(r, 'started_at', 64), 'utc', ctx.zone);
  const completed = parseInstant(str(r, 'completed_at', 64), 'utc', ctx.zone);
  if (completed) ctx.markSeen(agentRunId(agent, completed.ms, completed.us), completed.ms);
  const wf = str(r, 'workflow_id', 512);
  const step = str(r, 'step_id', 512);
  const outcome = status === 'success' ? 'ok' : 'nok';
  const ms = completed?.ms ?? started?.ms;
  const shared = wf !== undefined && step !== undefined;
  const id = shared
    ? stepEventId(wf, step, outcome, ctx.next(`${STORE}\n${wf}\n${stepKey(step)}\n${outcome}`, ms))
    : `exec:${str(r, 'execution_id', 256) ?? `${rel}:${line}`}`;
  const e: TaskCompletedEvent = { id, source: STORE, agent: normName(agent), status };
  const action = skill ? commandName(command) : undefined;
  if (action) e.action = normName(action);
  const retries = int(r, 'retry_count');
  e.attempt = retries !== undefined && retries >= 0 ? retries + 1 : 1;
  if (wf) e.workflow = workflowRef(wf);
  if (step) e.stepId = step;
  const startedAt = isoOf(started?.ms);
  const finishedAt = isoOf(completed?.ms);
  if (startedAt) e.startedAt = startedAt;
  if (finishedAt) e.finishedAt = finishedAt;
  const duration = num(r, 'duration_ms');
  if (duration !== undefined && duration >= 0) e.durationMs = duration;
  const error = str(r, 'error_message');
  if (error && status !== 'success') e.errorMessage = error;
  const gate = bool(r, 'gate_pass');
  e.metadata = gate === undefined ? { status: raw } : { status: raw, gatePass: gate };
  return ctx.emit(STORE, { kind: 'task', event: e }, ms, shared);
}
