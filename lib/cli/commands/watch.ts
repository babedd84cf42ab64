import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

export function watchCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'watch'],
    summary: 'collect whenever the framework writes to .tapps-agents/, until Ctrl-C',
    description:
      'Collects once at start, then after every burst of changes under .tapps-agents/ (its own ' +
      'learning-plugin/ folder, exports/ and hooks.yaml are ignored), and every --interval seconds in ' +
      'case the file system drops an event. Prints one line per collection. Stops on Ctrl-C or ' +
      'SIGTERM after the collection in progress is saved. An alternative to install-hooks when the ' +
      'framework runs somewhere hooks do not fire.',
    example: 'tapps-agents learning watch --debounce 1000',
    options: [
      {
        flags: '--debounce <ms>',
        description: 'quiet time after a change before collecting',
        default: '500',
      },
      {
        flags: '--interval <seconds>',
        description: 'also collect this often (0: only on changes)',
        default: '60',
      },
      { flags: '--json', description: 'one JSON line per collection on stdout' },
    ],
    async run(ctx) {
      const { runWatch } = await import('../actions/watch.ts');
      return runWatch(rt, ctx);
    },
  };
}
