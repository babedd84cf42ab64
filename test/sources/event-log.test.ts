import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as v from 'valibot';
import { Checkpoints } from '../../schema/checkpoints.ts';
import { TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import { dumps, f } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const WF = 'fix-20261022-105100';
const LOG = `workflow-state/events/${WF}.events.jsonl`;
let seq = 0;

function ev(type: string, ts: string, o: Record<string, unknown> = {}, wf = WF): string {
  seq += 1;
  return `${dumps({ event_type: type, workflow_id: wf, seq, timestamp: `2026-10-22T17:51:${ts}+00:00Z`, step_id: null, agent: null, action: null, status: 'running', error: null, metadata: null, artifact_paths: null, tool_call_summary: null, ...o })}\n`;
}

const start = (ts: string, steps = 6, wf = WF) =>
  ev(
    'workflow_start',
    ts,
    { metadata: { workflow_name: 'Fix', workflow_version: '1.0.0', step_count: steps } },
    wf,
  );
const stepStart = (ts: string, step: string, agent: string, action: string, wf = WF) =>
  ev('step_start', ts, { step_id: step, agent, action, skill_name: agent }, wf);
const finish = (ts: string, step: string, agent: string, action: string, ms: number, wf = WF) =>
  ev(
    'step_finish',
    ts,
    {
      step_id: step,
      agent,
      action,
      status: 'completed',
      artifact_paths: ['/home/dana/ledgerly-api/src/x.py'],
      tool_call_summary: { success: true, duration_ms: f(ms), command: `${agent} ${action}` },
    },
    wf,
  );
const fail = (ts: string, step: string, status: string, metadata: Record<string, unknown>) =>
  ev('step_fail', ts, {
    step_id: step,
    agent: 'debugger',
    action: 'analyze_error',
    status,
    error: 'GatewayError: 402',
    metadata,
  });

function handoff(t: TempTapps, wf: string, endedAt: string, summary: string): void {
  t.write(
    `workflow-state/${wf}/SESSION_HANDOFF.md`,
    `---\nworkflow_id: ${wf}\nsession_ended_at: '${endedAt}'\nsummary: '${summary}'\ndone: []\n---\n\n# Handoff\n`,
  );
}

describe('event-log reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('reads steps, retries and the outcome; `+00:00Z` times become UTC; names are normalized', async () => {
    t.write(
      LOG,
      start('00.521571') +
        stepStart('00.521799', 'enhance', 'enhancer', 'enhance_prompt') +
        finish('01.092686', 'enhance', 'enhancer', 'enhance_prompt', 570.67) +
        ev('artifact_created', '01.092700', { step_id: 'enhance', status: 'created' }) +
        stepStart('01.093298', 'debug', 'debugger', 'analyze-error') +
        fail('01.149378', 'debug', 'retry', { behavior: 'retry', attempt: 1, max: 2 }) +
        stepStart('01.149691', 'debug', 'debugger', 'analyze-error') +
        fail('01.189597', 'debug', 'retry', { behavior: 'retry', attempt: 2, max: 2 }) +
        stepStart('01.189842', 'debug', 'debugger', 'analyze-error') +
        fail('01.236889', 'debug', 'failed', { behavior: 'retry', suggestions: null }),
    );
    handoff(t, WF, '2026-10-22T17:51:01.237038+00:00', 'Workflow failed. Completed steps: 1.');
    t.write(
      `workflow-state/${WF}.meta.json`,
      dumps({ workflow_id: WF, state_file: `${WF}-20261022-105101.json` }),
    );
    t.write(
      `workflow-state/${WF}-20261022-105101.json`,
      dumps({ workflow_id: WF, status: 'failed', error: 'Step debug failed: GatewayError: 402' }),
    );
    const c = await collect(t.dir, {}, { stores: ['event-log'] });
    for (const e of c.tasks) assert.ok(v.is(TaskCompletedEvent, e), e.id);
    for (const w of c.workflows) assert.ok(v.is(WorkflowCompletedEvent, w), w.id);
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.agent, e.action, e.status, e.attempt]),
      [
        [`step:${WF}:enhance:ok:1`, 'enhancer', 'enhance-prompt', 'success', 1],
        [`step:${WF}:debug:nok:1`, 'debugger', 'analyze-error', 'failure', 1],
        [`step:${WF}:debug:nok:2`, 'debugger', 'analyze-error', 'failure', 2],
        [`step:${WF}:debug:nok:3`, 'debugger', 'analyze-error', 'failure', 3],
      ],
    );
    const enhance = c.tasks[0] as TaskCompletedEvent;
    assert.equal(enhance.startedAt, '2026-10-22T17:51:00.521Z');
    assert.equal(enhance.finishedAt, '2026-10-22T17:51:01.092Z');
    assert.equal(enhance.durationMs, 570.67);
    assert.deepEqual(enhance.workflow, { id: WF, type: 'fix', name: 'Fix' });
    assert.deepEqual(enhance.files, ['/home/dana/ledgerly-api/src/x.py']);
    assert.equal(c.tasks[1]?.errorMessage, 'GatewayError: 402');
    // No workflow_end: the executor raised; the handoff written after the last line gives the outcome.
    assert.equal(c.workflows.length, 1);
    assert.deepEqual(
      {
        id: c.workflows[0]?.id,
        status: c.workflows[0]?.status,
        failed: c.workflows[0]?.stepsFailed,
        total: c.workflows[0]?.stepsTotal,
      },
      { id: `wf:${WF}:1`, status: 'failed', failed: 1, total: 6 },
    );
    assert.equal(c.workflows[0]?.errorMessage, 'Step debug failed: GatewayError: 402');
    assert.equal(c.stats['event-log'].records, 10);
    assert.ok(v.is(Checkpoints, c.checkpoints));
    assert.equal(emittedCount(await collect(t.dir, c.checkpoints, { stores: ['event-log'] })), 0);
  });

  it('fails the attempts the automatic retries logged only as `step_start`, when the handoff ends the run', async () => {
    const wf = 'rapid-dev-20261022-171632';
    // An open run is waited for during the de-duplication window; the clock is set inside it.
    const now = () => Date.parse('2026-10-22T18:00:00Z');
    const rel = `workflow-state/events/${wf}.events.jsonl`;
    t.write(
      rel,
      start('00.100000', 6, wf) +
        stepStart('00.200000', 'enhance', 'enhancer', 'enhance_prompt', wf) +
        stepStart('01.200000', 'enhance', 'enhancer', 'enhance_prompt', wf) +
        stepStart('03.200000', 'enhance', 'enhancer', 'enhance_prompt', wf) +
        stepStart('07.200000', 'enhance', 'enhancer', 'enhance_prompt', wf),
    );
    let c = await collect(t.dir, {}, { stores: ['event-log'], now });
    const mine = (x: typeof c) => x.tasks.filter((e) => e.workflow?.id === wf);
    // Three restarts prove three failures; the fourth attempt is still open (no handoff yet).
    assert.deepEqual(
      mine(c).map((e) => [e.status, e.attempt]),
      [
        ['failure', 1],
        ['failure', 2],
        ['failure', 3],
      ],
    );
    assert.equal(c.workflows.filter((w) => w.workflow.id === wf).length, 0);
    // A handoff older than the last line is a previous run's: ignored.
    handoff(t, wf, '2026-10-22T17:51:07.000000+00:00', 'Workflow completed. Completed steps: 0.');
    c = await collect(t.dir, c.checkpoints, { stores: ['event-log'], now });
    assert.equal(emittedCount(c), 0);
    handoff(t, wf, '2026-10-22T17:51:07.400000+00:00', 'Workflow failed. Completed steps: 0.');
    c = await collect(t.dir, c.checkpoints, { stores: ['event-log'], now });
    assert.deepEqual(
      mine(c).map((e) => [e.id, e.attempt, (e.metadata as { inferred: string }).inferred]),
      [[`step:${wf}:enhance:nok:4`, 4, 'workflow-ended']],
    );
    assert.deepEqual(
      c.workflows.map((w) => [w.id, w.status]),
      [[`wf:${wf}:1`, 'failed']],
    );
  });

  it('stops waiting for a run killed without a handoff after the window', async () => {
    const wf = 'rapid-dev-20261110-142900';
    t.write(
      `workflow-state/events/${wf}.events.jsonl`,
      start('00.1', 6, wf) + stepStart('00.2', 'enhance', 'enhancer', 'enhance_prompt', wf),
    );
    const c = await collect(
      t.dir,
      {},
      { stores: ['event-log'], now: () => Date.parse('2026-11-30T00:00:00Z') },
    );
    const cp = c.checkpoints.files?.[`workflow-state/events/${wf}.events.jsonl`];
    assert.equal(cp?.kind === 'append' && cp.eventLog?.open, false);
    handoff(t, wf, '2026-12-01T00:00:00.000000+00:00', 'Workflow failed. Completed steps: 0.');
    assert.equal(emittedCount(await collect(t.dir, c.checkpoints, { stores: ['event-log'] })), 0);
  });

  it('counts a run per `workflow_end` when an epic reuses the id, and a doubled `workflow_start` once', async () => {
    const wf = 'story-4.1-20261009-110917';
    const rel = `workflow-state/events/${wf}.events.jsonl`;
    const run = (a: string, b: string, c: string, d: string) =>
      start(a, 4, wf) +
      start(b, 4, wf) +
      stepStart(c, 'implement', 'implementer', 'implement', wf) +
      finish(d, 'implement', 'implementer', 'implement', 11.5, wf) +
      ev(
        'workflow_end',
        d,
        { status: 'failed', error: 'Workflow blocked: no ready steps and workflow not complete' },
        wf,
      );
    t.write(rel, run('10.0', '10.1', '10.2', '10.3') + run('11.0', '11.1', '11.2', '11.3'));
    const c = await collect(t.dir, {}, { stores: ['event-log'] });
    assert.deepEqual(
      c.tasks.filter((e) => e.workflow?.id === wf).map((e) => [e.id, e.attempt]),
      [
        [`step:${wf}:implement:ok:1`, 1],
        [`step:${wf}:implement:ok:2`, 1],
      ],
    );
    const w = c.workflows.filter((x) => x.workflow.id === wf);
    assert.deepEqual(
      w.map((x) => [x.id, x.status, x.workflow.type]),
      [
        [`wf:${wf}:1`, 'failed', 'story-4.1'],
        [`wf:${wf}:2`, 'failed', 'story-4.1'],
      ],
    );
  });

  it('leaves a last line without newline for the next run, then reads exactly what was appended', async () => {
    const wf = 'quality-20261101-130332';
    const rel = `workflow-state/events/${wf}.events.jsonl`;
    const skip = ev(
      'step_skip',
      '03.1',
      {
        step_id: 'initial_review',
        agent: 'reviewer',
        action: 'review_code',
        status: 'skipped',
        error: 'ruff: 12 violations',
        metadata: { behavior: 'skip' },
      },
      wf,
    );
    t.write(
      rel,
      start('03.0', 6, wf) +
        stepStart('03.05', 'initial_review', 'reviewer', 'review_code', wf) +
        skip.slice(0, 40),
    );
    let c = await collect(t.dir, {}, { stores: ['event-log'] });
    assert.equal(c.tasks.filter((e) => e.workflow?.id === wf).length, 0);
    const cp = c.checkpoints.files?.[rel];
    assert.equal(cp?.kind, 'append');
    t.append(rel, skip.slice(40));
    c = await collect(t.dir, c.checkpoints, { stores: ['event-log'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.status, e.errorMessage]),
      [[`step:${wf}:initial-review:nok:1`, 'skipped', 'ruff: 12 violations']],
    );
    t.append(
      rel,
      ev('workflow_end', '03.2', { status: 'failed', error: 'Workflow blocked: no ready steps' }, wf),
    );
    c = await collect(t.dir, c.checkpoints, { stores: ['event-log'] });
    assert.deepEqual(c.tasks, []);
    assert.deepEqual(
      c.workflows.map((w) => [w.id, w.status, w.stepsFailed]),
      [[`wf:${wf}:1`, 'failed', 0]],
    );
    assert.equal(c.stats['event-log'].records, 1);
  });

  it('skips and reports a malformed line by path and line, and reads on', async () => {
    const wf = 'rapid-dev-20261110-142925';
    const rel = `workflow-state/events/${wf}.events.jsonl`;
    t.write(
      rel,
      `${start('25.1', 6, wf)}{"event_type": "step_start", "workflow_id": truncated\n[1, 2]\n${stepStart('25.2', 'enhance', 'enhancer', 'enhance_prompt', wf)}${finish('25.5', 'enhance', 'enhancer', 'enhance_prompt', 300, wf)}`,
    );
    const c = await collect(t.dir, {}, { stores: ['event-log'] });
    assert.equal(c.tasks.filter((e) => e.workflow?.id === wf).length, 1);
    assert.equal(c.stats['event-log'].skipped, 2);
    assert.deepEqual(c.stats['event-log'].problems, [
      { path: rel, line: 2, reason: 'not valid JSON' },
      { path: rel, line: 3, reason: 'not a JSON object' },
    ]);
    // Reported once: the next run starts after them.
    assert.equal(
      (await collect(t.dir, c.checkpoints, { stores: ['event-log'] })).stats['event-log'].skipped,
      0,
    );
  });

  it('reads a replaced (shorter, different) log from its start', async () => {
    const wf = 'fix-20261120-182207';
    const rel = `workflow-state/events/${wf}.events.jsonl`;
    t.write(
      rel,
      start('07.1', 6, wf) +
        stepStart('07.2', 'enhance', 'enhancer', 'enhance_prompt', wf) +
        finish('07.5', 'enhance', 'enhancer', 'enhance_prompt', 300, wf),
    );
    const first = await collect(t.dir, {}, { stores: ['event-log'] });
    t.write(
      rel,
      start('09.1', 6, wf) +
        stepStart('09.2', 'debug', 'debugger', 'analyze_error', wf) +
        finish('09.5', 'debug', 'debugger', 'analyze_error', 300, wf),
    );
    const c = await collect(t.dir, first.checkpoints, { stores: ['event-log'] });
    assert.deepEqual(
      c.tasks.map((e) => e.id),
      [`step:${wf}:debug:ok:1`],
    );
  });

  it('never mutates the checkpoints it was given', async () => {
    const before = (await collect(t.dir, {}, { stores: ['event-log'] })).checkpoints;
    const copy = structuredClone(before);
    t.append(LOG, ev('step_start', '02.0', { step_id: 'fix', agent: 'implementer', action: 'write_code' }));
    await collect(t.dir, before, { stores: ['event-log'] });
    assert.deepEqual(before, copy);
  });
});
