import type { Command, Option } from 'commander';
import type { CommandContext, CommandRegistry, CommandSpec } from '../../hooks/command-registry.ts';
import type { Host } from '../../hooks/host.ts';
import { EXIT } from './io.ts';
import { plainCall } from './plain-args.ts';

export type Io = Omit<CommandContext, 'host' | 'args' | 'options'>;

/** Runs the command the arguments name, parsed by plainCall when they are that simple, else by commander. */
export async function runProgram(
  host: Host,
  registry: CommandRegistry,
  argv: readonly string[],
  io: Io,
): Promise<number> {
  const plain = plainCall(registry, argv);
  if (plain) return plain.spec.run({ ...io, host, args: [], options: plain.options });
  return runParsed(host, registry, argv, io);
}

/**
 * Builds the commander program from the registry. Parsing errors and --help never exit the
 * process: they come back as exit codes, so the runner stays testable in-process.
 */
export async function runParsed(
  host: Host,
  registry: CommandRegistry,
  argv: readonly string[],
  io: Io,
): Promise<number> {
  // The parser loads only for what plainCall leaves to it (help, errors, arguments, choices).
  const { Command, CommanderError, Option: OptionClass } = await import('commander');
  let exitCode: number = EXIT.ok;
  const program = new Command('tapps-agents')
    .description(
      'TappsCodingAgents with the learning plugin: plugin commands run here, others go to the framework CLI',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage and an example)');
  for (const spec of registry.list()) {
    const cmd = ensurePath(program, spec.path);
    describe(cmd, spec, OptionClass);
    cmd.action(async (...received: unknown[]) => {
      const command = received.at(-1) as Command;
      const args = command.processedArgs as CommandContext['args'];
      exitCode = await spec.run({ ...io, host, args, options: command.opts() });
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
      )
        return EXIT.ok;
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}

function ensurePath(root: Command, path: readonly string[]): Command {
  let cmd = root;
  for (const word of path) {
    const existing = cmd.commands.find((c) => c.name() === word);
    cmd = existing ?? cmd.command(word).exitOverride();
    if (!existing) cmd.configureOutput(root.configureOutput());
  }
  return cmd;
}

function describe(cmd: Command, spec: CommandSpec, OptionClass: typeof Option): void {
  cmd.summary(spec.summary).description(spec.description ?? spec.summary);
  for (const a of spec.arguments ?? []) {
    const name = a.variadic ? `${a.name}...` : a.name;
    cmd.argument(a.required ? `<${name}>` : `[${name}]`, a.description);
  }
  for (const o of spec.options ?? []) {
    const opt = new OptionClass(o.flags, o.description);
    if (o.choices) opt.choices(o.choices);
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
  }
  cmd.addHelpText('after', `\nExample:\n  ${spec.example}\n`);
}
