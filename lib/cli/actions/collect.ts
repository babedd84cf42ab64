import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { STORE_NAMES, STORES } from '../../../schema/stores.ts';
import { collect } from '../../collect/collect.ts';
import { LockBusyError } from '../../files/lock.ts';
import { appendLog, errorText } from '../../files/log.ts';
import { ensurePluginDir, pluginFile } from '../../files/plugin-dir.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { EXIT, say } from '../io.ts';

/** How long a background collector waits for another one before leaving the work to it. */
const BACKGROUND_WAIT_MS = 25_000;

/** What `learning collect` does; its options and help are in ../commands/collect.ts. */
export async function runCollect(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  if (ctx.options.detach) return await detach(rt, ctx);
  const background = ctx.options.background === true;
  if (!rt.options.enabled) {
    if (!background)
      say(ctx, 'learning collect: collection is disabled (learning.enabled: false in the project config)');
    return EXIT.ok;
  }
  const waitSeconds =
    ctx.options.wait === undefined ? (background ? BACKGROUND_WAIT_MS / 1000 : 10) : Number(ctx.options.wait);
  if (!(waitSeconds >= 0 && waitSeconds <= 3600)) {
    if (background) return EXIT.ok;
    say(ctx, 'learning collect: --wait must be a number of seconds from 0 to 3600');
    return EXIT.usage;
  }
  // The bar and its dependencies load only for a person watching: hooks and scripts never need them.
  const bar = !background && ctx.stderr.isTTY ? (await import('../progress-bar.ts')).progressBar(ctx) : null;
  try {
    const r = await collect(rt, {
      waitMs: waitSeconds * 1000,
      trigger: String(ctx.options.trigger),
      onProgress: bar ? (p) => bar.update(p) : undefined,
    });
    bar?.stop();
    if (background) {
      appendLog(
        rt.projectRoot,
        'info',
        `collect (${String(ctx.options.trigger)}): ${r.eventsAdded} new events`,
      );
      return EXIT.ok;
    }
    if (ctx.options.json)
      ctx.stdout.write(`${JSON.stringify({ eventsAdded: r.eventsAdded, stores: r.stats }, null, 2)}\n`);
    report(ctx, r.stats, r.eventsAdded);
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

function report(
  ctx: CommandContext,
  stats: Awaited<ReturnType<typeof collect>>['stats'],
  events: number,
): void {
  say(ctx, `learning collect: ${events} new events`);
  for (const name of STORE_NAMES) {
    const s = stats[name];
    if (!s) continue;
    const state = s.present ? '' : ' (no files)';
    say(
      ctx,
      `  ${name.padEnd(20)} ${STORES[name].status.padEnd(7)} ${String(s.records).padStart(7)} records, ` +
        `${String(s.emitted).padStart(6)} events, ${s.duplicates} duplicates, ${s.skipped} skipped${state}`,
    );
    for (const p of s.problems.slice(0, 3))
      say(ctx, `      skipped ${p.path}${p.line ? `:${p.line}` : ''}: ${p.reason}`);
  }
}
