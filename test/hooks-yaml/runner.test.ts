import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultRunner, runnerProblem, shellWord } from '../../lib/hooks-yaml/runner.ts';
import { tempDir } from '../temp-dir.ts';

function repo(): string {
  const root = realpathSync(tempDir('runner-'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, '.tapps-agents'));
  return root;
}

function fakeBin(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  return path;
}

const env = { PATH: dirname(process.execPath) };

describe('the command the hooks run', () => {
  it('is node and the installed bin, relative to the project root: portable, no npx', () => {
    const root = repo();
    try {
      const bin = fakeBin(
        join(root, 'node_modules', '@tapps-agents', 'learning', 'dist', 'lib', 'cli', 'bin.js'),
      );
      assert.deepEqual(defaultRunner(root, env, bin), {
        command: 'node node_modules/@tapps-agents/learning/dist/lib/cli/bin.js',
        notes: [],
      });
      // A package of a monorepo, the plugin hoisted to the repository root.
      const pkg = join(root, 'packages', 'app');
      mkdirSync(join(pkg, '.tapps-agents'), { recursive: true });
      assert.equal(
        (defaultRunner(pkg, env, bin) as { command: string }).command,
        'node ../../node_modules/@tapps-agents/learning/dist/lib/cli/bin.js',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names an absolute path, and says why, when the plugin runs from outside the project', () => {
    const root = repo();
    const elsewhere = repo();
    try {
      const bin = fakeBin(join(elsewhere, 'dist', 'lib', 'cli', 'bin.js'));
      const r = defaultRunner(root, env, bin) as { command: string; notes: string[] };
      assert.equal(r.command, `node ${bin}`);
      assert.match(
        r.notes[0] ?? '',
        /not installed in this project .*npm install --save-dev @tapps-agents\/learning/,
      );
      const noNode = defaultRunner(root, { PATH: '/nonexistent' }, bin) as {
        command: string;
        notes: string[];
      };
      assert.equal(noNode.command, `${process.execPath} ${bin}`);
      assert.match(noNode.notes[1] ?? '', /node is not on this shell's PATH/);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('quotes paths with spaces, refuses what neither sh nor cmd can take literally', () => {
    assert.equal(shellWord('/opt/my tools/bin.js'), '"/opt/my tools/bin.js"');
    assert.equal(shellWord('node_modules/@x/y.js'), 'node_modules/@x/y.js');
    for (const bad of ['/a/$HOME/b', '/a/`x`', '/a/{x}', 'C:\\x', '/a/"b"'])
      assert.equal(shellWord(bad), null, bad);
    assert.equal(runnerProblem('npx --no-install tapps-agents'), null);
    assert.match(runnerProblem('node {HOME}/x.js') ?? '', /must not contain \{ or \}/);
    assert.match(runnerProblem('a\nb') ?? '', /one line/);
    assert.match(runnerProblem('  ') ?? '', /empty/);
  });
});
