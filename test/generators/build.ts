import { errorText, promptText } from './canaries.ts';
import { BUILD_STEPS } from './catalog.ts';
import { addTaskTruth, type Gen, type StepAttempt } from './gen.ts';
import { dumps } from './py-json.ts';
import { addWorkflow } from './truth.ts';

/**
 * A `simple-mode build`: one checkpoint per step that ran (`step<N>-<agent>.json`, numbered by the
 * step's position, so a skipped step leaves a gap; `completed_at` naive local) whose `step_output`
 * holds the agent's result, and SESSION_HANDOFF.md with the outcome. Execution metrics key the steps
 * by agent.
 */
export function buildRun(g: Gen, us: number): number {
  const { rng, clock, sinks, truth } = g;
  const { id, us: t0 } = g.uniqueId('build', us, false);
  let t = t0 + rng.int(100_000, 900_000);
  let failed = false;
  let ran = 0;
  const done: string[] = [];
  for (let i = 0; i < BUILD_STEPS.length; i++) {
    const s = BUILD_STEPS[i] as (typeof BUILD_STEPS)[number];
    if (i >= 3 && rng.chance(0.25)) continue;
    const begin = t;
    t += Math.round(rng.skewed(5_000, 4_000_000));
    // The enhance step's output has no success flag: it only exists when enhancing worked.
    const ok = s.id === 'enhance' || !rng.chance(g.opts.failureRate);
    const error = ok ? undefined : errorText(rng);
    const output =
      s.id === 'enhance'
        ? { enhanced_prompt: `## Summary / TL;DR\n\n- **What:** ${promptText(rng)}` }
        : {
            agent_id: `${s.agent}-1`,
            agent: s.agent,
            command: s.action,
            success: ok,
            ...(ok ? { result: "{'type': 'implement', 'execution_mode': 'direct'}" } : { error }),
          };
    sinks.file(
      `workflow-state/${id}/checkpoints/step${i + 1}-${s.id}.json`,
      dumps(
        {
          workflow_id: id,
          step_id: s.id,
          step_number: i + 1,
          step_name: `${s.id}-result`,
          completed_at: clock.local(t),
          step_output: output,
          artifacts: {},
          metadata: {},
          checksum: '0'.repeat(64),
          version: '1.0',
        },
        2,
      ),
      t,
    );
    ran += 1;
    done.push(`step ${s.id}`);
    const a: StepAttempt = {
      wf: id,
      stepId: s.agent,
      agent: s.agent,
      action: s.action,
      outcome: ok ? 'success' : 'failure',
      startUs: begin,
      endUs: t,
      attempt: 1,
    };
    if (error !== undefined) a.error = error;
    if (a.outcome === 'failure') failed = true;
    addTaskTruth(g, 'build-checkpoints', a, a.outcome === 'success' ? 'success' : 'failure');
    g.attemptSideEffects(a, true);
    for (const domain of s.consults ?? []) if (rng.chance(0.5)) g.consult(s.agent, domain, begin + 2000);
  }
  t += rng.int(1000, 50_000);
  const status = failed ? 'failed' : 'completed';
  addWorkflow(truth, 'build', status);
  sinks.file(
    `workflow-state/${id}/SESSION_HANDOFF.md`,
    [
      '---',
      `workflow_id: ${id}`,
      `session_ended_at: '${clock.utc(t)}'`,
      `summary: 'Build workflow ${status}. Steps: ${ran}.'`,
      'done:',
      ...done.map((d) => `- ${d}`),
      'decisions: []',
      '---',
      '',
      `# Session Handoff: ${id}`,
      '',
    ].join('\n'),
    t,
  );
  return t;
}
