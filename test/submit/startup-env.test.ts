import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  changedSinceStart,
  changedVariables,
  valueAtStart,
  watchedVariable,
} from '../../lib/submit/startup-env.ts';

describe('environment changed while the config loaded', () => {
  it('watches the variables that decide whether, where and how safely to send', () => {
    for (const n of [
      'DO_NOT_TRACK',
      'CI',
      'GITHUB_TOKEN',
      'GH_TOKEN',
      'TAPPS_LEARNING_SUBMIT_TO',
      'tapps_learning_x',
      'NODE_TLS_REJECT_UNAUTHORIZED',
      'https_proxy',
    ])
      assert.equal(watchedVariable(n), true, n);
    for (const n of ['PATH', 'HOME', 'LANG', 'NODE_ENV']) assert.equal(watchedVariable(n), false, n);
  });

  it('reports added, removed and changed watched variables, and ignores the others', () => {
    assert.deepEqual(
      changedVariables(
        { DO_NOT_TRACK: '1', CI: 'true', PATH: '/a', GITHUB_TOKEN: 'x' },
        { CI: 'true', PATH: '/b', GITHUB_TOKEN: 'y', TAPPS_LEARNING_SUBMIT_TO: 'https://evil' },
      ),
      ['DO_NOT_TRACK', 'GITHUB_TOKEN', 'TAPPS_LEARNING_SUBMIT_TO'],
    );
  });

  it('only the live process environment can have been changed by a config', () => {
    assert.deepEqual(changedSinceStart({ TAPPS_LEARNING_SUBMIT_TO: 'https://x' }), []);
    const before = process.env.TAPPS_LEARNING_TEST_PROBE;
    process.env.TAPPS_LEARNING_TEST_PROBE = 'set after load';
    try {
      assert.ok(changedSinceStart(process.env).includes('TAPPS_LEARNING_TEST_PROBE'));
      assert.equal(valueAtStart(process.env, 'TAPPS_LEARNING_TEST_PROBE'), before);
      assert.equal(valueAtStart({}, 'PATH'), undefined);
    } finally {
      if (before === undefined) delete process.env.TAPPS_LEARNING_TEST_PROBE;
      else process.env.TAPPS_LEARNING_TEST_PROBE = before;
    }
  });
});
