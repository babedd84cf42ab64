import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ensureBin } from '../collect/support.ts';
import { runBinTraced, tempProject } from './harness.ts';

before(() => {
  ensureBin();
});

/** Files the built bin loads for these arguments. */
async function loaded(args: string[], cwd: string): Promise<string[]> {
  return (await runBinTraced(args, { cwd })).loaded;
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
