import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { dumps } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const WF = 'fix-20261022-105100';

function line(ts: string, status: string, details: Record<string, unknown>, copies = 1): string {
  const json = dumps({
    timestamp: `2026-10-22T17:51:${ts}+00:00`,
    event_type: 'step_fail_behavior',
    workflow_id: WF,
    step_id: 'debug',
    command: null,
    status,
    details,
  });
  return `2026-10-22 10:51:${ts.slice(0, 2)} | INFO | ${json}\n`.repeat(copies);
}

describe('audit log reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('drops the repeats of each record and numbers failures like the event log', async () => {
    t.write(
      'audit/execution_audit.log',
      line('01.149464', 'retry', { attempt: 1, max: 2, error: 'GatewayError' }) +
        line('01.189649', 'retry', { attempt: 2, max: 2, error: 'GatewayError' }, 2) +
        line('01.236979', 'retry', { error: 'GatewayError', suggestions: null }, 3),
    );
    const c = await collect(t.dir, {}, { stores: ['audit'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.agent, e.status, e.attempt, e.finishedAt]),
      [
        [`step:${WF}:debug:nok:1`, 'unknown', 'failure', 1, '2026-10-22T17:51:01.149Z'],
        [`step:${WF}:debug:nok:2`, 'unknown', 'failure', 2, '2026-10-22T17:51:01.189Z'],
        [`step:${WF}:debug:nok:3`, 'unknown', 'failure', 3, '2026-10-22T17:51:01.236Z'],
      ],
    );
    assert.equal(c.stats.audit.records, 6);
    assert.equal(emittedCount(await collect(t.dir, c.checkpoints, { stores: ['audit'] })), 0);
  });

  it('continues a file renamed by rotation in `.1` and reads the new file from its start', async () => {
    const first = await collect(t.dir, {}, { stores: ['audit'] });
    t.append('audit/execution_audit.log', line('02.000001', 'skip', { error: 'ruff' }, 2));
    renameSync(t.path('audit/execution_audit.log'), t.path('audit/execution_audit.log.1'));
    t.write(
      'audit/execution_audit.log',
      line('03.000001', 'escalate', { error: 'x', suggestions: ['Check logs'] }) +
        '2026-10-22 10:51:04 | INFO | {"timestamp": "2026-10-22T17:51:04+00:00", "event_type": "execution_completed", "workflow_id": "test-workflow-123", "step_id": "requirements", "command": "@analyst gather-requirements", "status": "completed", "details": {"duration_ms": 33.741}}\n' +
        'not an audit line\n',
    );
    const c = await collect(t.dir, first.checkpoints, { stores: ['audit'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.status, e.agent, e.action ?? null]),
      [
        [`step:${WF}:debug:nok:4`, 'skipped', 'unknown', null],
        [`step:${WF}:debug:nok:5`, 'failure', 'unknown', null],
        ['step:test-workflow-123:requirements:ok:1', 'success', 'analyst', 'gather-requirements'],
      ],
    );
    assert.deepEqual(c.stats.audit.problems, [
      { path: 'audit/execution_audit.log', line: 3, reason: 'not an audit record' },
    ]);
  });

  it('takes the agent from the workflow’s event log, and is a duplicate of its step lines', async () => {
    const u = new TempTapps();
    try {
      u.write(
        `workflow-state/events/${WF}.events.jsonl`,
        `${dumps({ event_type: 'step_start', workflow_id: WF, seq: 1, timestamp: '2026-10-22T17:51:01.093298+00:00Z', step_id: 'debug', agent: 'debugger', action: 'analyze_error' })}\n` +
          `${dumps({ event_type: 'step_fail', workflow_id: WF, seq: 2, timestamp: '2026-10-22T17:51:01.149378+00:00Z', step_id: 'debug', agent: 'debugger', action: 'analyze_error', status: 'retry', error: 'x', metadata: { behavior: 'retry', attempt: 1, max: 2 } })}\n`,
      );
      u.write('audit/execution_audit.log', line('01.149464', 'retry', { attempt: 1, max: 2, error: 'x' }, 2));
      const both = await collect(u.dir, {}, { stores: ['event-log', 'audit'] });
      assert.deepEqual(
        both.tasks.map((e) => e.source),
        ['event-log'],
      );
      assert.equal(both.stats.audit.duplicates, 1);
      const alone = await collect(u.dir, both.checkpoints, { stores: ['audit'] });
      assert.equal(emittedCount(alone), 0);
      const fresh = await collect(u.dir, { files: both.checkpoints.files ?? {} }, { stores: ['audit'] });
      assert.deepEqual(
        fresh.tasks.map((e) => [e.agent, e.action]),
        [['debugger', 'analyze-error']],
      );
    } finally {
      u.remove();
    }
  });
});
