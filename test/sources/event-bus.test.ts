import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dumps, f } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const WF = 'fix-20261014-102342-744017';
/** 2026-10-14T10:23:42 in Los Angeles is 17:23:42 UTC: epoch 1792000000 is near; names carry the UTC epoch. */
const T0 = Date.parse('2026-10-14T17:23:42Z') / 1000;

function bus(
  t: TempTapps,
  dt: number,
  type: string,
  step: string | null,
  data: Record<string, unknown>,
): void {
  const epoch = (T0 + dt).toFixed(6);
  const local = new Date((T0 + dt - 7 * 3600) * 1000).toISOString().slice(0, 23);
  t.write(
    `events/${WF}-${epoch}-${type}.json`,
    dumps(
      {
        event_type: type,
        workflow_id: WF,
        step_id: step,
        data,
        timestamp: local,
        correlation_id: step ? `${WF}:${step}` : WF,
      },
      2,
    ),
  );
}

describe('event-bus reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('turns step and workflow events into tasks and a workflow; counts every file; times from the file name', async () => {
    bus(t, 0, 'workflow_started', null, {
      workflow_name: 'Fix',
      workflow_version: '1.0.0',
      step_count: 6,
      user_prompt: 'secret prompt',
    });
    bus(t, 0.1, 'step_started', 'enhance', {
      agent: 'enhancer',
      action: 'enhance_prompt',
      step_id: 'enhance',
    });
    bus(t, 9.1, 'step_failed', 'enhance', {
      agent: 'enhancer',
      action: 'enhance_prompt',
      error: 'boom',
      attempts: 1,
    });
    bus(t, 10.1, 'step_started', 'enhance', {
      agent: 'enhancer',
      action: 'enhance_prompt',
      step_id: 'enhance',
    });
    bus(t, 19.2, 'step_completed', 'enhance', {
      agent: 'enhancer',
      action: 'enhance-prompt',
      duration_seconds: f(9.1),
      artifact_count: 1,
    });
    bus(t, 19.3, 'artifact_created', 'enhance', { artifact: { path: '/home/dana/x.md' } });
    // Passed over (its input is missing): completed without a start.
    bus(t, 19.4, 'step_completed', 'fix', {
      agent: 'implementer',
      action: 'write_code',
      duration_seconds: f(2.4e-5),
      artifact_count: 0,
    });
    bus(t, 19.5, 'workflow_failed', null, { error: 'Workflow blocked: no ready steps', step_id: 'fix' });
    const c = await collect(t.dir, {}, { stores: ['event-bus'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.status, e.attempt, e.finishedAt]),
      [
        [`step:${WF}:enhance:nok:1`, 'failure', 1, '2026-10-14T17:23:51.100Z'],
        [`step:${WF}:enhance:ok:1`, 'success', 2, '2026-10-14T17:24:01.200Z'],
        [`step:${WF}:fix:ok:1`, 'success', 1, '2026-10-14T17:24:01.400Z'],
      ],
    );
    assert.equal(c.tasks[1]?.durationMs, 9100);
    assert.deepEqual(c.tasks[1]?.workflow, { id: WF, type: 'fix', name: 'Fix' });
    assert.deepEqual(
      c.workflows.map((w) => [w.id, w.status, w.errorMessage]),
      [[`wf:${WF}:1`, 'failed', 'Workflow blocked: no ready steps']],
    );
    assert.equal(c.stats['event-bus'].records, 8);
    assert.equal(emittedCount(await collect(t.dir, c.checkpoints, { stores: ['event-bus'] })), 0);
  });

  it('reads files that appear later, including one just under the watermark lag', async () => {
    const first = await collect(t.dir, {}, { stores: ['event-bus'] });
    bus(t, 19.45, 'step_started', 'review', { agent: 'reviewer', action: 'review_code', step_id: 'review' });
    bus(t, 30, 'step_completed', 'review', {
      agent: 'reviewer',
      action: 'review_code',
      duration_seconds: f(10),
      artifact_count: 0,
    });
    const c = await collect(t.dir, first.checkpoints, { stores: ['event-bus'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.attempt]),
      [[`step:${WF}:review:ok:1`, 1]],
    );
    assert.equal(c.stats['event-bus'].records, 2);
  });

  it('does not emit again a step the markers already reported', async () => {
    t.write(
      `workflows/markers/${WF}/step-enhance/DONE.json`,
      dumps({
        workflow_id: WF,
        step_id: 'enhance',
        agent: 'enhancer',
        action: 'enhance_prompt',
        status: 'completed',
        timestamp: '2026-10-14T10:24:01.1',
      }),
    );
    const c = await collect(t.dir, {}, { stores: ['markers', 'event-bus'] });
    const ids = c.tasks.map((e) => `${e.source} ${e.id}`);
    assert.ok(ids.includes(`markers step:${WF}:enhance:ok:1`));
    assert.ok(!ids.includes(`event-bus step:${WF}:enhance:ok:1`));
    assert.equal(c.stats['event-bus'].duplicates, 1);
  });

  it('reports a file it cannot name or parse, once', async () => {
    t.write('events/notes.json', '{}');
    bus(t, 40, 'step_failed', null, {});
    t.write(`events/${WF}-${(T0 + 41).toFixed(6)}-step_failed.json`, '{ nope');
    const c = await collect(t.dir, {}, { stores: ['event-bus'], now: () => Date.now() + 60_000 });
    assert.deepEqual(
      c.stats['event-bus'].problems.map((p) => p.reason),
      ['unrecognized event file name', 'step event without step_id', 'not valid JSON'],
    );
    assert.equal(
      (await collect(t.dir, c.checkpoints, { stores: ['event-bus'] })).stats['event-bus'].skipped,
      0,
    );
  });
});
