import { artifactPaths, errorText, promptText } from './canaries.ts';
import type { StepDef, WorkflowDef } from './catalog.ts';
import { addTaskTruth, type Gen, type StepAttempt } from './gen.ts';
import { dumps, f } from './py-json.ts';
import { addWorkflow } from './truth.ts';

/** How a failing step is handled: `on_step_fail`, the executor's automatic retries, or Ctrl-C. */
export type FailurePlan = 'retry-ok' | 'retry-fail' | 'fail' | 'skip' | 'escalate' | 'auto' | 'killed';

export interface HeadlessRun {
  id: string;
  type: string;
  name: string;
  version: string;
  steps: readonly StepDef[];
  startUs: number;
  /** Step index → what happens when it runs. */
  failures: Map<number, FailurePlan>;
  /** Epic stories log `workflow_start` twice. */
  doubleStart?: boolean;
  /** End blocked after this many steps (the next one needs an artifact nobody made). */
  blockAfter?: number;
}

const EMPTY = {
  step_id: null,
  agent: null,
  action: null,
  status: 'running',
  error: null,
  artifacts: null,
  metadata: null,
  rationale: null,
  input_summary: null,
  criteria: null,
  skill_name: null,
  model_profile: null,
  artifact_paths: null,
  tool_call_summary: null,
};

export function planFailures(g: Gen, steps: number): Map<number, FailurePlan> {
  const m = new Map<number, FailurePlan>();
  for (let i = 0; i < steps; i++) {
    if (!g.rng.chance(g.opts.failureRate)) continue;
    const p = g.rng.pick<FailurePlan>([
      'retry-ok',
      'retry-ok',
      'retry-fail',
      'fail',
      'skip',
      'escalate',
      'auto',
    ]);
    m.set(i, p);
    if (p !== 'retry-ok') break;
  }
  if (g.rng.chance(0.02)) m.set(g.rng.int(0, steps - 1), 'killed');
  return m;
}

/**
 * A headless `WorkflowExecutor` run: the event log (`+00:00Z` times), audit lines for step-failure
 * handling (each written 1-3 times), SESSION_HANDOFF.md, state snapshots and `.meta.json`. Returns the
 * end time. A workflow id can be reused (epic stories restarted within the same second): the lines are
 * appended to the same log.
 */
