import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

export function rotateIdCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'rotate-id'],
    summary: 'replace the project’s pseudonym key: later exports cannot be linked to earlier ones',
    description: [
      'Replaces the 256-bit secret key behind every pseudonym and the project id. Exports made afterwards carry a ' +
        'new project id and new pseudonyms, so they cannot be linked to earlier ones.',
      'The rollups were keyed with the old secret and pseudonyms cannot be re-keyed, so they are emptied. By ' +
        'default the store checkpoints are kept and collection goes on with what the stores gain from now: no ' +
        'shared history, nothing to link. With --recollect the checkpoints are emptied too and the next ' +
        '`learning collect` reads every store again under the new key: the history comes back with new labels, ' +
        'but its numbers match earlier exports, so someone holding both could still tell they come from the same ' +
        'project (use it when the key may have leaked, not for unlinkability).',
      'Submissions already sent keep the old id; `learning consent revoke` can still ask a hub to delete them. ' +
        'Restart a running `learning watch` (or any long-running host) afterwards: it keeps the old key in ' +
        'memory until it restarts. Asks first; --yes does not.',
    ].join('\n\n'),
    example: 'tapps-agents learning rotate-id --yes',
    options: [
      {
        flags: '--recollect',
        description:
          'also empty the store checkpoints and read every store again (history kept, linkable by its numbers)',
      },
      { flags: '--yes', description: 'do not ask' },
    ],
    async run(ctx) {
      const { runRotateId } = await import('../actions/rotate-id.ts');
      return runRotateId(rt, ctx);
    },
  };
}
