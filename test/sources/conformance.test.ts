import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { capabilityKey, normalizeName } from '../../lib/privacy/names.ts';
import { byWorkflowType, type Collected, collect, countBy, sortKeys } from './harness.ts';

/**
 * Conformance on the shared fixtures: the readers' numbers against a small batch parser written
 * here from the formats reference (whole files, no checkpoints, no shared code with lib/sources),
 * and against the framework's own formulas (section 4 of tapps-data-formats.md).
 */
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
/** The fixture machine's zone (fixtures README): naive local times need it to line up with UTC ones. */
const TZ = 'America/Los_Angeles';

type Status = 'success' | 'failure' | 'skipped';
interface Expected {
  tasks: Map<string, { cap: string; status: Status; source: string }>;
  workflows: Map<string, { type: string; status: string }>;
  consultations: Record<string, number>;
}

const json = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));
const lines = (p: string): Record<string, unknown>[] =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const ls = (p: string): string[] => (existsSync(p) ? readdirSync(p).sort() : []);
const s = (x: unknown): string => (typeof x === 'string' ? x : '');
/** `+00:00Z` → instant; naive → UTC or local (LA: -7h in the fixture's October/November until the 1st, then -8h). */
function instant(ts: string, naive: 'utc' | 'local'): number {
  const t = ts.replace(/Z$/, '').replace(/\+00:00$/, '');
  const utc = Date.parse(`${t}Z`);
  if (ts !== t || naive === 'utc') return utc;
  const offset = utc < Date.parse('2026-11-01T09:00:00Z') && utc > Date.parse('2026-03-08T10:00:00Z') ? 7 : 8;
  return utc + offset * 3600_000;
}
const wfType = (id: string) => normalizeName(id.replace(/-\d{8}-\d{6}(-\d{1,6})?$/, ''));
const nameOf = (command: string) => command.trim().replace(/^[@*]/, '').split(/\s+/);

