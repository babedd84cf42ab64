import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHost } from '../../hooks/host.ts';
import type { Plugin } from '../../hooks/plugin.ts';
import type { TaskCompletedEvent } from '../../schema/events.ts';
import { tempDir } from '../temp-dir.ts';

const event: TaskCompletedEvent = { id: '1', source: 'test', agent: 'tester', status: 'success' };
const project = () => tempDir('host-');

describe('createHost', () => {
  it('applies plugins in order and lets each tap every hook', async () => {
    const calls: string[] = [];
    const plugin = (name: string): Plugin => ({
      name,
      apply(host) {
        calls.push(`apply ${name}`);
        host.hooks.taskCompleted.tap(name, () => {
          calls.push(`task ${name}`);
        });
        host.hooks.sessionEnd.tapPromise(name, async () => {
          calls.push(`end ${name}`);
        });
      },
    });
    const host = await createHost({
      projectRoot: project(),
      config: { plugins: [plugin('a'), plugin('b')] },
    });
    await host.hooks.taskCompleted.promise(event);
    await host.hooks.sessionEnd.promise({ sessionId: 's', projectRoot: host.projectRoot });
    assert.deepEqual(calls, ['apply a', 'apply b', 'task a', 'task b', 'end a', 'end b']);
  });

  it('keeps going when a plugin throws, rejects or calls back with an error, naming the plugin', async () => {
    const seen: string[] = [];
    const failures: string[] = [];
    const bad: Plugin = {
      name: 'bad',
      apply(host) {
        host.hooks.taskCompleted.tap('bad', () => {
          throw new Error('sync boom');
        });
        host.hooks.taskCompleted.tapPromise('bad', async () => {
          throw new Error('async boom');
        });
        host.hooks.taskCompleted.tapAsync('bad', (_e, cb) => cb(new Error('callback boom')));
        host.hooks.commands.tap('bad', () => {
          throw new Error('commands boom');
        });
      },
    };
    const good: Plugin = {
      name: 'good',
      apply(host) {
        host.hooks.taskCompleted.tap('good', (e) => {
          seen.push(e.agent);
        });
      },
    };
    const throwsOnApply: Plugin = {
      name: 'broken',
      apply() {
        throw new Error('apply boom');
      },
    };
    const host = await createHost({
      projectRoot: project(),
      config: { plugins: [bad, throwsOnApply, good] },
      onPluginFailure: (f) => failures.push(`${f.plugin}/${f.hook}: ${(f.error as Error).message}`),
    });
    await host.hooks.taskCompleted.promise(event);
    assert.deepEqual(seen, ['tester'], 'the good plugin still saw the event');
    assert.deepEqual(failures.sort(), [
      'bad/commands: commands boom',
      'bad/taskCompleted: async boom',
      'bad/taskCompleted: callback boom',
      'bad/taskCompleted: sync boom',
      'broken/apply: apply boom',
    ]);
    assert.equal(host.failures.length, 5);
  });

  it('collects contributed commands and refuses a second plugin claiming the same one', async () => {
    const contributes = (name: string): Plugin => ({
      name,
      apply(host) {
        host.hooks.commands.tap(name, (registry) =>
          registry.add(name, {
            path: ['x', 'y'],
            summary: 's',
            example: 'tapps-agents x y',
            run: async () => 0,
          }),
        );
      },
    });
    const failures: string[] = [];
    const host = await createHost({
      projectRoot: project(),
      config: { plugins: [contributes('one'), contributes('two')] },
      onPluginFailure: (f) => failures.push(f.plugin),
    });
    assert.equal(host.commands.get(['x', 'y'])?.plugin, 'one');
    assert.ok(host.commands.owns(['x']));
    assert.ok(!host.commands.owns(['z']));
    assert.deepEqual(failures, ['two']);
  });

  it('uses the default plugins when the config names none', async () => {
    const applied: string[] = [];
    const host = await createHost({
      projectRoot: project(),
      config: {},
      defaultPlugins: [{ name: 'default', apply: () => applied.push('default') }],
    });
    assert.deepEqual(applied, ['default']);
    assert.equal(host.configFile, null);
  });
});
