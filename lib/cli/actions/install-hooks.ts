import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { errorText } from '../../files/log.ts';
import { hookList, manualSnippet, refusal, shownPath } from '../../hooks-yaml/describe.ts';
import { unifiedDiff } from '../../hooks-yaml/diff.ts';
import { HooksFileError, hooksYamlPath, readHooksFile, writeHooksFile } from '../../hooks-yaml/hooks-file.ts';
import { installHooks } from '../../hooks-yaml/install.ts';
import { collectorHooks } from '../../hooks-yaml/our-hooks.ts';
import { defaultRunner, runnerProblem } from '../../hooks-yaml/runner.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { EXIT, say } from '../io.ts';

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
  if (ctx.options.dryRun) {
    ctx.stdout.write(
      unifiedDiff(before, result.text, file.text === null ? '/dev/null' : `a/${shown}`, `b/${shown}`),
    );
    say(
      ctx,
      `learning install-hooks: dry run: ${shown} was not changed (the diff above is what install-hooks would write)`,
    );
    return EXIT.ok;
  }
  let written: ReturnType<typeof writeHooksFile>;
  try {
    mkdirSync(dirname(path), { recursive: true });
    written = writeHooksFile(file, result.text);
  } catch (error) {
    say(ctx, `learning install-hooks: cannot write ${shown}: ${errorText(error).replace(/^\w+: /, '')}`);
    return EXIT.io;
  }
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