export function headlessRun(g: Gen, r: HeadlessRun): number {
  const { rng, clock, sinks, truth } = g;
  const rel = `workflow-state/events/${r.id}.events.jsonl`;
  let seq = g.nextSeq(r.id);
  let t = r.startUs;
  const emit = (o: Record<string, unknown>) => {
    // Spreading `o` last keeps the log's key order: repeated keys keep their first position.
    sinks.line(
      rel,
      dumps({
        event_type: o.event_type,
        workflow_id: r.id,
        seq: ++seq,
        timestamp: clock.utcZ(t),
        ...EMPTY,
        ...o,
      }),
      t,
    );
  };
  const meta = { workflow_name: r.name, workflow_version: r.version, step_count: r.steps.length };
  emit({ event_type: 'workflow_start', metadata: meta });
  if (r.doubleStart) {
    t += rng.int(100, 400);
    emit({ event_type: 'workflow_start', metadata: meta });
  }
  const leak = rng.int(1, 3);
  const audit = (status: string, step: string, details: Record<string, unknown>) => {
    const json = dumps({
      timestamp: clock.utc(t + 80),
      event_type: 'step_fail_behavior',
      workflow_id: r.id,
      step_id: step,
      command: null,
      status,
      details,
    });
    for (let i = 0; i < leak; i++)
      sinks.line('audit/execution_audit.log', `${clock.logTime(t + 80)} | INFO | ${json}`, t + 80);
  };
  let completed = 0;
  let end:
    | { status: 'completed' | 'failed' | 'paused' | 'killed'; error?: string; logged: boolean }
    | undefined;
  for (let i = 0; i < r.steps.length && !end; i++) {
    if (r.blockAfter !== undefined && i >= r.blockAfter) {
      end = {
        status: 'failed',
        error: 'Workflow blocked: no ready steps and workflow not complete',
        logged: true,
      };
      break;
    }
    const s = r.steps[i] as StepDef;
    const agent = s.agent;
    const action = rng.spelling(s.action);
    const plan = r.failures.get(i);
    const base = { step_id: s.id, agent, action, skill_name: agent };
    let attempt = 0;
    const start = (): number => {
      attempt += 1;
      t += rng.int(200, 900);
      emit({ event_type: 'step_start', ...base });
      return t;
    };
    const attemptOf = (outcome: StepAttempt['outcome'], begin: number, error?: string): StepAttempt => {
      const a: StepAttempt = {
        wf: r.id,
        stepId: s.id,
        agent,
        action: s.action,
        outcome,
        startUs: begin,
        endUs: t,
        attempt,
      };
      if (error !== undefined) a.error = error;
      return a;
    };
    const succeed = () => {
      const begin = start();
      t += Math.round(rng.skewed(20_000, 60_000_000));
      const files = artifactPaths(rng, rng.int(0, 3));
      const artifacts = Object.fromEntries(
        files.map((p) => [p.split('/').pop() as string, { path: p, status: 'complete' }]),
      );
      emit({
        event_type: 'step_finish',
        ...base,
        status: 'completed',
        artifacts,
        artifact_paths: files.length > 0 ? files : null,
        tool_call_summary: {
          success: true,
          duration_ms: f((t - begin) / 1000),
          command: `${agent} ${action}`,
        },
      });
      for (const [name, a] of Object.entries(artifacts)) {
        t += 40;
        emit({
          event_type: 'artifact_created',
          ...base,
          skill_name: null,
          status: 'created',
          artifacts: { [name]: a },
        });
      }
      completed += 1;
      const a = attemptOf('success', begin);
      addTaskTruth(g, 'event-log', a, 'success');
      g.attemptSideEffects(a, true);
      for (const domain of s.consults ?? []) {
        if (rng.chance(0.6)) g.consult(agent, domain, begin + rng.int(1000, 50_000));
        for (let k = 0; k < g.opts.reviewConsults && agent === 'reviewer'; k++)
          g.consult(agent, domain, begin + 60_000 + k * 1000);
      }
    };
    const fail = (
      status: string,
      metadata: Record<string, unknown>,
      final: boolean,
      auditDetails: (e: string) => Record<string, unknown>,
    ) => {
      const begin = start();
      t += Math.round(rng.skewed(20_000, 3_000_000));
      const error = errorText(rng);
      emit({
        event_type: status === 'skipped' ? 'step_skip' : 'step_fail',
        ...base,
        status,
        error,
        metadata,
        tool_call_summary: final ? { success: false, error } : null,
      });
      audit(
        status === 'skipped' ? 'skip' : (metadata.behavior as string),
        s.id,
        auditDetails(error.slice(0, 200)),
      );
      const a = attemptOf('failure', begin, error);
      addTaskTruth(g, 'event-log', a, status === 'skipped' ? 'skipped' : 'failure');
      g.attemptSideEffects(a, true);
      return error;
    };
    if (plan === undefined) succeed();
    else if (plan === 'retry-ok' || plan === 'retry-fail') {
      const retries = plan === 'retry-ok' ? rng.int(1, 2) : 2;
      for (let k = 1; k <= retries; k++)
        fail('retry', { behavior: 'retry', attempt: k, max: 2 }, false, (e) => ({
          attempt: k,
          max: 2,
          error: e,
        }));
      if (plan === 'retry-ok') succeed();
      else {
        const error = fail('failed', { behavior: 'retry', suggestions: null }, true, (e) => ({
          error: e,
          suggestions: null,
        }));
        end = { status: 'failed', error: `Step ${s.id} failed: ${error}`, logged: false };
      }
    } else if (plan === 'fail') {
      const error = fail('failed', { behavior: 'fail', suggestions: null }, true, (e) => ({
        error: e,
        suggestions: null,
      }));
      end = { status: 'failed', error: `Step ${s.id} failed: ${error}`, logged: false };
    } else if (plan === 'skip') {
      fail('skipped', { behavior: 'skip' }, false, (e) => ({ error: e }));
      // The steps after it need its artifacts: the executor finds nothing ready and stops.
      end = {
        status: 'failed',
        error: 'Workflow blocked: no ready steps and workflow not complete',
        logged: true,
      };
    } else if (plan === 'escalate') {
      const error = fail('paused', { behavior: 'escalate', suggestions: ['Check logs'] }, true, (e) => ({
        error: e,
        suggestions: ['Check logs'],
      }));
      end = { status: 'paused', error: `Step ${s.id} failed: ${error}`, logged: false };
    } else if (plan === 'auto') {
      const error = errorText(rng);
      for (let k = 0; k < 4; k++) {
        const begin = start();
        t += Math.round(rng.skewed(20_000, 300_000)) + (k < 3 ? 1_000_000 * 2 ** k : 0);
        const a = attemptOf('failure', begin, error);
        addTaskTruth(g, 'event-log', a, 'failure');
        g.attemptSideEffects(a, true);
      }
      end = { status: 'failed', error: `Step failed after 3 retries: \n[ERROR] ${error}`, logged: false };
    } else {
      const begin = start();
      t += rng.int(1_000_000, 60_000_000);
      g.attemptSideEffects(attemptOf('cancelled', begin), false);
      end = { status: 'killed', logged: false };
    }
  }
  end ??= { status: 'completed', logged: true };
  t += rng.int(200, 800);
  if (end.logged) {
    emit({ event_type: 'workflow_end', status: end.status, error: end.error ?? null });
  }
  if (end.status !== 'killed') {
    addWorkflow(truth, r.type, end.status);
    t += rng.int(50, 300);
    handoff(g, r.id, t, end.status, completed);
  }
  state(g, r, t, end.status === 'killed' ? 'running' : end.status, end.error);
  g.setSeq(r.id, seq);
  return t;
}

