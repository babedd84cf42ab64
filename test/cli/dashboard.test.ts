import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as v from 'valibot';
import { visibleLength } from '../../lib/dashboard/render-terminal.ts';
import { Dashboard } from '../../schema/dashboard.ts';
import { PROJECTS, recordProject, SAMPLE_PROJECT } from '../dashboard/projects.ts';
import { runCli, tempProject } from './harness.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
const ANSI = /\u001b\[/;

describe('learning dashboard', () => {
  let dir: string;
  before(async () => {
    dir = tempProject('dash-cli-');
    await recordProject(dir, SAMPLE_PROJECT, 31);
  });

  it('prints the verdict first, then tables, in 80 columns on stderr, with nothing on stdout', async () => {
    const r = await runCli(['learning', 'dashboard'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Learning: LEARNING ACTIVE\n {2}improving: implementer\.implement/);
    assert.ok(r.stderr.includes('\nCapabilities\n'));
    assert.ok(!ANSI.test(r.stderr), 'no colour when stderr is not a terminal');
    for (const line of r.stderr.split('\n')) assert.ok(visibleLength(line) <= 80, line);
  });

  it('colours on a terminal, and not when NO_COLOR is set', async () => {
    const tty = await runCli(['learning', 'dashboard'], {
      cwd: dir,
      tty: true,
      env: { PATH: process.env.PATH },
    });
    assert.equal(tty.code, 0, tty.stderr);
    assert.ok(ANSI.test(tty.stderr));
    const plain = await runCli(['learning', 'dashboard'], {
      cwd: dir,
      tty: true,
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
    });
    assert.ok(!ANSI.test(plain.stderr));
  });

  it('--json prints the full model on stdout, valid against its schema, with the verdict at the top', async () => {
    const r = await runCli(['learning', 'dashboard', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(v.is(Dashboard, doc));
    assert.equal(Object.keys(doc)[2], 'verdict');
    assert.equal(doc.verdict.status, 'learning-active');
    assert.equal(doc.capabilities.length, 5);
    assert.equal(doc.totals.tasks, 60 * (24 + 18 + 15 + 6) + 8);
    assert.equal(r.stderr, '');
  });

  it('--capability shows one capability, accepts other spellings, and refuses an unknown one with the known names', async () => {
    const one = await runCli(['learning', 'dashboard', '--json', '--capability', 'Tester Test'], {
      cwd: dir,
    });
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(
      JSON.parse(one.stdout).capabilities.map((c: { name: string }) => c.name),
      ['tester.test'],
    );
    const bad = await runCli(['learning', 'dashboard', '--capability', 'nope.nothing'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(
      bad.stderr,
      /--capability: no capability "nope\.nothing" in this project's rollups\. Known capabilities \(5\):\n {2}enhancer\.enhance-prompt\n/,
    );
    assert.ok(bad.stderr.includes('  tester.test'));
  });

  it('--since counts from that day on; a bad date is a usage error', async () => {
    const r = await runCli(['learning', 'dashboard', '--json', '--since', '2026-11-01'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.filter.since, '2026-11-01');
    assert.equal(doc.period.firstDay, '2026-11-01');
    for (const bad of ['2026-02-30', '1 Nov', '2026-1-1']) {
      const e = await runCli(['learning', 'dashboard', '--since', bad], { cwd: dir });
      assert.equal(e.code, 2, bad);
      assert.match(e.stderr, /--since: expected a date YYYY-MM-DD \(UTC\)/);
    }
  });

  it('--html writes one self-contained page and prints the verdict', async () => {
    const r = await runCli(['learning', 'dashboard', '--html', 'out/dash.html'], { cwd: dir });
    assert.equal(r.code, 5, 'a missing folder is an I/O error');
    assert.match(r.stderr, /cannot write .*dash\.html/);
    mkdirSync(join(dir, 'out'));
    const ok = await runCli(['learning', 'dashboard', '--html', 'out/dash.html'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stderr,
      /^wrote out\/dash\.html \(\d+ bytes; open it in a browser, it needs no network\)\nLearning: LEARNING ACTIVE/,
    );
    const html = readFileSync(join(dir, 'out', 'dash.html'), 'utf8');
    assert.ok(html.startsWith('<!doctype html>'));
    assert.ok(html.includes("default-src 'none'"));
  });

  it('on a project with no data: not recorded, and how to start', async () => {
    const empty = tempProject('dash-empty-');
    await recordProject(empty, PROJECTS.noData, 1);
    const r = await runCli(['learning', 'dashboard'], { cwd: empty });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^Learning: NOT RECORDED\n {2}no task recorded yet: the collector hook is not installed \(run: tapps-agents\s+learning install-hooks\)/,
    );
    const none = await runCli(['learning', 'dashboard', '--capability', 'tester.test'], { cwd: empty });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /none is recorded yet \(run: tapps-agents learning collect\)/);
  });

  it('sees the collector hook in hooks.yaml', async () => {
    writeFileSync(
      join(dir, '.tapps-agents', 'hooks.yaml'),
      'hooks:\n  SessionEnd:\n    - name: learning-collector\n      command: "npx --no-install tapps-learning collect"\n',
    );
    const r = await runCli(['learning', 'dashboard', '--json'], { cwd: dir });
    assert.deepEqual(JSON.parse(r.stdout).health.hooks, {
      file: 'present',
      collector: true,
      events: ['SessionEnd'],
    });
  });

  it('does not create the plugin key when it reads a project that has none', async () => {
    const fresh = tempProject('dash-fresh-');
    const r = await runCli(['learning', 'dashboard', '--capability', 'x'], { cwd: fresh });
    assert.equal(r.code, 2);
    assert.ok(!existsSync(join(fresh, '.tapps-agents', 'learning-plugin', 'secret')));
  });
});
