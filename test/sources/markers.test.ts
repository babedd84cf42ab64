import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dumps, f } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const WF = 'rapid-dev-20261002-121204-353712';
const DIR = `workflows/markers/${WF}/step-enhance`;
const base = { workflow_id: WF, step_id: 'enhance', agent: 'enhancer' };

const failed = (ts: string, started: string, error: string) =>
  dumps(
    {
      ...base,
      action: 'enhance_prompt',
      status: 'failed',
      timestamp: ts,
      error,
      worktree_path: '/home/dana/ledgerly-api/.tapps-agents/worktrees/w',
      expected_artifacts: ['enhanced-requirements.md'],
      duration_seconds: f(8.942702),
      started_at: started,
      error_type: 'RuntimeError',
      metadata: { marker_location: `.tapps-agents/${DIR}/FAILED.json` },
    },
    2,
  );

describe('step markers reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('reads FAILED then DONE of a retried step: two attempts, naive local times made UTC', async () => {
    t.write(
      `${DIR}/FAILED.json`,
      failed('2026-10-02T12:12:13.296720', '2026-10-02T12:12:04.354018', 'ClientError (AccessKeyId=AKIA…)'),
    );
    t.write(
      `${DIR}/DONE.json`,
      dumps(
        {
          ...base,
          action: 'enhance-prompt',
          status: 'completed',
          timestamp: '2026-10-02T12:12:42.601367',
          found_artifacts: [
            '/home/dana/ledgerly-api/enhanced-requirements.md',
            '/home/dana/ledgerly-api/src/a.py',
          ],
          duration_seconds: f(28.304369),
          started_at: '2026-10-02T12:12:14.296998',
          completed_at: '2026-10-02T12:12:42.601367',
        },
        2,
      ),
    );
    const c = await collect(t.dir, {}, { stores: ['markers'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.action, e.status, e.attempt, e.startedAt, e.finishedAt, e.durationMs]),
      [
        [
          `step:${WF}:enhance:nok:1`,
          'enhance-prompt',
          'failure',
          1,
          '2026-10-02T19:12:04.354Z',
          '2026-10-02T19:12:13.296Z',
          8942.702,
        ],
        [
          `step:${WF}:enhance:ok:1`,
          'enhance-prompt',
          'success',
          2,
          '2026-10-02T19:12:14.296Z',
          '2026-10-02T19:12:42.601Z',
          28304.369,
        ],
      ],
    );
    assert.equal(c.tasks[0]?.errorType, 'RuntimeError');
    assert.equal(c.tasks[1]?.files?.length, 2);
    assert.deepEqual(c.tasks[0]?.workflow, { id: WF, type: 'rapid-dev' });
    assert.equal(emittedCount(await collect(t.dir, c.checkpoints, { stores: ['markers'] })), 0);
  });

  it('counts a FAILED.json rewritten by another failure as the next failure; an unchanged rewrite as nothing', async () => {
    const first = await collect(t.dir, {}, { stores: ['markers'] });
    const same = failed(
      '2026-10-02T12:12:13.296720',
      '2026-10-02T12:12:04.354018',
      'ClientError (AccessKeyId=AKIA…)',
    );
    t.write(`${DIR}/FAILED.json`, same, new Date(Date.now() + 5000));
    assert.equal(emittedCount(await collect(t.dir, first.checkpoints, { stores: ['markers'] })), 0);
    t.write(
      `${DIR}/FAILED.json`,
      failed('2026-10-02T12:13:13.000001', '2026-10-02T12:13:04.000000', 'TimeoutError'),
    );
    const c = await collect(t.dir, first.checkpoints, { stores: ['markers'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.attempt]),
      [[`step:${WF}:enhance:nok:2`, 2]],
    );
  });

  it('skips a malformed marker once and names it', async () => {
    const rel = `workflows/markers/${WF}/step-planning/DONE.json`;
    t.write(rel, '{"workflow_id": ');
    const c = await collect(t.dir, {}, { stores: ['markers'], now: () => Date.now() + 60_000 });
    assert.deepEqual(c.stats.markers.problems, [{ path: rel, reason: 'not valid JSON' }]);
    const again = await collect(t.dir, c.checkpoints, { stores: ['markers'] });
    assert.equal(again.stats.markers.skipped, 0);
  });

  it('leaves a marker that does not parse yet and was written a moment ago for the next run', async () => {
    const rel = `workflows/markers/${WF}/step-review/DONE.json`;
    t.write(rel, '{"workflow_id": ');
    const c = await collect(t.dir, {}, { stores: ['markers'] });
    assert.equal(c.stats.markers.problems.filter((p) => p.path === rel).length, 0);
    t.write(
      rel,
      dumps({
        ...base,
        step_id: 'review',
        agent: 'reviewer',
        action: 'review_code',
        status: 'completed',
        timestamp: '2026-10-02T12:20:00',
      }),
    );
    const next = await collect(t.dir, c.checkpoints, { stores: ['markers'] });
    assert.deepEqual(
      next.tasks.map((e) => e.id),
      [`step:${WF}:review:ok:1`],
    );
  });
});
