import type { CommandSpec } from '../../../hooks/command-registry.ts';

export function validateCommand(): CommandSpec {
  return {
    path: ['learning', 'validate'],
    summary: 'check an export file of any version (JSON or MessagePack, gzip or not)',
    description:
      "Validates a learning export against its schema: v1 documents of this plugin and the framework's own\n" +
      'Python "1.0" exports (migrated to v1). Prints every problem with its JSON pointer; exits 1 when invalid.',
    example:
      'tapps-agents learning validate .tapps-agents/exports/learning-20261124T030000Z-3fa85f64.json.gz',
    arguments: [{ name: 'file', description: 'export file to check (- for stdin)', required: true }],
    options: [{ flags: '--json', description: 'print the result as JSON on stdout' }],
    async run(ctx) {
      const { runValidate } = await import('../actions/validate.ts');
      return runValidate(ctx);
    },
  };
}
