import type { CommandContext } from '../../../hooks/command-registry.ts';
import { errorText } from '../../files/log.ts';
import { hookList, manualSnippet, refusal, shownPath } from '../../hooks-yaml/describe.ts';
import { HooksFileError, hooksYamlPath, readHooksFile } from '../../hooks-yaml/hooks-file.ts';
import { installHooks } from '../../hooks-yaml/install.ts';
import { collectorHooks } from '../../hooks-yaml/our-hooks.ts';
import { defaultRunner, runnerProblem } from '../../hooks-yaml/runner.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { EXIT, say } from '../io.ts';
import { previewOrWrite } from './hooks-edit.ts';

/** What `learning install-hooks` does; its options and help are in ../commands/install-hooks.ts. */
export async function runInstallHooks(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const path = hooksYamlPath(rt.projectRoot);
  const shown = shownPath(path, ctx.cwd);
  let runner: string;
  const notes: string[] = [];
  if (typeof ctx.options.runner === 'string') {
    const problem = runnerProblem(ctx.options.runner);
    if (problem) {
      say(ctx, `learning install-hooks: --runner ${problem}`);
      return EXIT.usage;
    }
    runner = ctx.options.runner.trim();
  } else {
    const r = defaultRunner(rt.projectRoot, ctx.env);
    if ('error' in r) {
      say(ctx, `learning install-hooks: ${r.error}`);
      return EXIT.failed;
    }
    runner = r.command;
    notes.push(...r.notes);
  }
  const ours = collectorHooks(runner);
  let file: ReturnType<typeof readHooksFile>;
  try {
    file = readHooksFile(path);
  } catch (error) {
    say(ctx, `learning install-hooks: ${errorText(error).replace(/^\w+: /, '')}`);
    return error instanceof HooksFileError && error.problem ? EXIT.failed : EXIT.io;
  }
  const before = file.text ?? '';
  const result = installHooks(before, ours);
  if (!result.ok) {
    for (const line of refusal(result, shown, 'install-hooks')) say(ctx, `learning install-hooks: ${line}`);
    if (result.reason === 'unsupported')
      say(ctx, `Add these entries under hooks: by hand instead:\n${manualSnippet(ours)}`);
    return EXIT.failed;
  }
  const added = result.changes.filter((c) => c.change !== 'unchanged');
  if (!result.changed) {
    say(
      ctx,
      `learning install-hooks: ${shown} already runs the collector on SessionEnd and WorkflowComplete; nothing ${
        ctx.options.dryRun ? 'would change' : 'changed'
      }`,
    );
    return EXIT.ok;
  }
  const written = previewOrWrite(ctx, 'install-hooks', file, result.text, shown);
  if (written === 'previewed') return EXIT.ok;
  if (written === 'failed') return EXIT.io;
  const verbs = [...new Set(added.map((c) => (c.change === 'added' ? 'added' : 'updated')))].join(' and ');
  say(
    ctx,
    `learning install-hooks: ${verbs} ${hookList(added)} ${file.text === null ? 'in a new' : 'in'} ${shown}` +
      (written.backup ? ` (backup: ${shownPath(written.backup, ctx.cwd)})` : ''),
  );
  say(ctx, `  the framework now runs: ${ours[0]?.command}`);
  for (const n of [...result.notes, ...notes]) say(ctx, `  note: ${n}`);
  if (!rt.options.enabled)
    say(
      ctx,
      '  note: collection is off in the project config (learning.enabled: false); the hooks do nothing until it is on',
    );
  return EXIT.ok;
}
