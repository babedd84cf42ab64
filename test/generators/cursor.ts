import { artifactPaths, errorText, PROJECT_ROOT, promptText } from './canaries.ts';
import { ERROR_TYPES, type StepDef, type WorkflowDef } from './catalog.ts';
import { addTaskTruth, type Gen, type StepAttempt } from './gen.ts';
import { dumps, f } from './py-json.ts';
import { addWorkflow } from './truth.ts';

type Ending = 'completed' | 'passover' | 'blocked' | 'killed';

/**
 * A Cursor-mode run (`CursorWorkflowExecutor`): step markers (a retried step keeps its FAILED.json
 * next to DONE.json), one event-bus file per event (naive local times, the UTC epoch in the name),
 * the executor state `<wf>.json`, and the analytics history line for runs ending `completed` or
 * `failed`. A step the executor passes over (its input artifact is missing) is reported
 * `step_completed` with no start and no marker, and the run then ends "blocked: no ready steps".
 */
export function cursorWorkflow(g: Gen, def: WorkflowDef, us: number): number {
  const { rng, clock, sinks, truth } = g;
  const { id, us: t0 } = g.uniqueId(def.id, us, true);
  const v = g.version(t0);
  let t = t0;
  const ending = rng.pick<Ending>(['completed', 'completed', 'passover', 'passover', 'blocked', 'killed']);
  const stopAt = ending === 'completed' ? def.steps.length : rng.int(1, def.steps.length - 1);
  const epoch = (x: number) => `${Math.floor(x / 1e6)}.${String(x % 1e6).padStart(6, '0')}`;
  const bus = (type: string, step: string | null, data: Record<string, unknown>) => {
    t += rng.int(30, 400);
    sinks.file(
      `events/${id}-${epoch(t)}-${type}.json`,
      dumps(
        {
          event_type: type,
          workflow_id: id,
          step_id: step,
          data,
          timestamp: clock.local(t),
          correlation_id: step ? `${id}:${step}` : id,
        },
        2,
      ),
      t,
    );
  };
  const name = def.name;
  bus('workflow_started', null, {
    workflow_name: name,
    workflow_version: def.version,
    step_count: def.steps.length,
    user_prompt: promptText(rng),
  });
  const executions: Record<string, unknown>[] = [];
  const completedSteps: string[] = [];
  let error: string | undefined;
  let status: 'completed' | 'failed' | 'blocked' | 'running' = 'completed';
  for (let i = 0; i < def.steps.length; i++) {
    const s = def.steps[i] as StepDef;
    const agent = s.agent;
    const action = rng.spelling(s.action);
    const markerDir = `workflows/markers/${id}/step-${s.id}`;
    const worktree = `workflow-${id}-step-${s.id}-${rng.int(0x10000000, 0x7fffffff).toString(16)}`;
    const common = { workflow_id: id, step_id: s.id, agent, action };
    if (i === stopAt && ending === 'passover') {
      bus('step_completed', s.id, {
        agent,
        action,
        duration_seconds: f(rng.int(20, 90) / 1e6),
        artifact_count: 0,
      });
      addTaskTruth(g, 'event-bus', attemptOf(id, s, t, t, 1, 'success'), 'success');
      completedSteps.push(s.id);
      status = 'failed';
      error = `Workflow blocked: no ready steps and workflow not complete. Completed: ${completedSteps.length}/${def.steps.length}.`;
      break;
    }
    const blocked = i === stopAt && ending === 'blocked';
    const failures = blocked ? 2 : rng.chance(g.opts.failureRate) ? 1 : 0;
    const attempts = blocked ? 2 : failures + 1;
    let attempt = 0;
    let succeeded = false;
    for (let k = 0; k < attempts && !succeeded; k++) {
      attempt += 1;
      bus('step_started', s.id, { agent, action, step_id: s.id });
      const begin = t;
      if (i === stopAt && ending === 'killed') {
        t += rng.int(1_000_000, 30_000_000);
        g.attemptSideEffects(attemptOf(id, s, begin, t, attempt, 'cancelled'), false);
        status = 'running';
        break;
      }
      t += Math.round(rng.skewed(2_000_000, 900_000_000));
      const worktreePath = `${PROJECT_ROOT}/.tapps-agents/worktrees/${worktree}`;
      if (k < failures) {
        const err = errorText(rng);
        sinks.file(
          `${markerDir}/FAILED.json`,
          dumps(
            {
              ...common,
              status: 'failed',
              timestamp: clock.local(t),
              error: err,
              worktree_name: worktree,
              worktree_path: worktreePath,
              expected_artifacts: ['src/'],
              duration_seconds: f((t - begin) / 1e6),
              started_at: clock.local(begin),
              error_type: rng.pick(ERROR_TYPES),
              metadata: { marker_location: `.tapps-agents/${markerDir}/FAILED.json` },
            },
            2,
          ),
          t,
        );
        bus('step_failed', s.id, { agent, action, error: err, attempts: attempt });
        executions.push(stepExecution(g, s, action, begin, t, 'failed', err));
        const a = attemptOf(id, s, begin, t, attempt, 'failure', err);
        addTaskTruth(g, attempt === 1 ? 'markers' : 'event-bus', a, 'failure');
        g.attemptSideEffects(a, true);
        error = err;
        t += 1_000_000;
        continue;
      }
      const found = artifactPaths(rng, rng.int(1, 12));
      sinks.file(
        `${markerDir}/DONE.json`,
        dumps(
          {
            ...common,
            status: 'completed',
            timestamp: clock.local(t),
            worktree_name: worktree,
            worktree_path: worktreePath,
            expected_artifacts: ['src/'],
            found_artifacts: found,
            duration_seconds: f((t - begin) / 1e6),
            started_at: clock.local(begin),
            completed_at: clock.local(t),
          },
          2,
        ),
        t,
      );
      bus('step_completed', s.id, {
        agent,
        action,
        duration_seconds: f((t - begin) / 1e6),
        artifact_count: found.length,
      });
      for (let n = 0; n < Math.min(found.length, 4); n++)
        bus('artifact_created', s.id, { artifact: { path: found[n] } });
      if (agent === 'reviewer') bus('gate_evaluated', s.id, { gate_result: { passed: true }, passed: true });
      executions.push(stepExecution(g, s, action, begin, t, 'completed', null));
      const a = attemptOf(id, s, begin, t, attempt, 'success');
      addTaskTruth(g, 'markers', a, 'success');
      g.attemptSideEffects(a, true);
      for (const domain of s.consults ?? [])
        if (rng.chance(0.6)) g.consult(agent, domain, begin + rng.int(1000, 50_000));
      completedSteps.push(s.id);
      succeeded = true;
    }
    if (status === 'running') break;
    if (!succeeded) {
      status = 'blocked';
      break;
    }
  }
  t += rng.int(200, 900);
  const duration = (t - t0) / 1e6;
  if (status === 'completed' || status === 'failed') {
    const ts = v === '3.6' ? clock.local(t) : clock.utc(t);
    const line = {
      workflow_id: id,
      workflow_name: name,
      duration: f(duration),
      steps: def.steps.length,
      success: status === 'completed',
      timestamp: ts,
    };
    sinks.line(
      `analytics/history/workflows-${v === '3.6' ? clock.localDate(t) : clock.utcDate(t)}.jsonl`,
      dumps(line),
      t,
    );
    if (v === '3.7') {
      bus(
        status === 'completed' ? 'workflow_completed' : 'workflow_failed',
        null,
        status === 'completed'
          ? { completed_steps: completedSteps.length, total_steps: def.steps.length }
          : { error, step_id: def.steps[Math.min(stopAt, def.steps.length - 1)]?.id ?? null },
      );
    }
  }
  if (status !== 'running') addWorkflow(truth, def.id, status);
  sinks.file(
    `workflow-state/${id}.json`,
    dumps(
      {
        workflow_id: id,
        status,
        current_step: def.steps[0]?.id ?? null,
        started_at: clock.local(t0),
        completed_steps: completedSteps,
        skipped_steps: [],
        variables: {
          user_prompt: promptText(rng),
          workflow_name: name,
          target_file: 'src/ledger/posting.py',
        },
        step_executions: executions,
        error: status === 'completed' || status === 'running' ? null : (error ?? null),
      },
      2,
    ),
    t,
  );
  if (g.opts.noise)
    sinks.file(
      `workflow-state/${id}-execution-plan.json`,
      dumps({ workflow_id: id, steps: def.steps.map((s) => s.id) }, 2),
      t0,
    );
  return t;
}

function attemptOf(
  wf: string,
  s: StepDef,
  startUs: number,
  endUs: number,
  attempt: number,
  outcome: StepAttempt['outcome'],
  error?: string,
): StepAttempt {
  const a: StepAttempt = {
    wf,
    stepId: s.id,
    agent: s.agent,
    action: s.action,
    outcome,
    startUs,
    endUs,
    attempt,
  };
  if (error !== undefined) a.error = error;
  return a;
}

function stepExecution(
  g: Gen,
  s: StepDef,
  action: string,
  begin: number,
  end: number,
  status: string,
  error: string | null,
): Record<string, unknown> {
  return {
    step_id: s.id,
    agent: s.agent,
    action,
    started_at: g.clock.local(begin),
    completed_at: g.clock.local(end),
    duration_seconds: f((end - begin) / 1e6),
    status,
    error,
  };
}
