import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { CommandContext, CommandSpec } from '../../../hooks/command-registry.ts';
import { STORE_NAMES, STORES } from '../../../schema/stores.ts';
import { collect } from '../../collect/collect.ts';
import { LockBusyError } from '../../files/lock.ts';
import { appendLog, errorText } from '../../files/log.ts';
import { ensurePluginDir, pluginFile } from '../../files/plugin-dir.ts';
import { pluginBin } from '../../hooks-yaml/runner.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { EXIT, say } from '../io.ts';

/** How long a background collector waits for another one before leaving the work to it. */
const BACKGROUND_WAIT_MS = 25_000;

export function collectCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'collect'],
    summary: "read what the framework's stores gained since the last run into the rollups",
    description:
      'Reads new records from .tapps-agents/ (event logs, markers, event bus, analytics, experts, audit,\n' +
      'epics, builds and the dormant stores), fires the host hooks for each and saves rollups and\n' +
      'checkpoints atomically. --detach (what install-hooks writes into hooks.yaml) returns at once and\n' +
      'never fails the framework: errors go to .tapps-agents/learning-plugin/plugin.log.',
    example: 'tapps-agents learning collect',
    options: [
      { flags: '--detach', description: 'run in the background and return at once (exit 0)' },
      { flags: '--trigger <name>', description: 'what started this run, for the log', default: 'manual' },
      {
        flags: '--wait <seconds>',
        description: 'wait this long for another collector to finish (default 10; 25 with --background)',
      },
      { flags: '--background', description: '(internal) the detached child: log, never fail' },
      { flags: '--json', description: 'print per-store counts as JSON on stdout' },
    ],
    async run(ctx) {
      if (ctx.options.detach) return detach(rt, ctx);
      const background = ctx.options.background === true;
      if (!rt.options.enabled) {
        if (!background)
          say(
            ctx,
            'learning collect: collection is disabled (learning.enabled: false in the project config)',
          );
        return EXIT.ok;
      }
      const waitSeconds =
        ctx.options.wait === undefined
          ? background
            ? BACKGROUND_WAIT_MS / 1000
            : 10
          : Number(ctx.options.wait);
      if (!(waitSeconds >= 0 && waitSeconds <= 3600)) {
        if (background) return EXIT.ok;
        say(ctx, 'learning collect: --wait must be a number of seconds from 0 to 3600');
        return EXIT.usage;
      }
      const bar = !background && ctx.stderr.isTTY ? progressBar(ctx) : null;
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
    },
  };
}

/**
 * The framework runs hooks synchronously with a 30 s limit and waits for any child that keeps its
 * pipes open, so the collector re-launches itself with every stream detached and returns at once.
 */
function detach(rt: LearningRuntime, ctx: CommandContext): number {
  try {
    ensurePluginDir(rt.projectRoot);
    const log = openSync(pluginFile(rt.projectRoot, 'log'), 'a', 0o600);
    // The running bin; in-process callers (tests, other hosts) get the package's compiled one.
    const running = process.argv[1] ?? '';
    const bin = /[\\/]lib[\\/]cli[\\/]bin\.[jt]s$/.test(running) ? running : pluginBin();
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

function progressBar(ctx: CommandContext) {
  const bar = new cliProgress.SingleBar(
    {
      stream: ctx.stderr as NodeJS.WritableStream,
      format: 'collecting {store} [{bar}] {percentage}%',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p: { store: string; bytesRead: number; bytesTotal: number }) {
      if (!started) {
        bar.start(Math.max(1, p.bytesTotal), p.bytesRead, { store: p.store });
        started = true;
      }
      bar.setTotal(Math.max(1, p.bytesTotal));
      bar.update(p.bytesRead, { store: p.store });
    },
    stop() {
      if (started) bar.stop();
    },
  };
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
