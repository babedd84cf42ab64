import type { Writable } from 'node:stream';
import type { Host } from './host.ts';

/** An option of a contributed command, in commander's flag syntax (`--out <file>`, `--yes`). */
export interface CommandOption {
  flags: string;
  description: string;
  default?: string | boolean | string[];
  choices?: readonly string[];
}

export interface CommandArgument {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

/** What a command runs with. Streams and environment come in here so commands run in tests as they do in a shell. */
export interface CommandContext {
  host: Host;
  /** Positional arguments, in declaration order (a variadic one is a string[]). */
  args: (string | string[] | undefined)[];
  options: Record<string, unknown>;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A command a plugin contributes: `path` is its words after the program name, e.g. ['learning', 'export']. */
export interface CommandSpec {
  path: readonly string[];
  summary: string;
  description?: string;
  /** One real example, shown by --help. */
  example: string;
  arguments?: readonly CommandArgument[];
  options?: readonly CommandOption[];
  /** Exit code (see CONVENTIONS.md). */
  run(ctx: CommandContext): Promise<number>;
  /** Name of the plugin that contributed it, filled in by the registry. */
  plugin?: string;
}

export class CommandRegistry {
  readonly #commands = new Map<string, CommandSpec>();

  add(plugin: string, ...specs: CommandSpec[]): void {
    for (const spec of specs) {
      const key = spec.path.join(' ');
      const existing = this.#commands.get(key);
      if (existing)
        throw new Error(`command "${key}" of plugin ${plugin} is already contributed by ${existing.plugin}`);
      this.#commands.set(key, { ...spec, plugin });
    }
  }

  get(path: readonly string[]): CommandSpec | undefined {
    return this.#commands.get(path.join(' '));
  }

  list(): CommandSpec[] {
    return [...this.#commands.values()].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')));
  }

  /** Whether any command starts with these words (`learning` is ours when any `learning …` command is). */
  owns(words: readonly string[]): boolean {
    const prefix = words.join(' ');
    for (const key of this.#commands.keys()) if (key === prefix || key.startsWith(`${prefix} `)) return true;
    return false;
  }
}
