import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ensureBin } from '../collect/support.ts';
import { tempProject } from './harness.ts';

const work = mkdtempSync(join(tmpdir(), 'lazy-commands-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Files the built bin loads for these arguments (a module hook writes each one it loads). */
function loaded(args: string[], cwd: string): Promise<string[]> {
  const log = join(work, `${args.join('-')}.log`);
  const hooks = join(work, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`,
  );
  const register = join(work, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', pathToFileURL(register).href, ensureBin(), ...args],
      { cwd, env: { PATH: process.env.PATH } },
      (error) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve(readFileSync(log, 'utf8').trim().split('\n'));
      },
    );
  });
}

describe('command modules load lazily', () => {
  const project = tempProject('lazy-');
  after(() => rmSync(project, { recursive: true, force: true }));

  it('`learning --help` lists every command without loading any implementation', async () => {
    const files = await loaded(['learning', '--help'], project);
    assert.ok(files.some((f) => f.includes('/lib/cli/commands/hub.js')));
    assert.deepEqual(
      files.filter((f) =>
        /\/lib\/cli\/actions\/|\/lib\/hub\/|\/lib\/dashboard\/render|\/lib\/submit\/(?!payload-cap)|\/lib\/sources\//.test(
          f,
        ),
      ),
      [],
    );
  });

  it('`learning collect` loads the collector, not the hub, the dashboard, submission, the progress bar or the parser', async () => {
    const files = await loaded(['learning', 'collect'], project);
    assert.ok(files.some((f) => f.includes('/lib/cli/actions/collect.js')));
    assert.ok(files.some((f) => f.includes('/lib/sources/read-stores.js')));
    assert.deepEqual(
      files.filter((f) =>
        /\/lib\/cli\/actions\/(?!collect)|\/lib\/hub\/|\/lib\/dashboard\/render|\/lib\/submit\/transport|cli-progress|\/commander\//.test(
          f,
        ),
      ),
      [],
    );
  });
});
