import { existsSync, rmSync, unlinkSync } from 'node:fs';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { fingerprintPath } from '../../collect/fingerprint-file.ts';
import { acquireLock } from '../../files/lock.ts';
import { pluginFile } from '../../files/plugin-dir.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { confirm, EXIT, say } from '../io.ts';

/** What `learning reset` does; its options and help are in ../commands/reset.ts. */
export async function runReset(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const path = pluginFile(rt.projectRoot, 'state');
  if (!existsSync(path)) {
    say(ctx, 'nothing to reset: no state yet');
    return EXIT.ok;
  }
  if (ctx.options.yes !== true && !(await confirm(ctx, `Delete all learning rollups in ${path}?`))) {
    say(ctx, 'learning reset: not confirmed; nothing deleted (pass --yes when no terminal can answer)');
    return EXIT.usage;
  }
  const lock = await acquireLock(pluginFile(rt.projectRoot, 'lock'), 10_000);
  try {
    // The quick check's fingerprint goes first: it describes the state being deleted.
    rmSync(fingerprintPath(rt.projectRoot), { force: true });
    unlinkSync(path);
  } finally {
    lock.release();
  }
  rt.recorder.discard();
  say(ctx, 'learning state deleted; the pseudonym key was kept (use learning rotate-id to replace it)');
  return EXIT.ok;
}
