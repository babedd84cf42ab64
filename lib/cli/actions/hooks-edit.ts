import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { errorText } from '../../files/log.ts';
import { unifiedDiff } from '../../hooks-yaml/diff.ts';
import { type HooksFile, writeHooksFile } from '../../hooks-yaml/hooks-file.ts';
import { say } from '../io.ts';

/**
 * The end both hooks commands share: with --dry-run, the diff on stdout and nothing written;
 * otherwise the new text written (backup, atomic). 'previewed', 'failed' (already said why) or
 * what was written.
 */
export function previewOrWrite(
  ctx: CommandContext,
  command: string,
  file: HooksFile,
  next: string,
  shown: string,
): ReturnType<typeof writeHooksFile> | 'previewed' | 'failed' {
  if (ctx.options.dryRun) {
    const from = file.text === null ? '/dev/null' : `a/${shown}`;
    const to = next === '' ? '/dev/null' : `b/${shown}`;
    ctx.stdout.write(unifiedDiff(file.text ?? '', next, from, to));
    say(
      ctx,
      `learning ${command}: dry run: ${shown} was not changed (the diff above is what ${command} would write)`,
    );
    return 'previewed';
  }
  try {
    mkdirSync(dirname(file.path), { recursive: true });
    return writeHooksFile(file, next);
  } catch (error) {
    say(ctx, `learning ${command}: cannot write ${shown}: ${errorText(error).replace(/^\w+: /, '')}`);
    return 'failed';
  }
}
