import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dumps, f } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const exec = (
  step: string,
  command: string,
  status: string,
  retry: number,
  done: string,
  ms: number,
  error: string | null = null,
) => ({
  execution_id: `00000000-0000-4000-a000-${String(retry).padStart(12, '0')}`,
  workflow_id: 'fix-20260929-092117',
  step_id: step,
  command,
  status,
  duration_ms: f(ms),
  started_at: '2026-09-29T16:21:17.561630+00:00',
  retry_count: retry,
  completed_at: done,
  error_message: error,
  skill: 'implementer',
  gate_pass: null,
});

describe('execution metrics and agent history readers', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('reads one attempt per record and drops the agent-history line that is its dual write', async () => {
    t.write(
      'metrics/executions_2026-09-29.jsonl',
      `${dumps(exec('fix', 'write_code /home/dana/x.py', 'failed', 0, '2026-09-29T16:21:17.643630+00:00', 82, 'Invalid skill command'))}\n` +
        `${dumps(exec('fix', 'write-code', 'success', 1, '2026-09-29T16:21:18.706442+00:00', 61))}\n` +
        `${dumps(exec('fix', 'write-code', 'running', 2, '2026-09-29T16:21:19.000000+00:00', 1))}\n` +
        `${dumps(exec('fix', 'write-code', 'timeout', 2, '2026-09-29T16:36:19.000000+00:00', 900000, "Step 'fix' exceeded timeout of 900s"))}\n`,
    );
    t.write(
      'analytics/history/agents-2026-09-29.jsonl',
      `${dumps({ agent_id: 'implementer', agent_name: 'implementer', duration: f(0.082), success: false, timestamp: '2026-09-29T16:21:17.643630+00:00' })}\n` +
        // Its own record (custom code calling the collector directly): naive local time, 3.6 style.
        `${dumps({ agent_id: 'reviewer', agent_name: 'reviewer', duration: f(1.5), success: true, timestamp: '2026-01-30T16:05:40.641272' })}\n`,
    );
    const c = await collect(t.dir, {}, { stores: ['executions', 'analytics-agents'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.source, e.id, e.agent, e.action ?? null, e.status, e.attempt, e.durationMs]),
      [
        ['executions', 'step:fix-20260929-092117:fix:nok:1', 'implementer', 'write-code', 'failure', 1, 82],
        ['executions', 'step:fix-20260929-092117:fix:ok:1', 'implementer', 'write-code', 'success', 2, 61],
        [
          'executions',
          'step:fix-20260929-092117:fix:nok:2',
          'implementer',
          'write-code',
          'failure',
          3,
          900000,
        ],
        [
          'analytics-agents',
          'agent-run:reviewer:1769817940641.272',
          'reviewer',
          null,
          'success',
          undefined,
          1500,
        ],
      ],
    );
    assert.equal(c.tasks[3]?.finishedAt, '2026-01-31T00:05:40.641Z');
    assert.equal(c.stats['analytics-agents'].duplicates, 1);
    assert.equal(c.stats.executions.records, 4);
    // The dual write can arrive in a later run than its execution record.
    t.append(
      'metrics/executions_2026-09-29.jsonl',
      `${dumps(exec('review', 'review', 'success', 0, '2026-09-29T16:40:00.000001+00:00', 5))}\n`,
    );
    const mid = await collect(t.dir, c.checkpoints, { stores: ['executions', 'analytics-agents'] });
    t.append(
      'analytics/history/agents-2026-09-29.jsonl',
      `${dumps({ agent_id: 'implementer', agent_name: 'implementer', duration: f(0.005), success: true, timestamp: '2026-09-29T16:40:00.000001+00:00' })}\n`,
    );
    const last = await collect(t.dir, mid.checkpoints, { stores: ['executions', 'analytics-agents'] });
    assert.deepEqual(
      mid.tasks.map((e) => e.id),
      ['step:fix-20260929-092117:review:ok:1'],
    );
    assert.equal(emittedCount(last), 0);
    assert.equal(last.stats['analytics-agents'].duplicates, 1);
  });
});
