import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGitRoot } from '../../config/project-root.ts';

/**
 * How the hooks start the plugin's bin. Not `npx`: npx loads npm (a few hundred ms on every
 * framework command's exit) and resolves through PATH and npm config the framework's process may
 * not share; `npx --no-install` even falls back to a global install. Instead `node` runs the bin by
 * its path relative to the project root (the framework runs hooks there), which is also what a
 * teammate's checkout has after `npm install`, so a committed hooks.yaml works for everyone.
 */
export interface Runner {
  command: string;
  /** Why the runner is less than portable, for the user. */
  notes: string[];
}

/** The compiled bin of this package (from the sources under tsx: the built one beside them). */
export function pluginBin(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return join(dirname(here), '..', '..', 'dist', 'lib', 'cli', 'bin.js');
  return join(dirname(here), '..', 'cli', 'bin.js');
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word for sh and cmd alike: as is, or in double quotes when it holds nothing they expand. */
export function shellWord(s: string): string | null {
  if (SAFE_WORD.test(s)) return s;
  if (/["$`\\!%\n\r{}]/.test(s)) return null;
  return `"${s}"`;
}

/**
 * Problems with a runner given by the user: the framework replaces `{NAME}` by environment values
 * without quoting, and a hook is one line.
 */
export function runnerProblem(runner: string): string | null {
  if (runner.trim() === '') return 'is empty';
  if (/[\r\n]/.test(runner)) return 'must be one line';
  if (/[{}]/.test(runner))
    return 'must not contain { or } (the framework substitutes {NAME} placeholders unquoted)';
  if (runner.length > 500) return 'is longer than 500 characters';
  return null;
}

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      try {
        accessSync(join(dir, name + ext), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

export function defaultRunner(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  bin = pluginBin(),
): Runner | { error: string } {
  const notes: string[] = [];
  if (!existsSync(bin))
    return {
      error: `the plugin's compiled bin ${bin} is missing (run npm run build, or reinstall the package)`,
    };
  const real = realpathSync(bin);
  const root = realpathSync(projectRoot);
  const repo = findGitRoot(root) ?? root;
  const insideRepo = !relative(repo, real).startsWith('..') && !isAbsolute(relative(repo, real));
  let path: string;
  if (insideRepo && real.split(sep).includes('node_modules'))
    path = relative(root, real).split(sep).join('/');
  else {
    path = real;
    notes.push(
      `the plugin is not installed in this project (it runs from ${real}), so the hooks name that absolute ` +
        'path, which only this machine has. Install it in the project (npm install --save-dev ' +
        '@tapps-agents/learning) and run install-hooks again, or pass --runner.',
    );
  }
  let node = 'node';
  if (!onPath('node', env)) {
    node = process.execPath;
    notes.push(`node is not on this shell's PATH, so the hooks start it by its full path (${node}).`);
  }
  // cmd.exe and node both take forward slashes on Windows; a backslash would need quoting rules.
  const slashes = (p: string) => (sep === '\\' ? p.replace(/\\/g, '/') : p);
  const nodeWord = shellWord(slashes(node));
  const pathWord = shellWord(slashes(path));
  if (nodeWord === null || pathWord === null)
    return {
      error: `the path ${nodeWord === null ? node : path} holds characters a hook command cannot quote; pass --runner`,
    };
  return { command: `${nodeWord} ${pathWord}`, notes };
}
