import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { configSearch } from '../../config/search-places.ts';
import { configNotStatic } from '../../config/static-config.ts';
import { tempDir } from '../temp-dir.ts';

const work = tempDir('static-config-');
after(() => rmSync(work, { recursive: true, force: true }));

/** A project (its own git root) with these files; the reason its config is not static, or null. */
function verdict(files: Record<string, string>, configFile?: string): string | null {
  const root = mkdtempSync(join(work, 'p-'));
  mkdirSync(join(root, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  const search = configSearch(root, root, { XDG_CONFIG_HOME: join(root, 'xdg') });
  return configNotStatic(search, configFile === undefined ? null : join(root, configFile));
}

const README_CONFIG = `import { defineConfig } from '@tapps-agents/learning/config';
import { learningPlugin } from '@tapps-agents/learning';

export default defineConfig({
  plugins: [learningPlugin()],          // plugins in the order they are applied; module names work too
  learning: {
    k: 10,
    sections: ['capabilities', 'workflows', 'failures', 'effectiveness', 'health'],
    sensitiveTerms: ['Globex'],
    timeZone: 'America/Los_Angeles',
  },
});
`;

describe('configNotStatic: can a fingerprint of the files stand for loading the config', () => {
  it('yes: no config, a JSON config, package.json settings, the README’s TypeScript config, a CommonJS one', () => {
    assert.equal(verdict({}), null);
    assert.equal(
      verdict({ 'tapps-agents.config.json': '{"learning":{"k":7}}' }, 'tapps-agents.config.json'),
      null,
    );
    assert.equal(verdict({ 'package.json': '{"tapps-agents":{"learning":{"k":7}}}' }, 'package.json'), null);
    assert.equal(verdict({ 'tapps-agents.config.ts': README_CONFIG }, 'tapps-agents.config.ts'), null);
    assert.equal(
      verdict(
        {
          'tapps-agents.config.cjs':
            "const { learningPlugin } = require('@tapps-agents/learning');\nmodule.exports = { plugins: [learningPlugin({ timeZone: 'UTC' })] };\n",
        },
        'tapps-agents.config.cjs',
      ),
      null,
    );
  });

  it('no: code that imports other files, re-exports, or reads the environment, the clock or modules at run time', () => {
    const code = (text: string) => verdict({ 'tapps-agents.config.ts': text }, 'tapps-agents.config.ts');
    assert.match(
      code("import { k } from './shared.ts';\nexport default { learning: { k } };\n") ?? '',
      /is code/,
    );
    assert.match(code("export * from './base.ts';\n") ?? '', /is code/);
    assert.match(code('export default { learning: { timeZone: process.env.TEAM_TZ } };\n') ?? '', /is code/);
    assert.match(
      code('export default { learning: { enabled: new Date().getDay() > 0 } };\n') ?? '',
      /is code/,
    );
    assert.match(code("export default await import('./x.ts');\n") ?? '', /is code/);
    assert.match(
      verdict(
        { 'tapps-agents.config.mjs': "import x from 'some-plugin';\nexport default { plugins: [x] };\n" },
        'tapps-agents.config.mjs',
      ) ?? '',
      /is code/,
    );
  });

  it('no: a data config with $import, cosmiconfig options in the working folder, settings the host did not load', () => {
    assert.match(
      verdict({ 'tapps-agents.config.json': '{"$import":"./base.json"}' }, 'tapps-agents.config.json') ?? '',
      /\$import/,
    );
    assert.match(
      verdict({ 'package.json': '{"cosmiconfig":{"searchPlaces":[".x"]}}' }) ?? '',
      /cosmiconfig options/,
    );
    assert.match(verdict({ '.config/config.json': '{}' }) ?? '', /meta-configuration/);
    assert.match(verdict({ 'tapps-agents.config.json': '{}' }) ?? '', /did not load/);
    assert.match(verdict({ 'package.json': '{"tapps-agents":{}}' }) ?? '', /did not load/);
    assert.equal(verdict({ 'package.json': '{"name":"x"}' }), null);
    assert.match(verdict({ 'elsewhere.json': '{}' }, 'elsewhere.json') ?? '', /not where/);
  });
});