function expected(dir: string): Expected {
  const tasks: Expected['tasks'] = new Map();
  const workflows: Expected['workflows'] = new Map();
  const consultations: Record<string, number> = {};
  const ord = new Map<string, number>();
  const next = (k: string) => {
    ord.set(k, (ord.get(k) ?? 0) + 1);
    return ord.get(k) as number;
  };
  const task = (id: string, agent: string, action: string | undefined, status: Status, source: string) => {
    if (!tasks.has(id))
      tasks.set(id, { cap: capabilityKey(agent || 'unknown', action || undefined), status, source });
  };
  const step = (
    src: string,
    wf: string,
    stepId: string,
    ok: boolean,
    agent: string,
    action: string | undefined,
    status: Status,
  ) =>
    task(
      `${wf}|${normalizeName(stepId)}|${ok ? 'ok' : 'nok'}|${next(`${src}|${wf}|${normalizeName(stepId)}|${ok}`)}`,
      agent,
      action,
      status,
      src,
    );
  const workflow = (src: string, wf: string, status: string, type = wfType(wf)) => {
    const id = `${wf}|${next(`${src}|${wf}|end`)}`;
    if (!workflows.has(id)) workflows.set(id, { type, status });
  };
  const agents = new Map<string, [string, string]>();

  // Event logs: runs, retries logged only as restarts, outcome from workflow_end or the handoff.
  const evDir = join(dir, 'workflow-state/events');
  for (const f of ls(evDir)) {
    const wf = f.replace(/\.events\.jsonl$/, '');
    let open = false;
    let hasSteps = false;
    let openSteps = new Map<string, [string, string]>();
    let last = '';
    const close = (status: string) => {
      const st = status === 'completed' ? 'completed' : status;
      if (['failed', 'blocked', 'cancelled'].includes(st))
        for (const [id, [a, b]] of openSteps) step('event-log', wf, id, false, a, b, 'failure');
      workflow('event-log', wf, st);
      open = false;
      hasSteps = false;
      openSteps = new Map();
    };
    for (const r of lines(join(evDir, f))) {
      const type = s(r.event_type);
      const id = s(r.step_id);
      last = s(r.timestamp);
      if (id && r.agent) agents.set(`${wf}|${id}`, [s(r.agent), s(r.action)]);
      const [agent, action] = agents.get(`${wf}|${id}`) ?? ['unknown', ''];
      if (type === 'workflow_start') {
        if (!(open && !hasSteps)) {
          open = true;
          hasSteps = false;
          openSteps = new Map();
        }
      } else if (type === 'step_start') {
        hasSteps = true;
        if (openSteps.has(id)) step('event-log', wf, id, false, agent, action, 'failure');
        openSteps.set(id, [agent, action]);
      } else if (type === 'step_finish' || type === 'step_fail' || type === 'step_skip') {
        openSteps.delete(id);
        const status = type === 'step_finish' ? 'success' : type === 'step_fail' ? 'failure' : 'skipped';
        step('event-log', wf, id, type === 'step_finish', agent, action, status);
      } else if (type === 'workflow_end') close(s(r.status));
    }
    const handoff = join(dir, 'workflow-state', wf, 'SESSION_HANDOFF.md');
    if (open && existsSync(handoff)) {
      const text = readFileSync(handoff, 'utf8');
      const ended = /session_ended_at: '([^']+)'/.exec(text)?.[1] ?? '';
      const status = /summary: '(?:Build )?Workflow (\w+)/.exec(text)?.[1] ?? '';
      if (status && instant(ended, 'utc') >= instant(last, 'utc')) close(status);
    }
  }

  // Markers: FAILED then DONE per step directory.
  const mDir = join(dir, 'workflows/markers');
  for (const wf of ls(mDir))
    for (const sd of ls(join(mDir, wf)))
      for (const f of ['FAILED.json', 'DONE.json']) {
        const p = join(mDir, wf, sd, f);
        if (!existsSync(p)) continue;
        const m = json(p) as Record<string, unknown>;
        const ok = f === 'DONE.json';
        step(
          'markers',
          s(m.workflow_id) || wf,
          s(m.step_id) || sd.slice(5),
          ok,
          s(m.agent),
          s(m.action),
          ok ? 'success' : 'failure',
        );
      }

  // Workflow history (Cursor): success → completed.
  const aDir = join(dir, 'analytics/history');
  for (const f of ls(aDir).filter((x) => x.startsWith('workflows-')))
    for (const r of lines(join(aDir, f)))
      workflow('analytics-workflows', s(r.workflow_id), r.success ? 'completed' : 'failed');

  // Event bus, in epoch order.
  const bDir = join(dir, 'events');
  const busFiles = ls(bDir).sort(
    (a, b) =>
      Number(/-(\d+\.\d+)-[a-z_]+\.json$/.exec(a)?.[1]) - Number(/-(\d+\.\d+)-[a-z_]+\.json$/.exec(b)?.[1]),
  );
  for (const f of busFiles) {
    const r = json(join(bDir, f)) as Record<string, unknown>;
    const d = (r.data ?? {}) as Record<string, unknown>;
    const type = s(r.event_type);
    if (type === 'step_completed' || type === 'step_failed') {
      const ok = type === 'step_completed';
      step(
        'event-bus',
        s(r.workflow_id),
        s(r.step_id),
        ok,
        s(d.agent),
        s(d.action),
        ok ? 'success' : 'failure',
      );
    } else if (type === 'workflow_completed' || type === 'workflow_failed')
      workflow('event-bus', s(r.workflow_id), type === 'workflow_completed' ? 'completed' : 'failed');
  }

  // Cursor executor state: a terminal status is an outcome (blocked runs are only here).
  const wsDir = join(dir, 'workflow-state');
  for (const f of ls(wsDir)) {
    if (!f.endsWith('.json') || /-\d{8}-\d{6}(-\d{6})?-\d{8}-\d{6}\.json$/.test(f)) continue;
    const st = json(join(wsDir, f)) as Record<string, unknown>;
    if (!Array.isArray(st.step_executions) || `${s(st.workflow_id)}.json` !== f) continue;
    if (['completed', 'failed', 'blocked', 'cancelled', 'paused'].includes(s(st.status)))
      workflow('cursor-state', s(st.workflow_id), s(st.status));
  }

  // Builds: one checkpoint per step that ran, keyed by agent; the handoff's outcome.
  for (const b of ls(wsDir).filter((x) => x.startsWith('build-'))) {
    for (const f of ls(join(wsDir, b, 'checkpoints'))) {
      const c = json(join(wsDir, b, 'checkpoints', f)) as Record<string, unknown>;
      const out = (c.step_output ?? {}) as Record<string, unknown>;
      const agent = s(out.agent) || (c.step_id === 'enhance' ? 'enhancer' : s(c.step_id));
      const ok = out.success !== false;
      step(
        'build-checkpoints',
        b,
        agent,
        ok,
        agent,
        s(out.command) || (c.step_id === 'enhance' ? 'enhance' : ''),
        ok ? 'success' : 'failure',
      );
    }
    const h = join(wsDir, b, 'SESSION_HANDOFF.md');
    if (existsSync(h))
      workflow(
        'build-checkpoints',
        b,
        /Build workflow (\w+)/.exec(readFileSync(h, 'utf8'))?.[1] ?? '?',
        'build',
      );
  }

  // Epic memory: one task per finished story.
  const eDir = join(dir, 'epic-state');
  for (const f of ls(eDir).filter((x) => x.endsWith('-memory.jsonl')))
    for (const r of lines(join(eDir, f))) {
      const status = s(r.summary).split('\u2014').pop()?.trim();
      task(
        `story|${f}|${s(r.story_id)}|${next(`story|${f}|${s(r.story_id)}`)}`,
        'epic',
        'story',
        status === 'done' ? 'success' : 'failure',
        'epic',
      );
    }

  // Audit: each distinct record once.
  const seen = new Set<string>();
  for (const f of [
    'execution_audit.log.5',
    'execution_audit.log.4',
    'execution_audit.log.3',
    'execution_audit.log.2',
    'execution_audit.log.1',
    'execution_audit.log',
  ]) {
    const p = join(dir, 'audit', f);
    if (!existsSync(p)) continue;
    for (const l of readFileSync(p, 'utf8').split('\n')) {
      const text = l.slice(l.indexOf('{'));
      if (!l.includes('{') || seen.has(text)) continue;
      seen.add(text);
      const r = JSON.parse(text) as Record<string, unknown>;
      const wf = s(r.workflow_id);
      const id = s(r.step_id);
      const [agent, action] = r.command
        ? nameOf(s(r.command))
        : (agents.get(`${wf}|${id}`) ?? ['unknown', '']);
      if (r.event_type === 'step_fail_behavior')
        step('audit', wf, id, false, agent ?? '', action, r.status === 'skip' ? 'skipped' : 'failure');
      else if (r.event_type === 'execution_completed')
        step('audit', wf, id, true, agent ?? '', action, 'success');
    }
  }

  // Execution metrics, and the agent history lines that are not their dual write.
  const runs = new Set<string>();
  for (const f of ls(join(dir, 'metrics')).filter((x) => x.startsWith('executions_')))
    for (const r of lines(join(dir, 'metrics', f))) {
      if (r.status === 'running') continue;
      const ok = r.status === 'success';
      const agent = s(r.skill) || (nameOf(s(r.command))[0] ?? '');
      runs.add(
        `${normalizeName(agent)}|${instant(s(r.completed_at), 'utc')}|${s(r.completed_at).slice(20, 26)}`,
      );
      step(
        'executions',
        s(r.workflow_id),
        s(r.step_id),
        ok,
        agent,
        r.skill ? nameOf(s(r.command))[0] : undefined,
        ok ? 'success' : 'failure',
      );
    }
  for (const f of ls(aDir).filter((x) => x.startsWith('agents-')))
    for (const r of lines(join(aDir, f))) {
      const ts = s(r.timestamp);
      const key = `${normalizeName(s(r.agent_id))}|${instant(ts, 'local')}|${ts.slice(20, 26)}`;
      if (!runs.has(key))
        task(`agent|${key}`, s(r.agent_id), undefined, r.success ? 'success' : 'failure', 'analytics-agents');
    }

  // Consultations: one per expert line.
  const perf = join(dir, 'learning/expert_performance.jsonl');
  if (existsSync(perf))
    for (const r of lines(perf))
      consultations[normalizeName(s(r.domain))] = (consultations[normalizeName(s(r.domain))] ?? 0) + 1;

  // Memories (each task id once; a memory of a workflow step is that step) and outcomes.
  const mem = join(dir, 'memory/memories.json');
  if (existsSync(mem))
    for (const m of json(mem) as Record<string, unknown>[]) {
      const ok = m.outcome === 'success';
      // `<wf id ending in its start time>/<step>[#attempt][:ctx]`, as tapps-small's learner writes them.
      const [, wf, stepId, attempt] =
        /^(.+-\d{8}-\d{6}(?:-\d{6})?)\/([^#:/]+)(?:#(\d+))?(?::ctx)?$/.exec(s(m.task_id)) ?? [];
      const cmd = s(m.command);
      const named = s(m.agent_id) !== 'unknown' && s(m.agent_id) !== '';
      const [agent, action] = named
        ? [s(m.agent_id), cmd]
        : cmd.includes('.')
          ? [cmd.slice(0, cmd.indexOf('.')), cmd.slice(cmd.indexOf('.') + 1)]
          : ['unknown', cmd];
      task(
        wf && stepId
          ? `${wf}|${normalizeName(stepId)}|${ok ? 'ok' : 'nok'}|${ok ? 1 : Number(attempt ?? 1)}`
          : `memory|${s(m.task_id)}`,
        agent,
        action,
        ok ? 'success' : 'failure',
        'memories',
      );
    }
  const oc = join(dir, 'learning/outcomes.jsonl');
  if (existsSync(oc))
    for (const r of lines(oc))
      task(
        `outcome|${s(r.workflow_id)}|${s(r.timestamp)}`,
        s(r.agent_id),
        'score',
        r.first_pass_success ? 'success' : 'failure',
        'outcomes',
      );

  return { tasks, workflows, consultations: sortKeys(consultations) };
}

function perCapability(
  items: Iterable<{ cap: string; status: Status }>,
): Record<string, { runs: number; failures: number }> {
  const out: Record<string, { runs: number; failures: number }> = {};
  for (const x of items) {
    const c = out[x.cap] ?? { runs: 0, failures: 0 };
    out[x.cap] = c;
    c.runs += 1;
    if (x.status === 'failure') c.failures += 1;
  }
  return sortKeys(out);
}

function fixture(t: TestContext, name: string): string | undefined {
  const dir = join(FIXTURES, name, '.tapps-agents');
  if (existsSync(dir)) return dir;
  t.skip(`../shared/fixtures absent: ${dir} not found`);
  return undefined;
}

async function conforms(dir: string): Promise<{ got: Collected; want: Expected }> {
  const got = await collect(dir, {}, { timeZone: TZ });
  const want = expected(dir);
  const mine = got.tasks
    .filter((e) => e.source !== 'capabilities')
    .map((e) => ({ cap: capabilityKey(e.agent, e.action), status: e.status }));
  assert.deepEqual(perCapability(mine), perCapability(want.tasks.values()));
  assert.deepEqual(
    countBy(
      got.tasks.filter((e) => e.source !== 'capabilities'),
      (e) => e.source,
    ),
    countBy([...want.tasks.values()], (x) => x.source),
  );
  const wantWf: Record<string, Record<string, number>> = {};
  for (const w of want.workflows.values()) {
    const m = wantWf[w.type] ?? {};
    wantWf[w.type] = m;
    m[w.status] = (m[w.status] ?? 0) + 1;
  }
  assert.deepEqual(
    byWorkflowType(got.workflows),
    sortKeys(Object.fromEntries(Object.entries(wantWf).map(([k, v]) => [k, sortKeys(v)]))),
  );
  assert.deepEqual(
    countBy(got.consultations, (c) => c.domain),
    want.consultations,
  );
  for (const st of Object.values(got.stats)) assert.equal(st.skipped, 0);
  return { got, want };
}

describe('conformance: shared fixtures', () => {
  it('tapps-small: tasks, failures, workflows and consultations per capability match an independent parse', async (t) => {
    const dir = fixture(t, 'tapps-small');
    if (!dir) return;
    const { got, want } = await conforms(dir);
    // Totals stated by the fixture's README and generation-stats.json.
    assert.equal(got.consultations.length, 117);
    assert.equal(got.stats['event-log'].records, 170);
    assert.equal(got.stats.markers.emitted, 23);
    assert.equal(got.stats.audit.records - got.stats.audit.duplicates, 3);
    assert.equal(got.tasks.filter((e) => e.source === 'epic').length, 8);
    assert.equal(got.stats['analytics-agents'].duplicates, 93);
    // The numbers as asserted (they document what one collection of the fixture yields).
    // 114 step attempts and stories; the 125 memories are the learner's notes on 114 of these steps.
    assert.equal(want.tasks.size, 114);
    assert.equal(got.tasks.filter((e) => e.source === 'memories').length, 0);
    assert.equal(got.tasks.length - got.tasks.filter((e) => e.source === 'capabilities').length, 114);
    // The registry's usage counts the same steps (learn_from_task): only runs beyond the steps other
    // stores report under the same capability are counted (its double update on a failed security
    // scan, and a capability id no step store uses).
    const usage = new Map<string, number>();
    const reg = json(join(dir, 'capabilities/capabilities.json')) as { metrics: Record<string, unknown>[] };
    for (const m of reg.metrics) {
      const id = s(m.capability_id);
      const key = capabilityKey(id.slice(0, id.indexOf('.')), id.slice(id.indexOf('.') + 1));
      usage.set(key, (usage.get(key) ?? 0) + (m.usage_count as number));
    }
    const steps = countBy([...want.tasks.values()], (x) => x.cap);
    const beyond: Record<string, number> = {};
    for (const [key, n] of usage) if (n > (steps[key] ?? 0)) beyond[key] = n - (steps[key] ?? 0);
    assert.deepEqual(
      countBy(
        got.tasks.filter((e) => e.source === 'capabilities'),
        (e) => capabilityKey(e.agent, e.action),
      ),
      sortKeys(beyond),
    );
    assert.equal(got.tasks.length, 130);
    assert.equal(got.workflows.length, 37);
    assert.deepEqual(byWorkflowType(got.workflows), {
      'brownfield-analysis': { completed: 1 },
      build: { completed: 1, failed: 2 },
      fix: { blocked: 1, completed: 1, failed: 4 },
      'full-sdlc': { failed: 1, paused: 1 },
      'globex-invoice-migration': { blocked: 1, completed: 1 },
      quality: { failed: 3 },
      'rapid-dev': { blocked: 1, completed: 1, failed: 2 },
      'story-4.1': { failed: 4 },
      'story-4.2': { failed: 4 },
      'story-4.3': { failed: 4 },
      'story-4.4': { failed: 4 },
    });
  });

  it('upstream-repo: the same, on the framework repository’s own data files', async (t) => {
    const dir = fixture(t, 'upstream-repo');
    if (!dir) return;
    const { got } = await conforms(dir);
    assert.equal(got.stats.markers.emitted, 119);
    assert.equal(got.tasks.filter((e) => e.source === 'markers' && e.status === 'failure').length, 12);
    assert.equal(got.stats.audit.records, 176);
    assert.equal(got.stats.audit.emitted, 8);
    assert.equal(got.tasks.filter((e) => e.source === 'memories').length, 10);
    assert.deepEqual(byWorkflowType(got.workflows), { 'w-123': { completed: 1 } });
  });

  it('tapps-small: success rates and averages match the framework’s own formulas (section 4)', async (t) => {
    const dir = fixture(t, 'tapps-small');
    if (!dir) return;
    const rate = (ok: number, n: number) => (n === 0 ? 0 : ok / n);
    // 4.5 AnalyticsCollector: per workflow_name success_rate = ok/total (the dashboard's regrouping).
    const hist = readdirSync(join(dir, 'analytics/history')).filter((f) => f.startsWith('workflows-'));
    const byName = new Map<string, [number, number]>();
    for (const f of hist)
      for (const r of lines(join(dir, 'analytics/history', f))) {
        const c = byName.get(s(r.workflow_name)) ?? [0, 0];
        byName.set(s(r.workflow_name), [c[0] + (r.success ? 1 : 0), c[1] + 1]);
      }
    const wf = await collect(dir, {}, { timeZone: TZ, stores: ['analytics-workflows'] });
    for (const [name, [ok, n]] of byName) {
      const mine = wf.workflows.filter((w) => w.workflow.name === name);
      assert.equal(rate(mine.filter((w) => w.status === 'completed').length, mine.length), rate(ok, n), name);
    }
    // 4.5 per agent_id over agents-*.jsonl, and 4.8 the health check's success rate over executions.
    const agentsRaw = readdirSync(join(dir, 'analytics/history'))
      .filter((f) => f.startsWith('agents-'))
      .flatMap((f) => lines(join(dir, 'analytics/history', f)));
    const agents = await collect(dir, {}, { timeZone: TZ, stores: ['analytics-agents'] });
    for (const id of new Set(agentsRaw.map((r) => s(r.agent_id)))) {
      const raw = agentsRaw.filter((r) => r.agent_id === id);
      const mine = agents.tasks.filter((e) => e.agent === normalizeName(id));
      assert.equal(
        rate(mine.filter((e) => e.status === 'success').length, mine.length),
        rate(raw.filter((r) => r.success).length, raw.length),
        id,
      );
    }
    const execRaw = readdirSync(join(dir, 'metrics'))
      .filter((f) => f.startsWith('executions_'))
      .flatMap((f) => lines(join(dir, 'metrics', f)));
    const exec = await collect(dir, {}, { timeZone: TZ, stores: ['executions'] });
    assert.equal(exec.tasks.length, execRaw.length);
    assert.equal(
      rate(exec.tasks.filter((e) => e.status === 'success').length, exec.tasks.length),
      rate(execRaw.filter((r) => r.status === 'success').length, execRaw.length),
    );
    // 4.6 ExpertPerformanceTracker: consultations and avg_confidence per expert_id.
    const perf = lines(join(dir, 'learning/expert_performance.jsonl'));
    const cons = await collect(
      dir,
      {},
      { timeZone: TZ, stores: ['confidence-metrics', 'expert-performance'] },
    );
    for (const id of new Set(perf.map((r) => s(r.expert_id)))) {
      const raw = perf.filter((r) => r.expert_id === id).map((r) => r.confidence as number);
      const mine = cons.consultations
        .filter((c) => c.expertId === normalizeName(id))
        .map((c) => c.confidence);
      assert.equal(mine.length, raw.length, id);
      assert.equal(
        mine.reduce((a, b) => a + b, 0) / mine.length,
        raw.reduce((a, b) => a + b, 0) / raw.length,
        id,
      );
    }
    // Every line found its agent-side entry (same zone, both sides present).
    assert.equal(cons.consultations.filter((c) => c.agent !== undefined).length, 117);
    // 4.1 CapabilityRegistry: runs = usage_count, and replaying the decoded outcomes through
    // `x ← 0.1·s + 0.9·x` from 0.5 gives back the stored success_rate.
    const reg = json(join(dir, 'capabilities/capabilities.json')) as { metrics: Record<string, unknown>[] };
    const caps = await collect(dir, {}, { timeZone: TZ, stores: ['capabilities'] });
    assert.equal(
      caps.tasks.length,
      reg.metrics.reduce((a, m) => a + (m.usage_count as number), 0),
    );
    for (const m of reg.metrics) {
      const mine = caps.tasks.filter((e) => e.id.startsWith(`cap:${s(m.capability_id)}:`));
      assert.equal(mine.length, m.usage_count, s(m.capability_id));
      if (mine.some((e) => (e.metadata as { inferred: string }).inferred !== 'exact')) continue;
      let x = 0.5;
      for (const e of mine) x = 0.9 * x + 0.1 * (e.status === 'success' ? 1 : 0);
      assert.ok(Math.abs(x - (m.success_rate as number)) < 1e-9, s(m.capability_id));
    }
    assert.ok(statSync(join(dir, 'capabilities/capabilities.json')).size > 0);
  });
});
