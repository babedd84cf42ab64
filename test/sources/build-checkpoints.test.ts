import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dumps } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const B = 'build-20261009-154116';

function checkpoint(
  t: TempTapps,
  n: number,
  step: string,
  output: Record<string, unknown>,
  at: string,
): void {
  t.write(
    `workflow-state/${B}/checkpoints/step${n}-${step}.json`,
    dumps(
      {
        workflow_id: B,
        step_id: step,
        step_number: n,
        step_name: `${step}-result`,
        completed_at: at,
        step_output: output,
        artifacts: {},
        metadata: {},
        checksum: 'x',
        version: '1.0',
      },
      2,
    ),
  );
}

describe('simple-mode build reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('reads each step that ran and the build outcome from its handoff', async () => {
    checkpoint(
      t,
      1,
      'enhance',
      { enhanced_prompt: '## Summary\nsecret prompt' },
      '2026-10-09T15:41:16.821277',
    );
    checkpoint(
      t,
      4,
      'designer',
      {
        agent_id: 'designer-1',
        agent: 'designer',
        command: 'design-api',
        success: false,
        error: 'Invalid skill command',
      },
      '2026-10-09T15:41:16.959104',
    );
    checkpoint(
      t,
      5,
      'implementer',
      { agent_id: 'implementer-1', agent: 'implementer', command: 'implement', success: true },
      '2026-10-09T15:41:17.069489',
    );
    const first = await collect(t.dir, {}, { stores: ['build-checkpoints'] });
    assert.deepEqual(
      first.tasks.map((e) => [e.id, e.agent, e.action, e.status, e.finishedAt, e.errorMessage ?? null]),
      [
        [`step:${B}:enhancer:ok:1`, 'enhancer', 'enhance', 'success', '2026-10-09T22:41:16.821Z', null],
        [
          `step:${B}:designer:nok:1`,
          'designer',
          'design-api',
          'failure',
          '2026-10-09T22:41:16.959Z',
          'Invalid skill command',
        ],
        [
          `step:${B}:implementer:ok:1`,
          'implementer',
          'implement',
          'success',
          '2026-10-09T22:41:17.069Z',
          null,
        ],
      ],
    );
    assert.equal(first.workflows.length, 0);
    t.write(
      `workflow-state/${B}/SESSION_HANDOFF.md`,
      `---\nworkflow_id: ${B}\nsession_ended_at: '2026-10-09T22:41:17.069489+00:00'\nsummary: 'Build workflow failed. Steps: 5.'\ndone:\n- step enhance\n---\n`,
    );
    const second = await collect(t.dir, first.checkpoints, { stores: ['build-checkpoints'] });
    assert.deepEqual(
      second.workflows.map((w) => [w.id, w.workflow.type, w.status, w.stepsTotal, w.startedAt, w.durationMs]),
      [[`wf:${B}:1`, 'build', 'failed', 5, '2026-10-09T22:41:16.000Z', 1069]],
    );
    assert.equal(
      emittedCount(await collect(t.dir, second.checkpoints, { stores: ['build-checkpoints'] })),
      0,
    );
  });
});
