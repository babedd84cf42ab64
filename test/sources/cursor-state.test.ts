import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dumps, f } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const BLOCKED = 'rapid-dev-20261115-120700-610894';
const FAILED = 'fix-20261014-102342-744017';

function state(t: TempTapps, id: string, status: string, error: string | null): void {
  t.write(
    `workflow-state/${id}.json`,
    dumps(
      {
        workflow_id: id,
        status,
        started_at: '2026-11-15T12:07:00.610983',
        completed_steps: ['enhance'],
        variables: { workflow_name: 'Rapid Development', user_prompt: 'prompt' },
        step_executions: [
          { step_id: 'enhance', status: 'completed', completed_at: '2026-11-15T12:07:27.828772' },
          { step_id: 'planning', status: 'failed', completed_at: '2026-11-15T12:22:31.899483' },
        ],
        error,
      },
      2,
    ),
  );
}

describe('Cursor executor state and workflow analytics readers', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('reports a blocked run (only the executor state has it) once it is terminal', async () => {
    state(t, BLOCKED, 'running', null);
    // A headless snapshot and plan share the naming pattern: not executor states.
    t.write(
      `workflow-state/${BLOCKED}-20261115-120700.json`,
      dumps({ workflow_id: BLOCKED, status: 'failed' }),
    );
    t.write(`workflow-state/${BLOCKED}-execution-plan.json`, dumps({ steps: [] }));
    let c = await collect(t.dir, {}, { stores: ['cursor-state'] });
    assert.equal(emittedCount(c), 0);
    state(t, BLOCKED, 'blocked', "Step 'planning' exceeded timeout of 900s");
    c = await collect(t.dir, c.checkpoints, { stores: ['cursor-state'] });
    assert.deepEqual(
      c.workflows.map((w) => [
        w.id,
        w.status,
        w.startedAt,
        w.finishedAt,
        w.stepsCompleted,
        w.stepsFailed,
        w.workflow.name,
      ]),
      [
        [
          `wf:${BLOCKED}:1`,
          'blocked',
          '2026-11-15T20:07:00.610Z',
          '2026-11-15T20:22:31.899Z',
          1,
          1,
          'Rapid Development',
        ],
      ],
    );
    assert.equal(emittedCount(await collect(t.dir, c.checkpoints, { stores: ['cursor-state'] })), 0);
  });

  it('counts a run the analytics history and the executor state both record once, from the history', async () => {
    t.write(
      'analytics/history/workflows-2026-10-14.jsonl',
      `${dumps({ workflow_id: FAILED, workflow_name: 'Fix', duration: f(28.778222), steps: 6, success: false, timestamp: '2026-10-14T10:24:11.522285' })}\n` +
        `${dumps({ workflow_id: 'w-123', workflow_name: 'rapid', duration: f(60.0), steps: 5, success: true, timestamp: '2026-01-30T16:05:40.876060+00:00' })}\n`,
    );
    state(t, FAILED, 'failed', 'Workflow blocked: no ready steps');
    const c = await collect(t.dir, {}, { stores: ['analytics-workflows', 'cursor-state'] });
    assert.deepEqual(
      c.workflows.map((w) => [w.source, w.id, w.status, w.finishedAt, w.durationMs, w.stepsTotal]),
      [
        ['analytics-workflows', `wf:${FAILED}:1`, 'failed', '2026-10-14T17:24:11.522Z', 28778.222, 6],
        ['analytics-workflows', 'wf:w-123:1', 'completed', '2026-01-30T16:05:40.876Z', 60000, 5],
        ['cursor-state', `wf:${BLOCKED}:1`, 'blocked', '2026-11-15T20:22:31.899Z', 931289, undefined],
      ],
    );
    assert.equal(c.stats['cursor-state'].duplicates, 1);
  });
});
