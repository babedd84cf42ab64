import { spawn } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The framework's own `tapps-agents` (Python) command: from the config, from TAPPS_AGENTS_PYTHON,
 * or the first `tapps-agents` on PATH that is not this runner itself (npm links ours into
 * node_modules/.bin under the same name).
 */
export function findFrameworkCli(
  env: NodeJS.ProcessEnv,
  configured: readonly string[] | undefined,
  self: string,
): string[] | null {
  if (configured && configured.length > 0) return [...configured];
  if (env.TAPPS_AGENTS_PYTHON) return [env.TAPPS_AGENTS_PYTHON, '-m', 'tapps_agents.cli'];
  const me = safeRealpath(self);
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'tapps-agents');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const real = safeRealpath(candidate);
    if (real === me || real.includes(`${join('node_modules', '@tapps-agents', 'learning')}`)) continue;
    return [candidate];
  }
  return null;
}

/** Runs the framework CLI with the terminal handed over, and returns its exit code. */
export function runFrameworkCli(
  command: string[],
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  // Ctrl-C in a terminal reaches the whole foreground group, the framework and this runner: the
  // framework decides what Ctrl-C means, and the runner waits for it, then still collects.
  const wait = () => {};
  const waitOn: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];
  for (const s of waitOn) process.on(s, wait);
  return new Promise<number>((resolve) => {
    const [bin, ...pre] = command as [string, ...string[]];
    const child = spawn(bin, [...pre, ...args], { cwd, env, stdio: 'inherit' });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  }).finally(() => {
    for (const s of waitOn) process.off(s, wait);
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGINT'
    ? 2
    : signal === 'SIGQUIT'
      ? 3
      : signal === 'SIGTERM'
        ? 15
        : signal === 'SIGKILL'
          ? 9
          : 1;
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
