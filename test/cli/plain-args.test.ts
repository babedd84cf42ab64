import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { CommandRegistry } from '../../hooks/command-registry.ts';
import type { Host } from '../../hooks/host.ts';
import { learningCommands } from '../../lib/cli/commands/index.ts';
import { plainCall } from '../../lib/cli/plain-args.ts';
import { runParsed } from '../../lib/cli/program.ts';
import type { LearningRuntime } from '../../lib/plugin.ts';

/** The plugin's commands, each answering with the options it was given instead of running. */
function registry(seen: Record<string, unknown>[]): CommandRegistry {
  const r = new CommandRegistry();
  const specs = learningCommands({} as LearningRuntime).map((s) => ({
    ...s,
    run: async (ctx: { options: Record<string, unknown> }) => {
      seen.push(ctx.options);
      return 0;
    },
  }));
  r.add('learning', ...specs);
  return r;
}

async function parsed(argv: string[]): Promise<Record<string, unknown> | undefined> {
  const seen: Record<string, unknown>[] = [];
  const io = {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
    cwd: '/',
  };
  await runParsed({} as Host, registry(seen), argv, io);
  return seen[0];
}

describe('plain argument lists', () => {
  it('give the options commander gives, defaults included', async () => {
    for (const argv of [
      ['learning', 'collect'],
      ['learning', 'collect', '--detach', '--trigger', 'session-end'],
      ['learning', 'collect', '--background', '--trigger', 'workflow-complete', '--wait', '0'],
      ['learning', 'collect', '--json'],
      ['learning', 'status', '--json'],
      ['learning', 'consent', 'grant', '--to', 'github', '--yes'],
      ['learning', 'watch', '--debounce', '1000'],
      ['learning', 'dashboard', '--since', '2026-10-01', '--html', 'x.html'],
    ]) {
      const plain = plainCall(registry([]), argv);
      assert.ok(plain, argv.join(' '));
      assert.deepEqual({ ...plain.options }, { ...(await parsed(argv)) }, argv.join(' '));
    }
  });

  it('leave to commander anything that is not that simple', () => {
    for (const argv of [
      ['learning'],
      ['learning', 'collect', '--help'],
      ['learning', 'collect', '-h'],
      ['learning', 'collect', '--trigger'],
      ['learning', 'collect', '--trigger', '--json'],
      ['learning', 'collect', '--trigger=x'],
      ['learning', 'collect', '--json', '--json'],
      ['learning', 'collect', '--bogus'],
      ['learning', 'collect', 'extra'],
      ['learning', 'validate', 'file.json'],
      ['learning', 'export', '--format', 'msgpack'],
      ['learning', 'export', '--no-anonymize'],
      ['learning', 'aggregate', 'dir'],
      ['learning', 'nope'],
      ['help', 'learning'],
    ])
      assert.equal(plainCall(registry([]), argv), undefined, argv.join(' '));
  });
});
