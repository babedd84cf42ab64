import type { CommandContext } from '../../../hooks/command-registry.ts';
import { LockBusyError } from '../../files/lock.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { type RotationMode, rotateProjectKey } from '../../privacy/rotate-key.ts';
import { confirm, EXIT, say } from '../io.ts';

const COMMAND = 'learning rotate-id';

/** What `learning rotate-id` does; its options and help are in ../commands/rotate-id.ts. */
export async function runRotateId(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const mode: RotationMode = ctx.options.recollect === true ? 'recollect' : 'fresh';
  const question =
    mode === 'fresh'
      ? 'Replace the pseudonym key? Exports made afterwards get a new project id and cannot be linked to earlier ' +
        'ones. The rollups (they carry old pseudonyms) are emptied and collection continues with new records ' +
        'only: the local history starts over.'
      : 'Replace the pseudonym key and re-read every store under the new key? The rollups are rebuilt by the ' +
        'next `learning collect` with new pseudonyms, but their history (runs per week) matches earlier ' +
        'exports, so those could still be linked by their numbers.';
  if (ctx.options.yes !== true && !(await confirm(ctx, question))) {
    say(
      ctx,
      `${COMMAND}: not confirmed; the key and the rollups are unchanged (pass --yes when no terminal can answer)`,
    );
    return EXIT.consent;
  }
  let done: Awaited<ReturnType<typeof rotateProjectKey>>;
  try {
    done = await rotateProjectKey(rt.projectRoot, mode);
  } catch (error) {
    if (error instanceof LockBusyError) {
      say(
        ctx,
        `${COMMAND}: a collection is running (process ${error.holder ?? 'unknown'} holds ${error.path}); try again when it ends`,
      );
      return EXIT.io;
    }
    say(
      ctx,
      `${COMMAND}: could not rotate the key: ${(error as Error).message}; nothing exported uses a half-rotated key, run it again`,
    );
    return EXIT.io;
  }
  rt.recorder.discard();
  rt.recorder.resetKey();
  say(ctx, `pseudonym key replaced; the project id in exports is now ${rt.recorder.projectId()}`);
  say(
    ctx,
    mode === 'fresh'
      ? `rollups emptied (${done.eventsDropped} events); checkpoints of ${done.checkpoints} store file(s) kept, so ` +
          'collection continues with new records only. Exports made from now on cannot be linked to earlier ones.'
      : `rollups and the checkpoints of ${done.checkpoints} store file(s) emptied (${done.eventsDropped} events); ` +
          'run `tapps-agents learning collect` to read every store again under the new key.',
  );
  say(
    ctx,
    'restart `learning watch` or any long-running host if one is running: it keeps the old key until it restarts',
  );
  return EXIT.ok;
}
