import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rotateSecret } from '../../lib/privacy/secret.ts';
import { KeyRotatedError, Recorder } from '../../lib/rollup/recorder.ts';
import { loadState } from '../../lib/rollup/state-file.ts';

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
    const root = mkdtempSync(join(tmpdir(), 'recorder-rotate-'));
    try {
      const first = new Recorder(root);
      first.record('task', task('t1'));
      await first.flush();

      const r = new Recorder(root);
      r.record('task', task('t2'));
      rotateSecret(root); // `learning rotate-id` in another process
      await assert.rejects(
        r.flush({ update: (s) => void (s.checkpoints = { moved: true }) }),
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
