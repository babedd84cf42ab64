import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

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
      const { runCollect } = await import('../actions/collect.ts');
      return runCollect(rt, ctx);
    },
  };
}
