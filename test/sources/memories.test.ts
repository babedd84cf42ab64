import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readStores } from '../../lib/sources/read-stores.ts';
import type { TaskCompletedEvent } from '../../schema/events.ts';
import { dumps, f } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const memory = (task: string, agent: string, command: string, outcome: string, patterns: string[] = []) => ({
  task_id: task,
  agent_id: agent,
  command,
  timestamp: '2026-02-07T19:36:13.016245+00:00',
  outcome,
  quality_score: f(0.85),
  key_learnings: ['Never log the Authorization header'],
  patterns_used: patterns,
  similar_tasks: [],
  context: { code: 'def post_settlement(' },
  metadata: {},
});

describe('task memory reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('emits each task id once; AgentLearner’s capability id in `command` names agent and action', async () => {
    t.write(
      'memory/memories.json',
      dumps(
        [
          memory('task_1', 'unknown', 'enhancer.enhance_prompt', 'success', [
            'func_post_settlement_8234',
            'class_Ledger_1',
          ]),
          memory('task_2', 'analyst', 'gather-requirements', 'partial'),
        ],
        2,
      ),
    );
    const first = await collect(t.dir, {}, { stores: ['memories'] });
    assert.deepEqual(
      first.tasks.map((e) => [e.id, e.agent, e.action, e.status, e.qualityScore, e.finishedAt]),
      [
        ['memory:task_1', 'enhancer', 'enhance-prompt', 'success', 85, '2026-02-07T19:36:13.016Z'],
        ['memory:task_2', 'analyst', 'gather-requirements', 'failure', 85, '2026-02-07T19:36:13.016Z'],
      ],
    );
    // Only the pattern kind is kept: the ids embed function names.
    assert.deepEqual(first.tasks[0]?.patternsUsed, [{ type: 'function' }, { type: 'class' }]);
    // Upserted (task_1 rewritten) and one new task: only the new one.
    t.write(
      'memory/memories.json',
      dumps(
        [
          memory('task_1', 'unknown', 'enhancer.enhance_prompt', 'failure'),
          memory('task_2', 'analyst', 'gather-requirements', 'partial'),
          memory('task_3', 'unknown', 'meta_learning_test', 'cancelled'),
        ],
        2,
      ),
    );
    const second = await collect(t.dir, first.checkpoints, { stores: ['memories'] });
    assert.deepEqual(
      second.tasks.map((e) => [e.id, e.agent, e.action, e.status]),
      [['memory:task_3', 'unknown', 'meta-learning-test', 'failure']],
    );
    assert.equal(second.stats.memories.records, 1);
    assert.equal(emittedCount(await collect(t.dir, second.checkpoints, { stores: ['memories'] })), 0);
  });
});

describe('task memory of a workflow step', () => {
  const t = new TempTapps();
  after(() => t.remove());
  const wf = 'fix-20261022-105100';
  const execution = (step: string, status: string, retry: number) => ({
    execution_id: `e-${step}-${retry}`,
    workflow_id: wf,
    step_id: step,
    command: 'debug',
    status,
    duration_ms: 1200.5,
    started_at: '2026-10-22T17:51:00.100000+00:00',
    retry_count: retry,
    completed_at: '2026-10-22T17:51:01.300000+00:00',
    error_message: null,
    skill: 'debugger',
    gate_pass: null,
  });

  it('is the step the step stores report: no second run, its quality assesses the step instead', async () => {
    t.write(
      'metrics/executions_2026-10-22.jsonl',
      `${[execution('debug', 'failed', 0), execution('debug', 'success', 1)].map((r) => dumps(r)).join('\n')}\n`,
    );
    t.write(
      'memory/memories.json',
      dumps(
        [
          memory(`${wf}/debug:ctx`, 'debugger', 'debug', 'failure'),
          memory(`${wf}/debug#2`, 'unknown', 'debugger.debug', 'success', ['func_x_1']),
          memory(`${wf}/debug#2:ctx`, 'debugger', 'debug', 'success'),
          memory('unrelated/task', 'unknown', 'debugger.debug', 'success'),
        ],
        2,
      ),
    );
    const tasks: TaskCompletedEvent[] = [];
    const assessments: TaskCompletedEvent[] = [];
    const r = await readStores({
      tappsDir: t.dir,
      checkpoints: {},
      timeZone: 'UTC',
      stores: ['executions', 'memories'],
      onRecord: (x) => {
        if (x.kind === 'task') tasks.push(x.event);
      },
      onAssessment: (x) => {
        assessments.push(x.event);
      },
    });
    assert.deepEqual(
      tasks.map((e) => [e.source, e.id, e.status]),
      [
        ['executions', `step:${wf}:debug:nok:1`, 'failure'],
        ['executions', `step:${wf}:debug:ok:1`, 'success'],
        // A task id that names no workflow step stays a task of its own.
        ['memories', 'memory:unrelated/task', 'success'],
      ],
    );
    // The first attempt's failure and the success (attempt 2, written twice) meet the executions' ids.
    assert.deepEqual(
      assessments.map((e) => [e.id, e.qualityScore, e.patternsUsed?.length ?? 0]),
      [
        [`step:${wf}:debug:nok:1`, 85, 0],
        [`step:${wf}:debug:ok:1`, 85, 1],
        [`step:${wf}:debug:ok:1`, 85, 0],
      ],
    );
    assert.equal(r.stats.memories.duplicates, 3);
  });
});