function handoff(g: Gen, id: string, us: number, status: string, completed: number): void {
  g.sinks.file(
    `workflow-state/${id}/SESSION_HANDOFF.md`,
    [
      '---',
      `workflow_id: ${id}`,
      `session_ended_at: '${g.clock.utc(us)}'`,
      `summary: 'Workflow ${status}. Completed steps: ${completed}.'`,
      'done: []',
      'decisions: []',
      'next_steps:',
      "- 'Resume with: tapps-agents workflow resume'",
      'artifact_paths: []',
      '---',
      '',
      `# Session Handoff: ${id}`,
      '',
    ].join('\n'),
    us,
  );
}

/** The last state snapshot and its `.meta.json` (the reader takes a failed run's error from it). */
function state(g: Gen, r: HeadlessRun, us: number, status: string, error: string | undefined): void {
  const file = `${r.id}-${g.clock.stamp(us)}.json`;
  const snapshot = {
    workflow_id: r.id,
    started_at: g.clock.local(r.startUs),
    current_step: r.steps[0]?.id ?? null,
    completed_steps: [],
    skipped_steps: [],
    artifacts: {},
    variables: { user_prompt: promptText(g.rng), target_file: `src/ledger/settlement_matcher.py` },
    status,
    error: error ?? null,
    _checksum: '0'.repeat(64),
  };
  g.sinks.file(`workflow-state/${file}`, dumps(snapshot, 2), us);
  if (g.opts.noise) g.sinks.file(`workflow-state/history/${file}`, dumps(snapshot, 2), us);
  g.sinks.file(
    `workflow-state/${r.id}.meta.json`,
    dumps(
      {
        version: '2.0',
        saved_at: g.clock.local(us),
        checksum: '0'.repeat(64),
        workflow_id: r.id,
        state_file: file,
        workflow_path: null,
        compression: false,
        current_step: r.steps[0]?.id ?? null,
        completed_steps_count: 0,
        progress_percentage: f(0),
        trigger_step_id: null,
      },
      2,
    ),
    us,
  );
}

export function headlessWorkflow(g: Gen, def: WorkflowDef, us: number): number {
  const { id, us: start } = g.uniqueId(def.id, us, false);
  return headlessRun(g, {
    id,
    type: def.id,
    name: def.name,
    version: def.version,
    steps: def.steps,
    startUs: start,
    failures: planFailures(g, def.steps.length),
  });
}
