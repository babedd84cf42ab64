import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { readReceipts } from '../../submit/receipts.ts';
import { EXIT, say } from '../io.ts';

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
      const { receipts, skipped } = readReceipts(rt.projectRoot);
      for (const s of skipped)
        say(ctx, `learning receipts: receipts.jsonl line ${s.line} skipped: ${s.problem}`);
      if (ctx.options.json) {
        ctx.stdout.write(`${JSON.stringify(receipts, null, 2)}\n`);
        return EXIT.ok;
      }
      if (receipts.length === 0) {
        say(ctx, 'no submissions yet (tapps-agents learning submit --dry-run shows what one would send)');
        return EXIT.ok;
      }
      const seen = new Map<string, number>();
      for (const r of receipts) seen.set(r.exportId, (seen.get(r.exportId) ?? 0) + 1);
      for (const r of receipts) {
        const a = r.answer;
        const answer = [
          a.httpStatus === undefined ? null : `HTTP ${a.httpStatus}`,
          a.issueUrl ?? null,
          a.receivedAt ? `received ${a.receivedAt}` : null,
          a.path ?? null,
          a.fromOutbox ? 'from the outbox' : null,
          a.problem ? `warning: ${a.problem}` : null,
        ]
          .filter(Boolean)
          .join(', ');
        const again = (seen.get(r.exportId) ?? 0) > 1 ? ' (same export as another receipt)' : '';
        say(
          ctx,
          `${r.at}  ${r.outcome.padEnd(9)} ${r.transport.padEnd(10)} ${r.destination}\n` +
            `    ${r.bytes} bytes ${r.format}+gzip  sha256 ${r.sha256}  exportId ${r.exportId.slice(0, 16)}…${again}` +
            (answer ? `\n    ${answer}` : ''),
        );
      }
      say(ctx, `${receipts.length} receipt(s), ${seen.size} distinct export(s)`);
      return EXIT.ok;
    },
  };
}
