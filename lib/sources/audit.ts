import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { AuditSegment } from '../../schema/checkpoints.ts';
import type { TaskCompletedEvent } from '../../schema/events.ts';
import { followAppend } from './append-file.ts';
import type { RunContext } from './context.ts';
import { agentOf } from './event-log.ts';
import { asRec, int, num, type Rec, rec, str } from './fields.ts';
import { contentHash, hash53 } from './hash.ts';
import { type StepOutcome, stepEventId, stepKey } from './ids.ts';
import { normName } from './name-cache.ts';
import { isoOf, parseMs } from './timestamps.ts';
import { workflowRef } from './workflow-ref.ts';

const STORE = 'audit';
const DIR = 'audit';
const BASE = 'execution_audit.log';
/** RotatingFileHandler keeps `.1` (newest) to `.5` (oldest). */
const ROTATED = [5, 4, 3, 2, 1] as const;
const RING = 64;

/**
 * The audit log (`audit/execution_audit.log` and its rotations): `<local time> | INFO | <json>`, the
 * JSON's `timestamp` in UTC. Every record is written once per leaked handler, so repeats of a record
 * just seen are dropped. Segments are identified by their first bytes, not their names, because
 * rotation renames them: the rest of a file read up to the middle continues in `.1`.
 */
export async function readAudit(ctx: RunContext): Promise<void> {
  const entries = await ctx.list(DIR);
  if (!entries) return;
  const present = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  const names = [...ROTATED.map((n) => `${BASE}.${n}`), BASE].filter((n) => present.has(n));
  const old = ctx.audit ?? { segments: [], recent: [] };
  const ring = [...old.recent];
  const recent = new Set(ring);
  const segments: AuditSegment[] = [];
  for (const name of names) {
    const rel = `${DIR}/${name}`;
    const known = await matchSegment(ctx, rel, old.segments);
    const cp = known && { kind: 'append' as const, mtimeMs: -1, ...known };
    const next = await followAppend(ctx, STORE, rel, cp, {
      onLine: (text, line) => {
        const json = jsonPart(text);
        const key = hash53(json);
        if (recent.has(key)) return;
        recent.add(key);
        ring.push(key);
        if (ring.length > RING) recent.delete(ring.shift() as number);
        let value: unknown;
        try {
          value = JSON.parse(json);
        } catch {
          ctx.problem(STORE, rel, line, 'not an audit record');
          return;
        }
        const r = asRec(value);
        if (!r) {
          ctx.problem(STORE, rel, line, 'not a JSON object');
          return;
        }
        return record(ctx, rel, line, r);
      },
    });
    if (next)
      segments.push({
        head: next.head,
        headLen: next.headLen,
        offset: next.offset,
        lines: next.lines,
        size: next.size,
      });
  }
  ctx.audit = { segments, recent: ring };
}

/** The checkpoint of the segment this file continues, found by its head bytes. */
async function matchSegment(
  ctx: RunContext,
  rel: string,
  segments: AuditSegment[],
): Promise<AuditSegment | undefined> {
  if (segments.length === 0) return undefined;
  let size: number;
  try {
    size = statSync(ctx.abs(rel)).size;
  } catch {
    return undefined;
  }
  const fd = openSync(ctx.abs(rel), 'r');
  try {
    for (const s of segments) {
      if (s.headLen > size || s.offset > size) continue;
      const b = Buffer.alloc(s.headLen);
      const bytesRead = readSync(fd, b, 0, s.headLen, 0);
      if (contentHash(b.subarray(0, bytesRead)) === s.head) return s;
    }
  } finally {
    closeSync(fd);
  }
  return undefined;
}

function jsonPart(text: string): string {
  const a = text.indexOf(' | ');
  const b = a < 0 ? -1 : text.indexOf(' | ', a + 3);
  return b < 0 ? text.trim() : text.slice(b + 3).trim();
}

/** `@reviewer review --file x` or `reviewer review`: the agent and the action, never the arguments. */
function agentAction(command: string | undefined): { agent: string; action?: string } | undefined {
  if (!command) return undefined;
  const [agent, action] = command.trim().replace(/^[@*]/, '').split(/\s+/, 2);
  if (!agent) return undefined;
  return action && !action.startsWith('-') ? { agent, action } : { agent };
}

function record(ctx: RunContext, rel: string, line: number, r: Rec): void | Promise<void> {
  const type = str(r, 'event_type', 64);
  let outcome: StepOutcome;
  let status: TaskCompletedEvent['status'];
  const raw = str(r, 'status', 64);
  if (type === 'step_fail_behavior') {
    outcome = 'nok';
    status = raw === 'skip' ? 'skipped' : 'failure';
  } else if (type === 'execution_completed') {
    outcome = 'ok';
    status = 'success';
  } else return;
  const wf = str(r, 'workflow_id', 512);
  const step = str(r, 'step_id', 512);
  if (!wf || !step) {
    ctx.problem(STORE, rel, line, 'audit record without workflow_id or step_id');
    return;
  }
  const ms = parseMs(str(r, 'timestamp', 64), 'utc', ctx.zone);
  const n = ctx.next(`${STORE}\n${wf}\n${stepKey(step)}\n${outcome}`, ms);
  const log = ctx.files.get(`workflow-state/events/${wf}.events.jsonl`);
  const who =
    agentAction(str(r, 'command', 4096)) ??
    (log?.kind === 'append' && log.eventLog ? agentOf(log.eventLog, step) : undefined);
  const details = rec(r, 'details') ?? {};
  const e: TaskCompletedEvent = {
    id: stepEventId(wf, step, outcome, n),
    source: STORE,
    agent: normName(who?.agent ?? 'unknown'),
    status,
    attempt: outcome === 'nok' ? (int(details, 'attempt') ?? n) : n,
    workflow: workflowRef(wf),
    stepId: step,
  };
  if (who?.action) e.action = normName(who.action);
  const finishedAt = isoOf(ms);
  if (finishedAt) e.finishedAt = finishedAt;
  const error = str(details, 'error');
  if (error && outcome === 'nok') e.errorMessage = error;
  const duration = num(details, 'duration_ms');
  if (duration !== undefined && duration >= 0) e.durationMs = duration;
  if (raw) e.metadata = { behavior: raw };
  return ctx.emit(STORE, { kind: 'task', event: e }, ms, true);
}
