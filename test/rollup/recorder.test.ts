import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { rotateSecret } from '../../lib/privacy/secret.ts';
import { KeyRotatedError, Recorder } from '../../lib/rollup/recorder.ts';
import { loadState } from '../../lib/rollup/state-file.ts';
import { tempDir } from '../temp-dir.ts';

const task = (id: string) => ({
  id,
  source: 'event-log',
  agent: 'implementer',
  action: 'write_code',
  status: 'success' as const,
  finishedAt: '2026-10-05T09:00:00Z',
});

describe('recorder and a key rotated by another process', () => {
  it('a flush that saves read positions fails and saves nothing; a plain flush drops the old labels', async () => {
    const root = tempDir('recorder-rotate-');
    try {
      const first = new Recorder(root);
      first.record('task', task('t1'));
      await first.flush();

      const r = new Recorder(root);
      r.record('task', task('t2'));
      rotateSecret(root); // `learning rotate-id` in another process
      await assert.rejects(
        r.flush({
          update: (s) => {
            s.checkpoints = { moved: true };
          },
        }),
        KeyRotatedError,
      );
      let state = loadState(root).state;
      assert.deepEqual(state.checkpoints, {}, 'read positions did not move past dropped events');
      assert.equal(state.rollup.tasks, 1);

      r.record('task', task('t3'));
      rotateSecret(root);
      await r.flush();
      state = loadState(root).state;
      assert.equal(state.rollup.tasks, 1, 'labels made with the old key never join the state');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a task reported by two stores', () => {
  it('counts one run; the second report adds only the quality and patterns the first lacked', async () => {
    const root = tempDir('recorder-second-');
    try {
      const r = new Recorder(root);
      const step = task('step:wf:implementation:ok:1');
      assert.equal(r.record('task', step), 'added');
      const memory = { ...step, source: 'memories', qualityScore: 80 };
      assert.equal(r.record('task', memory), 'duplicate');
      assert.equal(r.record('task', { ...memory, qualityScore: 10 }), 'duplicate');
      // A report that names the capability otherwise (the learner's `command`) assesses the step's own.
      r.record('task', {
        ...memory,
        agent: 'reviewer',
        action: 'review_code',
        patternsUsed: [{ type: 'function' }],
      });
      await r.flush();
      const { rollup } = loadState(root).state;
      const c = rollup.capabilities['implementer.write-code'];
      assert.equal(c?.runs, 1);
      assert.equal(c?.successes, 1);
      assert.equal(c?.quality.count, 1, 'quality added once, from the first report that had it');
      assert.equal(c?.quality.sumMilli, 80_000);
      assert.deepEqual(c?.patterns, { function: 1 });
      assert.equal(rollup.provided.quality, 1);
      assert.equal(rollup.provided.patterns, 1);
      assert.equal(rollup.capabilities['reviewer.review-code'], undefined);
      assert.equal(rollup.tasks, 1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
