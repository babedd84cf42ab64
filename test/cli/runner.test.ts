import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { acquireLock } from '../../lib/files/lock.ts';
import { ensurePluginDir, pluginFile } from '../../lib/files/plugin-dir.ts';
import { ensureBin, state } from '../collect/support.ts';
import { BIN, runBin, runCli, tempProject } from './harness.ts';

/**
 * A stand-in for the framework's CLI: appends `--records N` consultations to the expert store, as
 * a real command would, and exits with `--exit CODE` (or dies of `--signal NAME`).
 */
const FAKE = `
import { appendFileSync, mkdirSync } from 'node:fs';
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
const from = Number(opt('--from', '0'));
const n = Number(opt('--records', '0'));
mkdirSync('.tapps-agents/learning', { recursive: true });
let text = '';
for (let i = from; i < from + n; i++) {
  const at = new Date(Date.UTC(2026, 9, 1, 12) + i * 1000).toISOString().replace('Z', '000');
  text += JSON.stringify({ expert_id: 'expert-security', domain: 'security', confidence: 0.7, query: 'q', timestamp: at }) + '\\n';
}
appendFileSync('.tapps-agents/learning/expert_performance.jsonl', text);
if (opt('--signal')) process.kill(process.pid, opt('--signal'));
process.exitCode = Number(opt('--exit', '0'));
if (opt('--until-ctrl-c')) {
  // Like the framework: finish the current work on Ctrl-C, then exit 130.
  process.on('SIGINT', () => process.exit(130));
  appendFileSync(opt('--until-ctrl-c'), 'ready');
  setInterval(() => {}, 1000);
}
`;

const projects: string[] = [];
function project(learning: Record<string, unknown> = {}): string {
  const root = tempProject('runner-');
  projects.push(root);
  const fake = join(root, 'fake-tapps-agents.mjs');
  writeFileSync(fake, FAKE);
  writeFileSync(
    join(root, 'tapps-agents.config.json'),
    JSON.stringify({ framework: { command: [process.execPath, fake] }, learning }),
  );
  return root;
}
const env = { PATH: process.env.PATH };

after(() => {
  for (const p of projects) rmSync(p, { recursive: true, force: true });
});

describe('the tapps-agents runner', () => {
  it('runs the framework CLI, forwards its exit code, and the records it wrote are in the rollups after it returns', async () => {
    const root = project();
    const r = await runCli(['workflow', 'rapid-dev', '--records', '2', '--exit', '3'], { cwd: root, env });
    assert.equal(r.code, 3);
    assert.equal(r.stderr, '');
    assert.equal(state(root).rollup.consultationCount, 2);
    const ok = await runCli(['agent', 'reviewer', '--from', '2', '--records', '3'], { cwd: root, env });
    assert.equal(ok.code, 0);
    assert.equal(state(root).rollup.consultationCount, 5);
    const killed = await runCli(['agent', 'x', '--from', '5', '--records', '1', '--signal', 'SIGTERM'], {
      cwd: root,
      env,
    });
    assert.equal(killed.code, 143);
    assert.equal(state(root).rollup.consultationCount, 6);
    assert.equal(state(root).lastCollectAt !== null, true);
  });

  it('skips the collection, silently and without changing the exit code, when another collector holds the state', async () => {
    const root = project();
    ensurePluginDir(root);
    const lock = await acquireLock(pluginFile(root, 'lock'));
    try {
      const r = await runCli(['workflow', 'fix', '--records', '2', '--exit', '1'], { cwd: root, env });
      assert.deepEqual([r.code, r.stderr], [1, '']);
      assert.equal(state(root).rollup.consultationCount, 0);
    } finally {
      lock.release();
    }
    // The records wait for the next collection.
    assert.equal((await runCli(['learning', 'collect'], { cwd: root, env })).code, 0);
    assert.equal(state(root).rollup.consultationCount, 2);
  });

  it('collects nothing when collection is off in the config', async () => {
    const root = project({ enabled: false });
    const r = await runCli(['workflow', 'fix', '--records', '2'], { cwd: root, env });
    assert.equal(r.code, 0);
    assert.ok(!existsSync(pluginFile(root, 'state')));
  });

  it('Ctrl-C (SIGINT to the whole group) stops the framework, and the runner still collects what it wrote', async () => {
    ensureBin();
    const root = project();
    const ready = join(root, 'ready');
    const child = spawn(
      process.execPath,
      [BIN, 'workflow', 'fix', '--records', '3', '--until-ctrl-c', ready],
      { cwd: root, env, detached: true, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    for (let i = 0; i < 300 && !existsSync(ready); i++) await delay(50);
    assert.ok(existsSync(ready), 'the framework stand-in started');
    process.kill(-(child.pid as number), 'SIGINT'); // what a terminal does on Ctrl-C
    assert.equal(await exited, 130, 'the framework’s exit code, not the runner killed by the signal');
    assert.equal(state(root).rollup.consultationCount, 3);
  });

  it('the built bin forwards the exit code too', async () => {
    ensureBin();
    const root = project();
    const r = await runBin(['simple-mode', 'build', '--records', '4', '--exit', '7'], { cwd: root, env });
    assert.equal(r.code, 7, r.stderr);
    assert.equal(state(root).rollup.consultationCount, 4);
  });
});
