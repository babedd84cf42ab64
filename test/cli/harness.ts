import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../../lib/cli/main.ts';
import { tempDir } from '../temp-dir.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

class Capture extends Writable {
  chunks: Buffer[] = [];
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Runs the tapps-agents runner in this process with captured streams (no TTY unless asked). */
export async function runCli(
  argv: string[],
  o: { cwd: string; env?: NodeJS.ProcessEnv; tty?: boolean; input?: string } = { cwd: process.cwd() },
): Promise<CliResult> {
  const stdout = new Capture(o.tty);
  const stderr = new Capture(o.tty);
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = o.tty;
  if (o.input !== undefined) stdin.end(o.input);
  const code = await main(argv, {
    stdout,
    stderr,
    stdin,
    env: o.env ?? { PATH: process.env.PATH },
    cwd: o.cwd,
    self: '/nonexistent/tapps-agents',
  });
  return {
    code,
    stdout: stdout.bytes.toString('utf8'),
    stderr: stderr.bytes.toString('utf8'),
    stdoutBytes: stdout.bytes,
  };
}

export const BIN = fileURLToPath(new URL('../../dist/lib/cli/bin.js', import.meta.url));

/** Runs the built bin as a child process, as a user's shell would. */
export function runBin(
  argv: string[],
  o: { cwd: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] },
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(o.nodeArgs ?? []), BIN, ...argv],
      {
        cwd: o.cwd,
        env: o.env ?? { PATH: process.env.PATH },
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({
          code,
          stdout: stdout.toString('utf8'),
          stderr: stderr.toString('utf8'),
          stdoutBytes: stdout,
        });
      },
    );
  });
}

/** A temp project folder with `.tapps-agents/` and a `.git` marker, so the runner finds its root. */
export function tempProject(prefix = 'proj-'): string {
  const dir = tempDir(prefix);
  mkdirSync(join(dir, '.tapps-agents'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  return dir;
}

let traces: string | undefined;
let traced = 0;

/**
 * runBin, also listing every module the process loaded, in order (node: built-ins included): a
 * module hook registered with --import appends each URL to a file as it loads.
 */
export async function runBinTraced(
  argv: string[],
  o: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult & { loaded: string[] }> {
  if (!traces) {
    const dir = tempDir('bin-traces-');
    writeFileSync(
      join(dir, 'hooks.mjs'),
      "import { appendFileSync } from 'node:fs';\n" +
        'export async function initialize(o) { globalThis.traceLog = o.log; }\n' +
        'export async function load(url, context, next) {\n' +
        '  if (globalThis.traceLog) appendFileSync(globalThis.traceLog, url + "\\n");\n' +
        '  return next(url, context);\n}\n',
    );
    traces = dir;
  }
  const log = join(traces, `${++traced}.log`);
  writeFileSync(log, '');
  const register = join(traces, `${traced}.mjs`);
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(traces, 'hooks.mjs')).href)}, { data: { log: ${JSON.stringify(log)} } });\n`,
  );
  const r = await runBin(argv, { ...o, nodeArgs: ['--import', pathToFileURL(register).href] });
  return {
    ...r,
    loaded: readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== ''),
  };
}
