import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * `learning hub serve` as a real child process, as a maintainer runs it: from the built bin when
 * this file runs from dist/, from the TypeScript sources (through tsx) otherwise.
 */
export interface ChildHub {
  url: string;
  proc: ChildProcess;
  /** Everything the hub wrote to stderr so far. */
  stderr(): string;
  /** CPU time the hub process has used, in ms (Linux /proc). */
  cpuMs(): number;
  /** CPU time of its main thread alone (the one serving HTTP and the database), in ms. */
  mainThreadCpuMs(): number;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** kill -9: no cleanup at all. */
  crash(): Promise<void>;
}

const FROM_DIST = import.meta.url.endsWith('.js');
const ROOT = fileURLToPath(new URL(FROM_DIST ? '../../../' : '../../', import.meta.url));

export function hubCommand(args: readonly string[]): { cmd: string; argv: string[] } {
  const bin = FROM_DIST ? `${ROOT}dist/lib/cli/bin.js` : `${ROOT}lib/cli/bin.ts`;
  // tsx by its resolved URL: the hub runs in a temp folder, where a bare `tsx` would not resolve.
  return {
    cmd: process.execPath,
    argv: [
      ...(FROM_DIST ? [] : ['--import', import.meta.resolve('tsx')]),
      bin,
      'learning',
      'hub',
      'serve',
      ...args,
    ],
  };
}

export function startChildHub(
  args: readonly string[],
  o: { cwd: string; timeoutMs?: number },
): Promise<ChildHub> {
  const { cmd, argv } = hubCommand(args);
  const proc = spawn(cmd, argv, {
    cwd: o.cwd,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (s: string) => {
    err += s;
  });
  const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the hub did not start within ${o.timeoutMs ?? 60_000} ms:\n${err}`));
    }, o.timeoutMs ?? 60_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (!m) return;
      clearTimeout(timer);
      proc.stderr?.off('data', onData);
      resolve({
        url: m[1] as string,
        proc,
        stderr: () => err,
        cpuMs: () => cpuOf(`/proc/${proc.pid}/stat`),
        mainThreadCpuMs: () => cpuOf(`/proc/${proc.pid}/task/${proc.pid}/stat`),
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          return exited;
        },
        async crash() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
          await exited;
        },
      });
    };
    proc.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with ${code} before listening:\n${err}`));
    });
  });
}

function cpuOf(statFile: string): number {
  try {
    const fields = readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime (fields 14 and 15 of stat; 12 and 13 after the command name), in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A keep-alive HTTP client with `sockets` connections: lighter than fetch, like a real uploader. */
export function httpClient(sockets = 2) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const send = (
    method: string,
    url: string,
    body?: Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent,
          headers: { ...headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    post: (url: string, body: Uint8Array, headers: Record<string, string> = {}) =>
      send('POST', url, body, headers),
    get: (url: string) => send('GET', url),
    del: (url: string, headers: Record<string, string> = {}) => send('DELETE', url, undefined, headers),
    close: () => agent.destroy(),
  };
}
