import assert from 'node:assert/strict';
import fs, { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../config/load.ts';
import { configSearch } from '../../config/search-places.ts';
import { tempDir } from '../temp-dir.ts';

const work = tempDir('search-places-');
after(() => rmSync(work, { recursive: true, force: true }));

/** Every file cosmiconfig tries to read while loadConfig runs: async reads (the search), sync ones (its meta-configuration). */
async function filesRead(projectRoot: string): Promise<{ search: string[]; meta: string[] }> {
  // Once before: the loaders cosmiconfig requires on first use would show up as reads.
  await loadConfig(projectRoot);
  const search: string[] = [];
  const meta: string[] = [];
  const readFile = fsp.readFile;
  const readFileSync = fs.readFileSync;
  fsp.readFile = ((p: string, ...rest: never[]) => {
    search.push(String(p));
    return readFile(p, ...rest);
  }) as typeof fsp.readFile;
  fs.readFileSync = ((p: string, ...rest: never[]) => {
    meta.push(String(p));
    return readFileSync(p, ...rest);
  }) as typeof fs.readFileSync;
  try {
    await loadConfig(projectRoot);
  } finally {
    fsp.readFile = readFile;
    fs.readFileSync = readFileSync;
  }
  return { search, meta };
}

describe('configSearch: the files loadConfig consults', () => {
  it('are the very files cosmiconfig tries, in its order: project up to the git root, the user folder, the meta places', async () => {
    const root = join(work, 'repo');
    const project = join(root, 'a', 'b');
    mkdirSync(join(root, '.git'), { recursive: true });
    mkdirSync(project, { recursive: true });
    const xdg = join(work, 'xdg');
    mkdirSync(join(xdg, 'tapps-agents'), { recursive: true });
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = xdg;
    try {
      const expected = configSearch(project, process.cwd(), process.env);
      const read = await filesRead(project);
      // Nothing found: every place is read, in order, and nothing else.
      assert.deepEqual(read.search, expected.files);
      assert.deepEqual(
        read.meta.filter((p) => expected.meta.includes(p)),
        read.meta,
        'cosmiconfig read a meta file configSearch does not list',
      );
      assert.ok(expected.files.includes(join(root, 'tapps-agents.config.json')));
      assert.ok(!expected.files.includes(join(work, 'package.json')), 'the search stops at the git root');
      assert.deepEqual(expected.gitMarkers, [
        join(project, '.git'),
        join(root, 'a', '.git'),
        join(root, '.git'),
      ]);
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  });

  it('stops at the project root when there is no git root above it, and lists the meta places of the working folder', () => {
    const project = mkdtempSync(join(work, 'nogit-'));
    writeFileSync(join(project, 'package.json'), '{}');
    const s = configSearch(project, project, { XDG_CONFIG_HOME: '/xdg' });
    assert.ok(s.files.includes(join(project, 'package.json')));
    assert.ok(!s.files.includes(join(work, 'package.json')));
    assert.ok(s.files.includes(join('/xdg', 'tapps-agents', 'config.json')));
    assert.ok(s.meta.includes(join(project, '.config', 'config.json')));
  });
});
