import type { CommandSpec } from '../../hooks/command-registry.ts';

/** What plainCall needs of a command: its arguments and options (the quick check has no `run`). */
type Parsable = Pick<CommandSpec, 'arguments' | 'options'>;

export interface PlainCall<S extends Parsable = CommandSpec> {
  spec: S;
  options: Record<string, unknown>;
}

/** `--trigger <name>` → trigger, `--dry-run` → dryRun: commander's attribute names. */
function attribute(long: string): string {
  return long.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The command and options of an argument list simple enough to need no parser: a command's words,
 * then only its own `--flag`s and `--option value`s, each once, values not starting with `-`, and a
 * command without positional arguments, choices or negations. The options come out as commander's
 * `opts()` gives them (defaults included). Anything else (help, a typo, `--x=y`) is left to commander.
 * Hooks run `learning collect --background --trigger …` after every framework command: loading
 * and building the whole command-line parser for it cost more than the collection when nothing is new.
 */
export function plainCall<S extends Parsable = CommandSpec>(
  registry: { get(path: readonly string[]): S | undefined },
  argv: readonly string[],
): PlainCall<S> | undefined {
  let spec: S | undefined;
  let at = 0;
  for (let n = 1; n <= argv.length && !argv[n - 1]?.startsWith('-'); n++) {
    const found = registry.get(argv.slice(0, n));
    if (found) {
      spec = found;
      at = n;
    }
  }
  if (!spec || spec.arguments?.length) return undefined;
  const declared = new Map<string, { name: string; takesValue: boolean }>();
  const options: Record<string, unknown> = {};
  for (const o of spec.options ?? []) {
    const m = /^--([a-z][a-z0-9-]*)(?: <[^>]+>)?$/.exec(o.flags);
    if (!m || o.choices || (m[1] as string).startsWith('no-')) return undefined;
    const long = `--${m[1]}`;
    declared.set(long, { name: attribute(long), takesValue: o.flags.includes('<') });
    if (o.default !== undefined) options[attribute(long)] = o.default;
  }
  const given = new Set<string>();
  while (at < argv.length) {
    const arg = argv[at++] as string;
    const o = declared.get(arg);
    if (!o || given.has(arg)) return undefined;
    given.add(arg);
    if (!o.takesValue) {
      options[o.name] = true;
      continue;
    }
    const value = argv[at++];
    if (value === undefined || value.startsWith('-')) return undefined;
    options[o.name] = value;
  }
  return { spec, options };
}
