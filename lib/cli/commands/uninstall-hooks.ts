import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

export function uninstallHooksCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'uninstall-hooks'],
    summary: 'remove the collector entries install-hooks added to .tapps-agents/hooks.yaml',
    description:
      'Removes learning-collector (SessionEnd) and learning-collector-build (WorkflowComplete) from ' +
      '.tapps-agents/hooks.yaml, with the event keys that held nothing else. Every other hook and comment ' +
      'stays; the old file is kept as hooks.yaml.bak-<time>. Collected rollups are not touched ' +
      '(learning reset deletes them).',
    example: 'tapps-agents learning uninstall-hooks',
    options: [
      { flags: '--dry-run', description: 'print the change as a unified diff on stdout and write nothing' },
    ],
    async run(ctx) {
      const { runUninstallHooks } = await import('../actions/uninstall-hooks.ts');
      return runUninstallHooks(rt, ctx);
    },
  };
}
