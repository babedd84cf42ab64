import { randomUUID } from 'node:crypto';
import { ConfigError } from '../../config/config-error.ts';
import { findProjectRoot } from '../../config/project-root.ts';
import { createHost, type Host } from '../../hooks/host.ts';
import { appendLog, errorText } from '../files/log.ts';
import { learningPlugin } from '../plugin.ts';
import { findFrameworkCli, runFrameworkCli } from './framework-cli.ts';
import { isHookTriggered } from './hook-trigger.ts';
import { EXIT, say } from './io.ts';
import { type Io, runProgram } from './program.ts';

export interface MainIo extends Io {
  /** Path of the running bin, so the runner never mistakes itself for the framework CLI. */
  self: string;
}

/**
 * The `tapps-agents` runner: plugin commands (`learning …`) run in-process; any other command goes
 * to the framework's own CLI, whose exit code is returned unchanged, and is followed by a quiet
 * collection of what it wrote.
 */
export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  const projectRoot = findProjectRoot(io.cwd);
  let host: Host;
  try {
    host = await createHost({ projectRoot, defaultPlugins: [learningPlugin()] });
  } catch (error) {
    // hooks.yaml runs `learning collect --detach`: it must never fail the framework, even on a bad config.
    if (isHookTriggered(argv)) {
      appendLog(projectRoot, 'error', `collect (hook): ${errorText(error)}`);
      return EXIT.ok;
    }
    if (error instanceof ConfigError) {
      say(io, `tapps-agents: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
  const first = argv[0];
  const ours = first === undefined || first.startsWith('-') || host.commands.owns([first]);
  if (ours) {
    const session = { sessionId: randomUUID(), projectRoot, trigger: argv.slice(0, 2).join(' ') || 'help' };
    await host.hooks.sessionStart.promise(session);
    try {
      return await runProgram(host, host.commands, argv, io);
    } finally {
      await host.hooks.sessionEnd.promise(session);
    }
  }
  const framework = findFrameworkCli(io.env, host.config.framework?.command, io.self);
  if (!framework) {
    say(
      io,
      `tapps-agents: "${first}" is not a plugin command, and the TappsCodingAgents CLI was not found.\n` +
        'Install it (pip install tapps-agents), or set framework.command in tapps-agents.config.ts,\n' +
        'or TAPPS_AGENTS_PYTHON=/path/to/python. Plugin commands: tapps-agents --help',
    );
    return EXIT.failed;
  }
  const code = await runFrameworkCli(framework, argv, io.cwd, io.env);
  // Whatever the command wrote to the stores is in the rollups when the runner returns. Loaded only
  // here: the plugin's own commands do not pay for the store readers.
  const { collectQuietly } = await import('../collect/quiet.ts');
  await collectQuietly(host, 'runner');
  return code;
}
