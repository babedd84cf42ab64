import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

/** How long a background collector waits for another one before leaving the work to it. */
const BACKGROUND_WAIT_S = 25;

/** `learning collect` without its action: the quick check (lib/cli/quick-collect.ts) parses by it too. */
export const COLLECT_SPEC: Omit<CommandSpec, 'run'> = {
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
      description: `wait this long for another collector to finish (default 10; ${BACKGROUND_WAIT_S} with --background)`,
    },
    { flags: '--background', description: '(internal) the detached child: log, never fail' },
    { flags: '--json', description: 'print per-store counts as JSON on stdout' },
  ],
};

/** --wait in seconds, its default filled in; undefined when it is not a number from 0 to 3600. */
export function waitSeconds(options: Record<string, unknown>): number | undefined {
  const s =
    options.wait === undefined
      ? options.background === true
        ? BACKGROUND_WAIT_S
        : 10
      : Number(options.wait);
  return s >= 0 && s <= 3600 ? s : undefined;
}

export function collectCommand(rt: LearningRuntime): CommandSpec {
  return {
    ...COLLECT_SPEC,
    async run(ctx) {
      const { runCollect } = await import('../actions/collect.ts');
      return runCollect(rt, ctx);
    },
  };
}
