import type { CommandSpec } from '../../../hooks/command-registry.ts';

export function aggregateCommand(): CommandSpec {
  return {
    path: ['learning', 'aggregate'],
    summary: 'merge export files of many projects offline: JSON, a Markdown release summary and an HTML page',
    description:
      'Reads learning exports of any supported version (v1 and the framework\'s Python "1.0"; JSON or MessagePack,\n' +
      'gzip or not) from files and folders, skips invalid ones (listed with their problems), counts an export sent\n' +
      'twice once, and merges them the way the hub does: a cell is published only when at least k distinct projects\n' +
      'contributed. Writes aggregate.json, release-summary.md and aggregate.html into --out (default: the current\n' +
      'folder); existing files are never replaced unless --force is given. --out - prints the JSON on stdout only.',
    example: 'tapps-agents learning aggregate ./submissions --out ./release-3.8 --k 5',
    arguments: [
      {
        name: 'paths',
        description: 'export files and/or folders holding them',
        required: true,
        variadic: true,
      },
    ],
    options: [
      { flags: '--out <dir>', description: 'folder for the three outputs, or - for the JSON on stdout' },
      { flags: '--k <n>', description: 'distinct projects a published cell needs', default: '5' },
      { flags: '--framework <version>', description: 'only exports made under this framework version' },
      { flags: '--since <YYYY-MM-DD>', description: 'only exports created on or after this UTC day' },
      { flags: '--until <YYYY-MM-DD>', description: 'only exports created on or before this UTC day' },
      { flags: '--force', description: 'replace existing output files' },
    ],
    async run(ctx) {
      const { runAggregate } = await import('../actions/aggregate.ts');
      return runAggregate(ctx);
    },
  };
}
