import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Fenced blocks whose info string is `sh runnable`: the README promises they work as written. */
export function runnableBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const re = /^```sh runnable\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) blocks.push(m[1] as string);
  return blocks;
}

/** A fresh copy of the project as git sees it (tracked and unignored files), sharing node_modules. */
function freshCopy(): string {
  const dir = tempDir('readme-');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    try {
      cpSync(join(ROOT, f), join(dir, f));
    } catch {
      // Deleted in the work tree but not yet in the index.
    }
  }
  // `npm ci` needs the registry; tests stay off the network, so the installed packages are shared.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('README', () => {
  it('has runnable blocks, and each one works in a fresh copy of the project', () => {
    const blocks = runnableBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    assert.ok(blocks.length >= 1, 'the README marks its walkthrough as `sh runnable`');
    const dir = freshCopy();
    for (const block of blocks) {
      const r = spawnSync('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', block], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', npm_config_yes: 'false' },
        timeout: 300_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      assert.equal(r.status, 0, `README block failed:\n${block}\n--- stderr ---\n${r.stderr.slice(-3000)}`);
    }
  });
});
