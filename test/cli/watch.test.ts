import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isIgnoredChange } from '../../lib/cli/actions/watch.ts';
import { ensureBin, expertLines, state } from '../collect/support.ts';
import { tempProject } from './harness.ts';

interface Line {
  eventsAdded: number;
  records: Record<string, number>;
}

/** `learning watch --json` as a child process, its collection lines as they come. */
class Watcher {
  readonly proc: ChildProcess;
  readonly lines: Line[] = [];
  stderr = '';
  readonly exit: Promise<number | null>;

  constructor(root: string) {
    this.proc = spawn(
      process.execPath,
      [ensureBin(), 'learning', 'watch', '--json', '--debounce', '200', '--interval', '0'],
      {
        cwd: root,
        env: { PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let buf = '';
    this.proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        this.lines.push(JSON.parse(buf.slice(0, nl)) as Line);
        buf = buf.slice(nl + 1);
      }
    });
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exit = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  /** Waits until `count` collection lines have arrived. */
  async until(count: number, ms = 15_000): Promise<Line[]> {
    const deadline = Date.now() + ms;
    while (this.lines.length < count && Date.now() < deadline) await sleep(25);
    assert.ok(
      this.lines.length >= count,
      `only ${this.lines.length} collections after ${ms} ms; stderr: ${this.stderr}`,
    );
    return this.lines;
  }
}

const projects: string[] = [];
const watchers: Watcher[] = [];
after(() => {
  for (const w of watchers) w.proc.kill('SIGKILL');
  for (const p of projects) rmSync(p, { recursive: true, force: true });
});

describe('learning watch', () => {
  it('collects at start and after each burst of store writes (new folders too), ignores its own files, stops on SIGINT', async () => {
    const root = tempProject('watch-');
    projects.push(root);
    const tapps = join(root, '.tapps-agents');
    const w = new Watcher(root);
    watchers.push(w);
    assert.equal((await w.until(1))[0]?.eventsAdded, 0);

    // A store folder that did not exist when watching began.
    mkdirSync(join(tapps, 'learning'));
    const file = join(tapps, 'learning', 'expert_performance.jsonl');
    writeFileSync(file, expertLines(0, 2));
    assert.equal((await w.until(2))[1]?.eventsAdded, 2);

    // A burst of appends is one collection (or two at most, should the machine stall mid-burst).
    for (let i = 0; i < 5; i++) {
      appendFileSync(file, expertLines(2 + i, 1));
      await sleep(40);
    }
    await w.until(3);
    await sleep(800);
    const burst = w.lines.slice(2);
    assert.ok(burst.length <= 2, `${burst.length} collections for one burst`);
    assert.equal(
      burst.reduce((a, l) => a + l.eventsAdded, 0),
      5,
    );

    // The plugin's own state, the framework's exports and hooks.yaml wake nobody.
    const before = w.lines.length;
    mkdirSync(join(tapps, 'exports'), { recursive: true });
    writeFileSync(join(tapps, 'exports', 'learning-export-20261001-120000.json'), '{}');
    writeFileSync(join(tapps, 'learning-plugin', 'scratch'), 'x');
    writeFileSync(join(tapps, 'hooks.yaml'), 'hooks: {}\n');
    await sleep(1200);
    assert.equal(w.lines.length, before);

    w.proc.kill('SIGINT');
    assert.equal(await w.exit, 0);
    assert.match(w.stderr, /learning watch: watching .*\(Ctrl-C to stop\)[\s\S]*learning watch: stopped/);
    assert.equal(state(root).rollup.consultationCount, 7);
  });

  it('stops on SIGTERM with exit 0', async () => {
    const root = tempProject('watch-');
    projects.push(root);
    const w = new Watcher(root);
    watchers.push(w);
    await w.until(1);
    w.proc.kill('SIGTERM');
    assert.equal(await w.exit, 0);
  });

  it('ignores changes under learning-plugin/, exports/ and hooks.yaml only', () => {
    for (const f of [
      'learning-plugin/state.msgpack',
      'learning-plugin',
      'exports/x.json',
      'hooks.yaml',
      'hooks.yaml.bak-20261001T120000Z',
    ])
      assert.equal(isIgnoredChange(f), true, f);
    for (const f of [
      'learning/expert_performance.jsonl',
      'workflow-state/events/a.events.jsonl',
      'learning-plugins/x',
      null,
    ])
      assert.equal(isIgnoredChange(f), false, String(f));
  });
});
