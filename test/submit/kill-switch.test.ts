import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagSet, killSwitch, killSwitchMessage } from '../../lib/submit/kill-switch.ts';

describe('kill switches', () => {
  it('DO_NOT_TRACK and TAPPS_LEARNING_DISABLED: any value but empty/0/false/no/off turns submission off', () => {
    for (const v of ['1', 'true', 'TRUE', 'yes', 'on', 'anything']) assert.equal(flagSet(v), true, v);
    for (const v of [undefined, '', ' ', '0', 'false', 'No', 'off'])
      assert.equal(flagSet(v), false, String(v));
  });

  it('the environment wins first, then the committed config; none means null', () => {
    const config = { submitDisabledByConfig: true, configFile: '/p/tapps-agents.config.ts' };
    assert.deepEqual(killSwitch({ DO_NOT_TRACK: '1' }, config), {
      setting: 'DO_NOT_TRACK=1',
      where: 'the environment',
    });
    assert.deepEqual(killSwitch({ TAPPS_LEARNING_DISABLED: 'yes' }, config), {
      setting: 'TAPPS_LEARNING_DISABLED=yes',
      where: 'the environment',
    });
    assert.deepEqual(killSwitch({ DO_NOT_TRACK: '0' }, config), {
      setting: 'learning: { submit: false }',
      where: '/p/tapps-agents.config.ts',
    });
    assert.equal(
      killSwitch({ DO_NOT_TRACK: '0' }, { submitDisabledByConfig: false, configFile: null }),
      null,
    );
  });

  it('the message names the setting and where it is, and says nothing was sent', () => {
    const m = killSwitchMessage('learning submit', { setting: 'DO_NOT_TRACK=1', where: 'the environment' });
    assert.match(m, /^learning submit: refused: DO_NOT_TRACK=1 in the environment turns submission off/);
    assert.match(m, /Nothing was sent/);
  });
});
