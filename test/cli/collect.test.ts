import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireLock } from '../../lib/files/lock.ts';
import { ensurePluginDir, pluginFile } from '../../lib/files/plugin-dir.ts';
import { encodeState } from '../../lib/rollup/state-file.ts';
import {
  copyStores,
  counts,
  ensureBin,
  expertLines,
  progress,
  shareSecret,
  state,
  withoutTimes,
} from '../collect/support.ts';
import { generateTappsProject, PRESETS } from '../generators/tapps-project.ts';
import { runBin, tempProject } from './harness.ts';

const ENV = { PATH: process.env.PATH, TZ: 'UTC' };
const CONFIG = JSON.stringify({ learning: { timeZone: 'America/Los_Angeles' } });
const projects: string[] = [];
function project(): string {
  const root = tempProject('collect-');
  projects.push(root);
  writeFileSync(join(root, 'tapps-agents.config.json'), CONFIG);
  return root;
}
const expertFile = (root: string) => join(root, '.tapps-agents', 'learning', 'expert_performance.jsonl');
function experts(root: string, text: string): void {
  mkdirSync(join(root, '.tapps-agents', 'learning'), { recursive: true });
  appendFileSync(expertFile(root), text);
}
const collect = (root: string, ...flags: string[]) =>
  runBin(['learning', 'collect', ...flags], { cwd: root, env: ENV });

before(() => {
  ensureBin();
});
after(() => {
  for (const p of projects) rmSync(p, { recursive: true, force: true });
});

describe('learning collect (built bin)', () => {
  it('a collect with nothing new reads nothing and changes nothing but the clock', async () => {
    const root = project();
    generateTappsProject(root, { ...PRESETS.sample, workflows: 40, days: 6, noise: false });
    const first = await collect(root, '--json');
    assert.equal(first.code, 0, first.stderr);
    assert.ok((JSON.parse(first.stdout) as { eventsAdded: number }).eventsAdded > 200);
    const s1 = state(root);
    const second = await collect(root, '--json');
    const report = JSON.parse(second.stdout) as {
      eventsAdded: number;
      stores: Record<string, { records: number }>;
    };
    assert.equal(report.eventsAdded, 0);
    for (const [name, s] of Object.entries(report.stores)) assert.equal(s.records, 0, name);
    const s2 = state(root);
    assert.deepEqual(s2.rollup, s1.rollup);
    assert.deepEqual(progress(s2), progress(s1));
    assert.deepEqual(counts(s2), counts(s1));
    // The second save only moved "records read by the last run" to 0; a third is byte-identical.
    await collect(root);
    assert.deepEqual(
      Buffer.from(encodeState(withoutTimes(state(root)))),
      Buffer.from(encodeState(withoutTimes(s2))),
    );
  });

  it('leaves a truncated last line for the next run, which reads it once complete', async () => {
    const root = project();
    const full = expertLines(0, 3);
    const cut = full.length - 40;
    experts(root, full.slice(0, cut));
    assert.equal((await collect(root)).code, 0);
    assert.equal(state(root).rollup.consultationCount, 2);
    assert.equal(state(root).sources['expert-performance']?.skipped, 0);
    experts(root, full.slice(cut));
    const r = await collect(root);
    assert.match(r.stderr, /learning collect: 1 new events/);
    assert.equal(state(root).rollup.consultationCount, 3);
    assert.equal(state(root).sources['expert-performance']?.skipped, 0);
  });

  it('skips a malformed line, counts it once and names it in learning status', async () => {
    const root = project();
    experts(root, `${expertLines(0, 1)}{"expert_id": "x", oops\n${expertLines(1, 2)}`);
    const r = await collect(root);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /skipped learning\/expert_performance\.jsonl:2: /);
    assert.equal(state(root).rollup.consultationCount, 3);
    await collect(root);
    const status = await runBin(['learning', 'status'], { cwd: root, env: ENV });
    assert.match(status.stderr, /expert-performance \(live\): 4 records in 1 files, 3 events, 1 skipped/);
    assert.match(status.stderr, /\n {4}skipped learning\/expert_performance\.jsonl:2: .+\n/);
    const json = JSON.parse(
      (await runBin(['learning', 'status', '--json'], { cwd: root, env: ENV })).stdout,
    ) as {
      sources: Record<string, { skipped: number; problems: { path: string; line: number }[] }>;
    };
    assert.equal(json.sources['expert-performance']?.skipped, 1);
    assert.deepEqual(
      json.sources['expert-performance']?.problems.map((p) => [p.path, p.line]),
      [['learning/expert_performance.jsonl', 2]],
    );
  });

  it('a second collect waits for the lock; --background and --detach leave quietly with 0', async () => {
    const root = project();
    experts(root, expertLines(0, 4));
    ensurePluginDir(root);
    const lock = await acquireLock(pluginFile(root, 'lock'));
    try {
      const t0 = Date.now();
      const busy = await collect(root, '--wait', '1');
      assert.equal(busy.code, 5);
      assert.ok(Date.now() - t0 >= 1000);
      assert.match(
        busy.stderr,
        new RegExp(`another collection \\(process ${process.pid}\\) is still running; try again later`),
      );
      const quiet = await collect(root, '--background', '--wait', '0');
      assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, '', '']);
      const detached = await collect(root, '--detach');
      assert.deepEqual([detached.code, detached.stdout, detached.stderr], [0, '', '']);
      assert.equal(state(root).rollup.consultationCount, 0);
      // A foreground collect started now waits and runs once the lock is free.
      const waiting = collect(root, '--wait', '60');
      await sleep(1500);
      lock.release();
      const w = await waiting;
      assert.equal(w.code, 0, w.stderr);
    } finally {
      lock.release();
    }
    // The detached collector waited too; one of the two read the 4 records, the other nothing.
    const deadline = Date.now() + 30_000;
    while (
      !readFileSync(pluginFile(root, 'log'), 'utf8').includes('collect (manual)') &&
      Date.now() < deadline
    )
      await sleep(100);
    assert.equal(state(root).rollup.consultationCount, 4);
    assert.equal(state(root).eventsSeen, 4);
  });

  it('two collectors started together: both succeed, every record is counted once', async () => {
    const root = project();
    generateTappsProject(root, { ...PRESETS.sample, workflows: 60, days: 8, noise: false });
    shareSecret(root);
    const run = () =>
      new Promise<number | null>((resolve) => {
        const p = spawn(process.execPath, [ensureBin(), 'learning', 'collect'], {
          cwd: root,
          env: ENV,
          stdio: 'ignore',
        });
        p.on('exit', resolve);
      });
    assert.deepEqual(await Promise.all([run(), run()]), [0, 0]);
    const ref = project();
    shareSecret(ref);
    copyStores(root, ref);
    assert.equal((await collect(ref)).code, 0);
    assert.deepEqual(counts(state(root)), counts(state(ref)));
  });

  it('a collect the hooks start never fails the framework: a broken config is logged, exit 0', async () => {
    const root = project();
    writeFileSync(join(root, 'tapps-agents.config.json'), '{"learning": {"k": "five"}}');
    for (const flag of ['--detach', '--background']) {
      const r = await collect(root, flag, '--trigger', 'session-end');
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', ''], flag);
    }
    assert.match(
      readFileSync(pluginFile(root, 'log'), 'utf8'),
      /error collect \(hook\): ConfigError: .*tapps-agents\.config\.json/,
    );
    const manual = await collect(root);
    assert.equal(manual.code, 2);
    assert.match(manual.stderr, /tapps-agents\.config\.json/);
  });
});
