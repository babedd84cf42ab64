import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';
import workerThreads from 'node:worker_threads';

/** One attempt to reach outside the process: a socket, a name lookup, a request, a child process. */
export interface Egress {
  kind: string;
  detail: string;
}

export interface EgressGuard {
  readonly attempts: Egress[];
  /** Network attempts only (everything but child processes and workers). */
  network(): Egress[];
  /** esbuild's worker, started to compile a TypeScript config: allowed, listed here. */
  readonly compiler: Egress[];
  processes(): Egress[];
  restore(): void;
}

const DISPATCHER = Symbol.for('undici.globalDispatcher.1');

function describe(args: unknown[]): string {
  try {
    return JSON.stringify(args, (_k, v) =>
      typeof v === 'function' ? '[fn]' : v instanceof Uint8Array ? `[${v.byteLength} bytes]` : v,
    ).slice(0, 300);
  } catch {
    return String(args[0]).slice(0, 300);
  }
}

/**
 * Blocks and records every way this process could reach the network or start another program:
 * net.Socket#connect (under net.connect, http, https and undici/fetch), tls.connect, dns, http(s)
 * and http2 requests, UDP sockets, global fetch and undici's global dispatcher, child_process and
 * worker threads. Each attempt throws, so nothing leaves even if a test is wrong; ESM named imports
 * of the builtins are re-synced so `import { execFile }` sees the patch too.
 */
export function guardEgress(o: { processes?: 'block' | 'allow' } = {}): EgressGuard {
  const attempts: Egress[] = [];
  const restores: (() => void)[] = [];
  const block = (kind: string) =>
    function blocked(...args: unknown[]): never {
      attempts.push({ kind, detail: describe(args) });
      throw new Error(`egress blocked by the test: ${kind}`);
    };
  const patch = <T extends object>(obj: T, key: keyof T & string, kind: string) => {
    const original = obj[key];
    (obj as Record<string, unknown>)[key] = block(kind);
    restores.push(() => {
      (obj as Record<string, unknown>)[key] = original;
    });
  };

  /** Records and lets through (child processes in a dry run, which the gate uses to read git config). */
  const record = <T extends object>(obj: T, key: keyof T & string, kind: string) => {
    const original = obj[key] as (...a: unknown[]) => unknown;
    (obj as Record<string, unknown>)[key] = function recorded(this: unknown, ...args: unknown[]) {
      attempts.push({ kind, detail: describe(args) });
      return original.apply(this, args);
    };
    restores.push(() => {
      (obj as Record<string, unknown>)[key] = original;
    });
  };

  patch(net.Socket.prototype, 'connect', 'net.Socket.connect');
  patch(tls, 'connect', 'tls.connect');
  for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'lookupService'] as const)
    patch(dns, fn, `dns.${fn}`);
  for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny'] as const)
    patch(dns.promises, fn, `dns.promises.${fn}`);
  for (const fn of ['request', 'get'] as const) {
    patch(http, fn, `http.${fn}`);
    patch(https, fn, `https.${fn}`);
  }
  patch(http2, 'connect', 'http2.connect');
  patch(dgram, 'createSocket', 'dgram.createSocket');
  for (const fn of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
    if (o.processes === 'allow') record(childProcess, fn, `child_process.${fn}`);
    else patch(childProcess, fn, `child_process.${fn}`);
  }
  // esbuild (through tsx) compiles a tapps-agents.config.ts in a worker thread that talks to the
  // esbuild binary over pipes: the host's TypeScript compiler, allowed and counted on its own.
  const WorkerBefore = workerThreads.Worker;
  const compiler: Egress[] = [];
  (workerThreads as { Worker: unknown }).Worker = function GuardedWorker(this: unknown, ...args: unknown[]) {
    const script = String(args[0]);
    if (/node_modules[\\/]esbuild[\\/]lib[\\/]main\.js$/.test(script)) {
      compiler.push({ kind: 'worker_threads.Worker (esbuild)', detail: script });
      return Reflect.construct(WorkerBefore, args);
    }
    attempts.push({ kind: 'worker_threads.Worker', detail: describe(args) });
    throw new Error('egress blocked by the test: worker_threads.Worker');
  };
  restores.push(() => {
    (workerThreads as { Worker: unknown }).Worker = WorkerBefore;
  });

  const g = globalThis as unknown as Record<string | symbol, unknown>;
  const fetchBefore = g.fetch;
  g.fetch = (...args: unknown[]) => {
    attempts.push({ kind: 'fetch', detail: describe(args.slice(0, 1)) });
    return Promise.reject(new Error('egress blocked by the test: fetch'));
  };
  const dispatcherBefore = g[DISPATCHER];
  g[DISPATCHER] = {
    dispatch(options: unknown) {
      attempts.push({ kind: 'undici.dispatch', detail: describe([options]) });
      throw new Error('egress blocked by the test: undici dispatcher');
    },
  };
  restores.push(() => {
    g.fetch = fetchBefore;
    g[DISPATCHER] = dispatcherBefore;
  });
  syncBuiltinESMExports();

  const isProcess = (e: Egress) =>
    e.kind.startsWith('child_process.') || e.kind.startsWith('worker_threads.');
  return {
    attempts,
    compiler,
    network: () => attempts.filter((e) => !isProcess(e)),
    processes: () => attempts.filter(isProcess),
    restore() {
      for (const r of restores.reverse()) r();
      syncBuiltinESMExports();
    },
  };
}
