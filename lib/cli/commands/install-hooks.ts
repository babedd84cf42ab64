import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

export function installHooksCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'install-hooks'],
    summary:
      'run learning collect automatically: add it to .tapps-agents/hooks.yaml (SessionEnd, WorkflowComplete)',
    description:
      'Adds two entries to .tapps-agents/hooks.yaml: learning-collector on SessionEnd (the exit of every ' +
      'tapps-agents command) and learning-collector-build on WorkflowComplete (the end of a simple-mode ' +
      'build). They run `learning collect --detach`, which returns at once and never fails the framework. ' +
      'Every other hook, comment and blank line stays as it is; the old file is kept as ' +
      'hooks.yaml.bak-<time>. Running it again changes nothing. The framework runs hooks only when ' +
      'tapps-agents is started from the project root, and `tapps-agents init --hooks` rewrites ' +
      'hooks.yaml: run install-hooks again after it.',
    example: 'tapps-agents learning install-hooks --dry-run',
    options: [
      { flags: '--dry-run', description: 'print the change as a unified diff on stdout and write nothing' },
      {
        flags: '--runner <command>',
        description:
          'how the hooks start this plugin, e.g. "npx --no-install tapps-agents" (default: node and the installed bin)',
      },
    ],
    async run(ctx) {
      const { runInstallHooks } = await import('../actions/install-hooks.ts');
      return runInstallHooks(rt, ctx);
    },
  };
}
