import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error.ts';
import { loadConfig } from '../../config/load.ts';
import { findProjectRoot } from '../../config/project-root.ts';
import { tempDir } from '../temp-dir.ts';

function repo(): string {
  const dir = tempDir('cfg-');
  mkdirSync(join(dir, '.git'));
  return dir;
}

describe('loadConfig', () => {
  it('means defaults, not an error, when there is no config', async () => {
    const r = await loadConfig(repo());
    assert.deepEqual(r, { config: {}, filepath: null });
  });

  it('loads a .ts config that imports another .ts file, under plain node, writing no temp file', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'shared.ts'), 'export const k: number = 9;\n');
    writeFileSync(
      join(dir, 'tapps-agents.config.ts'),
      "import { k } from './shared.ts';\nconst c: { learning: { k: number; sections: string[] } } = { learning: { k, sections: ['capabilities'] } };\nexport default c;\n",
    );
    const before = readdirSync(dir).sort();
    const r = await loadConfig(dir);
    assert.equal(r.filepath, join(dir, 'tapps-agents.config.ts'));
    assert.deepEqual(r.config.learning, { k: 9, sections: ['capabilities'] });
    assert.deepEqual(readdirSync(dir).sort(), before, 'no temp file left in the user folder');
  });

  it('finds the config in a parent folder up to the git root, and the package.json key', async () => {
    const dir = repo();
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'x', 'tapps-agents': { learning: { enabled: false } } }),
    );
    const sub = join(dir, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const r = await loadConfig(sub);
    assert.equal(r.filepath, join(dir, 'package.json'));
    assert.equal(r.config.learning?.enabled, false);
  });

  it('loads .mjs and .json configs', async () => {
    const a = repo();
    writeFileSync(join(a, 'tapps-agents.config.mjs'), 'export default { learning: { k: 7 } };\n');
    assert.equal((await loadConfig(a)).config.learning?.k, 7);
    const b = repo();
    writeFileSync(join(b, 'tapps-agents.config.json'), '{ "learning": { "epsilon": 1 } }');
    assert.equal((await loadConfig(b)).config.learning?.epsilon, 1);
  });

  it('names the file and the bad key when validation fails', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'tapps-agents.config.json'), '{ "learning": { "k": 0, "lerning": true } }');
    await assert.rejects(loadConfig(dir), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /tapps-agents\.config\.json/);
      assert.match(error.message, /learning\.k: .*>=1/);
      assert.match(error.message, /learning\.lerning: unknown key/);
      return true;
    });
  });

  it('reports a config that does not load, with its file', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'tapps-agents.config.ts'), 'export default {{ broken');
    await assert.rejects(loadConfig(dir), /tapps-agents\.config\.ts/);
  });

  it('finds the project root from any folder inside it', () => {
    const dir = repo();
    mkdirSync(join(dir, 'app', '.tapps-agents'), { recursive: true });
    mkdirSync(join(dir, 'app', 'src', 'x'), { recursive: true });
    assert.equal(findProjectRoot(join(dir, 'app', 'src', 'x')), join(dir, 'app'));
    mkdirSync(join(dir, 'other'));
    assert.equal(findProjectRoot(join(dir, 'other')), dir);
  });
});
