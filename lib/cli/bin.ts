#!/usr/bin/env node
import type { MainIo } from './main.ts';

const argv = process.argv.slice(2);
// The streams open when a command uses them: a quick check that prints nothing never does.
const io: MainIo = {
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
  self: process.argv[1] ?? '',
};

// `learning collect` that finds nothing new answers before the runner, the config and the readers
// load (main.ts is imported only past this point): hooks run it after every framework command.
const quick =
  argv[0] === 'learning' && argv[1] === 'collect'
    ? await (await import('./quick-collect.ts')).quickCollect(argv, io)
    : undefined;

process.exitCode =
  quick ??
  (await import('./main.ts')
    .then(({ main }) => main(argv, io))
    .catch((error: unknown) => {
      process.stderr.write(
        `tapps-agents: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      return 1;
    }));
