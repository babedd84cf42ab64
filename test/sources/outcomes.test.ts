import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dumps, f } from '../generators/py-json.ts';
import { collect, TempTapps } from './harness.ts';

describe('code outcomes reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('reports a reviewed file as `<agent>.score`, first-pass success as its status, scores on 0-100', async () => {
    const scores = {
      complexity_score: f(7.0),
      security_score: f(8.0),
      maintainability_score: f(9.0),
      test_coverage_score: f(6.0),
    };
    t.write(
      'learning/outcomes.jsonl',
      `${dumps({ workflow_id: 'review-0123456789abcdef', file_path: 'C:\\Users\\dana\\x.py', initial_scores: scores, final_scores: scores, iterations: 2, expert_consultations: ['expert-security'], time_to_correctness: f(12.5), first_pass_success: false, timestamp: '2026-09-26T16:14:34.315438', agent_id: 'implementer', prompt_hash: '72fb185577ea82d8' })}\n`,
    );
    const c = await collect(t.dir, {}, { stores: ['outcomes'] });
    const e = c.tasks[0];
    assert.deepEqual(
      [e?.agent, e?.action, e?.status, e?.attempt, e?.durationMs, e?.finishedAt],
      ['implementer', 'score', 'failure', 2, 12500, '2026-09-26T16:14:34.315Z'],
    );
    assert.deepEqual(e?.qualityScores, {
      complexity: 70,
      security: 80,
      maintainability: 90,
      'test-coverage': 60,
    });
    assert.equal(e?.qualityScore, (0.18 * 70 + 0.27 * 80 + 0.24 * 90 + 0.13 * 60) / 0.82);
  });
});
