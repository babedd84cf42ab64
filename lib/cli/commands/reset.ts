import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

export function resetCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'reset'],
    summary: 'delete the rollups and checkpoints (the next collect reads every store again)',
    example: 'tapps-agents learning reset --yes',
    options: [{ flags: '--yes', description: 'do not ask' }],
    async run(ctx) {
      const { runReset } = await import('../actions/reset.ts');
      return runReset(rt, ctx);
    },
  };
}
