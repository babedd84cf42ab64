import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

export function receiptsCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'receipts'],
    summary: 'list every submission: when, where, size, SHA-256, exportId and the answer',
    description:
      'Reads the local ledger .tapps-agents/learning-plugin/receipts.jsonl. The SHA-256 of each receipt is that of the ' +
      'exact bytes sent (what --dry-run printed); the same exportId twice means the same data, counted once.',
    example: 'tapps-agents learning receipts --json',
    options: [{ flags: '--json', description: 'print the receipts as a JSON array on stdout' }],
    async run(ctx) {
      const { runReceipts } = await import('../actions/receipts.ts');
      return runReceipts(rt, ctx);
    },
  };
}
