import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

export function statusCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'status'],
    summary: 'show what the plugin holds: events seen, capabilities, last update, state size, stores read',
    example: 'tapps-agents learning status --json',
    options: [{ flags: '--json', description: 'print the status as JSON on stdout' }],
    async run(ctx) {
      const { runStatus } = await import('../actions/status.ts');
      return runStatus(rt, ctx);
    },
  };
}
