import type { CapabilityState } from '../../schema/checkpoints.ts';
import type { TaskCompletedEvent } from '../../schema/events.ts';
import type { RunContext } from './context.ts';
import { decodeRuns } from './ema-decode.ts';
import { arr, asRec, int, num, str } from './fields.ts';
import { normName } from './name-cache.ts';
import { isoOf } from './timestamps.ts';
import { readWholeJson } from './whole-file.ts';

const STORE = 'capabilities';
const REL = 'capabilities/capabilities.json';

/** What `register_capability` starts from. */
const INITIAL = { usage: 0, successRate: 0.5, duration: 0, quality: 0.5 };

/**
 * The capability registry (`capabilities/capabilities.json`, DORMANT, rewritten whole, not
 * atomically). It is a snapshot of moving averages, not a log: the runs since the last scan are the
 * `usage_count` delta (the first scan reports every run so far). Their outcomes are decoded from the
 * success-rate average when that is exact (see ema-decode.ts; `metadata.inferred: 'exact'`), otherwise
 * estimated from it (`'estimate'`). A single new run also gives its duration and quality exactly. The
 * registry has no times: runs are dated by the file's mtime, its last write. The registry counts
 * `learn_from_task` calls, made for steps other stores (read first) usually report one by one: runs
 * those stores reported for the same capability in this collection are not counted again (see
 * RunContext.coveredRuns). Known over-count: the registry updates twice for a task whose code failed
 * the security scan.
 */
export async function readCapabilities(ctx: RunContext): Promise<void> {
  const read = await readWholeJson(ctx, STORE, REL);
  if (read.status !== 'changed') return;
  const { r, parsed } = read;
  const previous = new Map((r.previous?.capabilities ?? []).map((c) => [c.id, c]));
  if (parsed === 'bad') {
    ctx.files.set(REL, { ...r.cp, capabilities: [...previous.values()] });
    return;
  }
  const top = asRec(parsed.value);
  const next: CapabilityState[] = [];
  const seen = new Set<string>();
  for (const x of (top && arr(top, 'metrics')) ?? []) {
    const m = asRec(x);
    const id = m && str(m, 'capability_id', 512);
    const usage = m && int(m, 'usage_count');
    if (!m || !id || usage === undefined || usage < 0 || seen.has(id)) {
      ctx.problem(STORE, REL, undefined, 'capability without capability_id or usage_count');
      continue;
    }
    seen.add(id);
    ctx.stats[STORE].records += 1;
    const cur = {
      usage,
      successRate: num(m, 'success_rate') ?? 0.5,
      duration: num(m, 'average_duration') ?? 0,
      quality: num(m, 'quality_score') ?? 0.5,
    };
    let prev = previous.get(id);
    let generation = prev?.generation ?? 0;
    if (prev && usage < prev.usage) {
      generation += 1;
      prev = undefined;
    }
    const base = prev ?? { ...INITIAL, id, generation };
    next.push({ id, ...cur, generation });
    const k = usage - base.usage;
    if (k <= 0) continue;
    const runs = decodeRuns(base.successRate, cur.successRate, k);
    const agentId = str(m, 'agent_id', 256);
    const dot = id.indexOf('.');
    const rawAgent = dot > 0 ? id.slice(0, dot) : agentId && agentId !== 'unknown' ? agentId : id;
    const rawAction = dot > 0 ? id.slice(dot + 1) : rawAgent === id ? undefined : id;
    const agent = normName(rawAgent);
    const action = rawAction === undefined ? undefined : normName(rawAction);
    const [okSeen, failSeen] = ctx.coveredRuns(agent, action, runs.successes, k - runs.successes);
    // Runs other stores reported are passed over, the same outcomes first, in registry order.
    let skipOk = okSeen;
    let skipFail = failSeen;
    for (let i = 0; i < k; i++) {
      const ok = runs.outcomes ? runs.outcomes[i] === true : i < runs.successes;
      if (ok && skipOk > 0) {
        skipOk -= 1;
        continue;
      }
      if (!ok && skipFail > 0) {
        skipFail -= 1;
        continue;
      }
      const u = base.usage + i + 1;
      const e: TaskCompletedEvent = {
        id: `cap:${id}:${generation}:${u}`,
        source: STORE,
        agent,
        status: ok ? 'success' : 'failure',
        finishedAt: isoOf(r.cp.mtimeMs) as string,
        metadata: { inferred: runs.exact ? 'exact' : 'estimate', usageCount: u },
      };
      if (action) e.action = action;
      if (k === 1) single(e, base, cur);
      const p = ctx.emit(STORE, { kind: 'task', event: e }, r.cp.mtimeMs, false);
      if (p) await p;
    }
  }
  // A capability missing from this snapshot keeps its state, in case the next write brings it back.
  for (const [id, c] of previous) if (!seen.has(id)) next.push(c);
  ctx.files.set(REL, { ...r.cp, capabilities: next });
}

/** One run between snapshots: its duration and quality are the averages' exact inputs. */
function single(e: TaskCompletedEvent, before: typeof INITIAL, after: typeof INITIAL): void {
  const seconds = (after.duration - 0.9 * before.duration) / 0.1;
  if (Number.isFinite(seconds) && seconds >= 0) e.durationMs = Math.round(seconds * 1e6) / 1e3;
  if (after.quality !== before.quality) {
    const q = ((after.quality - 0.9 * before.quality) / 0.1) * 100;
    if (q >= -1e-6 && q <= 100 + 1e-6) e.qualityScore = Math.min(100, Math.max(0, Math.round(q * 1e6) / 1e6));
  }
}
