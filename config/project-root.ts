import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder up from `cwd` that holds `.tapps-agents/`, else the git root, else `cwd`. */
export function findProjectRoot(cwd: string): string {
  const start = resolve(cwd);
  const tapps = findUp(start, (dir) => isDir(join(dir, '.tapps-agents')));
  return tapps ?? findGitRoot(start) ?? start;
}

export function findGitRoot(start: string): string | null {
  return findUp(resolve(start), (dir) => existsSync(join(dir, '.git')));
}

function findUp(start: string, test: (dir: string) => boolean): string | null {
  let dir = start;
  for (;;) {
    if (test(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
