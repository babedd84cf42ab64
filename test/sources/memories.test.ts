import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
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
