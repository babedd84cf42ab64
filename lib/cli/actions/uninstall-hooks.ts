import type { CommandContext } from '../../../hooks/command-registry.ts';
import { errorText } from '../../files/log.ts';
import { hookList, refusal, shownPath } from '../../hooks-yaml/describe.ts';
import { HooksFileError, hooksYamlPath, readHooksFile } from '../../hooks-yaml/hooks-file.ts';
import { uninstallHooks } from '../../hooks-yaml/install.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { EXIT, say } from '../io.ts';
import { previewOrWrite } from './hooks-edit.ts';

/** What `learning uninstall-hooks` does; its options and help are in ../commands/uninstall-hooks.ts. */
export async function runUninstallHooks(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const path = hooksYamlPath(rt.projectRoot);
  const shown = shownPath(path, ctx.cwd);
  let file: ReturnType<typeof readHooksFile>;
  try {
    file = readHooksFile(path);
  } catch (error) {
    say(ctx, `learning uninstall-hooks: ${errorText(error).replace(/^\w+: /, '')}`);
    return error instanceof HooksFileError && error.problem ? EXIT.failed : EXIT.io;
  }
  if (file.text === null) {
    say(ctx, `learning uninstall-hooks: there is no ${shown}; nothing to remove`);
    return EXIT.ok;
  }
  const result = uninstallHooks(file.text);
  if (!result.ok) {
    for (const line of refusal(result, shown, 'uninstall-hooks'))
      say(ctx, `learning uninstall-hooks: ${line}`);
    return EXIT.failed;
  }
  if (!result.changed) {
    say(
      ctx,
      `learning uninstall-hooks: ${shown} has no collector hooks; nothing ${ctx.options.dryRun ? 'would change' : 'changed'}`,
    );
    return EXIT.ok;
  }
  const written = previewOrWrite(ctx, 'uninstall-hooks', file, result.text, shown);
  if (written === 'previewed') return EXIT.ok;
  if (written === 'failed') return EXIT.io;
  const backup = written.backup ? ` (backup: ${shownPath(written.backup, ctx.cwd)})` : '';
  say(
    ctx,
    `learning uninstall-hooks: removed ${hookList(result.changes)} from ${shown}` +
      (written.deleted ? '; it held nothing else and was deleted' : '') +
      backup,
  );
  return EXIT.ok;
}
