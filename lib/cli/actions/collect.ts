import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { collect } from '../../collect/collect.ts';
import { storeLines } from '../../collect/store-lines.ts';
import { LockBusyError } from '../../files/lock.ts';
import { appendLog, errorText } from '../../files/log.ts';
import { ensurePluginDir, pluginFile } from '../../files/plugin-dir.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { waitSeconds } from '../commands/collect.ts';
import { EXIT, say } from '../io.ts';
import { jsonText, logText, reportText } from './collect-report.ts';

/** What `learning collect` does; its options and help are in ../commands/collect.ts. */
export async function runCollect(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  if (ctx.options.detach) return await detach(rt, ctx);
  const background = ctx.options.background === true;
  if (!rt.options.enabled) {
    if (!background)
      say(ctx, 'learning collect: collection is disabled (learning.enabled: false in the project config)');
    return EXIT.ok;
  }
  const wait = waitSeconds(ctx.options);
  if (wait === undefined) {
    if (background) return EXIT.ok;
    say(ctx, 'learning collect: --wait must be a number of seconds from 0 to 3600');
    return EXIT.usage;
  }
  // The bar and its dependencies load only for a person watching: hooks and scripts never need them.
  const bar = !background && ctx.stderr.isTTY ? (await import('../progress-bar.ts')).progressBar(ctx) : null;
  try {
    const r = await collect(rt, {
      waitMs: wait * 1000,
      trigger: String(ctx.options.trigger),
      onProgress: bar ? (p) => bar.update(p) : undefined,
    });
    bar?.stop();
    if (background) {
      appendLog(rt.projectRoot, 'info', logText(String(ctx.options.trigger), r.eventsAdded));
      return EXIT.ok;
    }
    const lines = storeLines(r.stats);
    if (ctx.options.json) ctx.stdout.write(jsonText(lines, r.eventsAdded));
    ctx.stderr.write(reportText(lines, r.eventsAdded));
    return EXIT.ok;
  } catch (error) {
    bar?.stop();
    if (error instanceof LockBusyError) {
      // Another collector holds the state: it will read what is new, so there is nothing to do.
      if (background) return EXIT.ok;
      say(
        ctx,
        `learning collect: another collection (process ${error.holder ?? '?'}) is still running; try again later`,
      );
      return EXIT.io;
    }
    if (background) {
      appendLog(rt.projectRoot, 'error', `collect (${String(ctx.options.trigger)}): ${errorText(error)}`);
      return EXIT.ok;
    }
    say(ctx, `learning collect: ${errorText(error)}`);
    return EXIT.io;
  }
}

/**
 * The framework runs hooks synchronously with a 30 s limit and waits for any child that keeps its
 * pipes open, so the collector re-launches itself with every stream detached and returns at once.
 */
async function detach(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  try {
    ensurePluginDir(rt.projectRoot);
    const log = openSync(pluginFile(rt.projectRoot, 'log'), 'a', 0o600);
    // The running bin; in-process callers (tests, other hosts) get the package's compiled one.
    const running = process.argv[1] ?? '';
    const bin = /[\\/]lib[\\/]cli[\\/]bin\.[jt]s$/.test(running)
      ? running
      : (await import('../../hooks-yaml/runner.ts')).pluginBin();
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        bin,
        'learning',
        'collect',
        '--background',
        '--trigger',
        String(ctx.options.trigger),
        ...(ctx.options.wait === undefined ? [] : ['--wait', String(ctx.options.wait)]),
      ],
      {
        cwd: rt.projectRoot,
        env: ctx.env,
        detached: true,
        stdio: ['ignore', 'ignore', log],
      },
    );
    child.on('error', (error) => appendLog(rt.projectRoot, 'error', `collect --detach: ${errorText(error)}`));
    child.unref();
  } catch (error) {
    appendLog(rt.projectRoot, 'error', `collect --detach: ${errorText(error)}`);
  }
  return EXIT.ok;
}
