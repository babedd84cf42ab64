import type { CommandContext } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { readReceipts } from '../../submit/receipts.ts';
import { EXIT, say } from '../io.ts';

/** What `learning receipts` does; its options and help are in ../commands/receipts.ts. */
export async function runReceipts(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const { receipts, skipped } = readReceipts(rt.projectRoot);
  for (const s of skipped) say(ctx, `learning receipts: receipts.jsonl line ${s.line} skipped: ${s.problem}`);
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
}
