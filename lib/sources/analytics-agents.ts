import type { TaskCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { agentRunId } from './executions.ts';
import { bool, num, type Rec, str } from './fields.ts';
import { readJsonlFiles } from './jsonl-files.ts';
import { normName } from './name-cache.ts';
import { isoOf, parseInstant, secondsToMs } from './timestamps.ts';

const STORE = 'analytics-agents';

/**
 * Agent history (`analytics/history/agents-YYYY-MM-DD.jsonl`, DORMANT; naive timestamps are local
 * time in 3.6, aware UTC in 3.7). The framework writes it only as a dual write of an execution
 * record, which carries the step and workflow this line lacks: a line whose execution record was read
 * (same agent, same completion time) is that record again and is not emitted.
 */
export async function readAnalyticsAgents(ctx: RunContext): Promise<void> {
  await readJsonlFiles(ctx, STORE, 'analytics/history', /^agents-.*\.jsonl$/, (r, rel, line) =>
    record(ctx, r, rel, line),
  );
}

function record(ctx: RunContext, r: Rec, rel: string, line: number): void | Promise<void> {
  const agent = str(r, 'agent_id', 256) ?? str(r, 'agent_name', 256);
  const ok = bool(r, 'success');
  const at = parseInstant(str(r, 'timestamp', 64), 'local', ctx.zone);
  if (!agent || ok === undefined || !at) {
    ctx.problem(STORE, rel, line, 'agent record without agent_id, success or timestamp');
    return;
  }
  const id = agentRunId(agent, at.ms, at.us);
  if (ctx.isSeen(id)) {
    ctx.stats[STORE].duplicates += 1;
    return;
  }
  const e: TaskCompletedEvent = {
    id,
    source: STORE,
    agent: normName(agent),
    status: ok ? 'success' : 'failure',
  };
  e.finishedAt = isoOf(at.ms) as string;
  const seconds = num(r, 'duration');
  if (seconds !== undefined && seconds >= 0) {
    e.durationMs = secondsToMs(seconds);
    e.startedAt = isoOf(at.ms - e.durationMs) as string;
  }
  return ctx.emit(STORE, { kind: 'task', event: e }, at.ms, false);
}
