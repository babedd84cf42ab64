import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { load } from 'js-yaml';
import { acquireLock } from '../../lib/files/lock.ts';
import { pluginFile } from '../../lib/files/plugin-dir.ts';
import { ensureBin, expertLines, state } from '../collect/support.ts';
import { runCli, tempProject } from './harness.ts';

const FOREIGN = `# Project hooks for acme (see docs/hooks.md)
hooks:
  SessionStart:
    - name: greet   # says hi
      command: echo "hello"

  # session end things
  SessionEnd:
  - name: notify
    command: 'notify-send "done"'
    enabled: false

  PostToolUse:
    - name: lint
      command: ruff check
      matcher: Write|Edit
      file_patterns: ["*.py"]
# trailing comment
`;

const projects: string[] = [];
function project(hooksYaml?: string | Buffer): { root: string; file: string } {
  const root = tempProject('hooks-');
  projects.push(root);
  const file = join(root, '.tapps-agents', 'hooks.yaml');
  if (hooksYaml !== undefined) writeFileSync(file, hooksYaml);
  return { root, file };
}
const backups = (root: string) =>
  readdirSync(join(root, '.tapps-agents')).filter((f) => f.startsWith('hooks.yaml.bak-'));

after(() => {
  for (const p of projects) rmSync(p, { recursive: true, force: true });
});

describe('learning install-hooks / uninstall-hooks', () => {
  it('adds our two entries, keeps every foreign hook and comment, backs up, and uninstall restores the bytes', async () => {
    const { root, file } = project(FOREIGN);
    const r = await runCli(['learning', 'install-hooks'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /added learning-collector \(SessionEnd\) and learning-collector-build \(WorkflowComplete\) in \.tapps-agents\/hooks\.yaml \(backup: \.tapps-agents\/hooks\.yaml\.bak-\d{8}T\d{6}Z\)/,
    );
    assert.match(
      r.stderr,
      /the framework now runs: node \S+bin\.js learning collect --detach --trigger session-end/,
    );
    const installed = readFileSync(file, 'utf8');
    for (const line of FOREIGN.split('\n')) assert.ok(installed.includes(line), `lost: ${line}`);
    const [backup] = backups(root);
    assert.equal(readFileSync(join(root, '.tapps-agents', backup as string), 'utf8'), FOREIGN);
    const doc = load(installed) as { hooks: Record<string, { name: string; command: string }[]> };
    assert.deepEqual(
      Object.fromEntries(Object.entries(doc.hooks).map(([e, l]) => [e, l.map((h) => h.name)])),
      {
        SessionStart: ['greet'],
        SessionEnd: ['notify', 'learning-collector'],
        PostToolUse: ['lint'],
        WorkflowComplete: ['learning-collector-build'],
      },
    );
    for (const list of Object.values(doc.hooks))
      for (const h of list)
        for (const key of Object.keys(h))
          assert.ok(
            ['name', 'command', 'enabled', 'matcher', 'file_patterns', 'fail_on_error'].includes(key),
          );

    const again = await runCli(['learning', 'install-hooks'], { cwd: root });
    assert.equal(again.code, 0);
    assert.match(
      again.stderr,
      /already runs the collector on SessionEnd and WorkflowComplete; nothing changed/,
    );
    assert.equal(readFileSync(file, 'utf8'), installed);
    assert.equal(backups(root).length, 1);

    const u = await runCli(['learning', 'uninstall-hooks'], { cwd: join(root, '.tapps-agents') });
    assert.equal(u.code, 0, u.stderr);
    assert.match(
      u.stderr,
      /removed learning-collector \(SessionEnd\) and learning-collector-build \(WorkflowComplete\) from hooks\.yaml/,
    );
    assert.equal(readFileSync(file, 'utf8'), FOREIGN);
    const none = await runCli(['learning', 'uninstall-hooks'], { cwd: root });
    assert.match(none.stderr, /has no collector hooks; nothing changed/);
  });

  it('--dry-run prints a unified diff on stdout and writes nothing', async () => {
    const { root, file } = project('hooks: {}\n');
    const r = await runCli(['learning', 'install-hooks', '--dry-run'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^--- a\/\.tapps-agents\/hooks\.yaml\n\+\+\+ b\/\.tapps-agents\/hooks\.yaml\n@@ -1,1 \+1,11 @@\n-hooks: \{\}\n\+hooks:\n\+ {2}SessionEnd:\n/,
    );
    assert.match(r.stderr, /dry run: \.tapps-agents\/hooks\.yaml was not changed/);
    assert.equal(readFileSync(file, 'utf8'), 'hooks: {}\n');
    assert.deepEqual(backups(root), []);
    await runCli(['learning', 'install-hooks'], { cwd: root });
    const installed = readFileSync(file, 'utf8');
    const u = await runCli(['learning', 'uninstall-hooks', '--dry-run'], { cwd: root });
    assert.match(u.stdout, /\n\+hooks: \{\}\n/);
    assert.equal(readFileSync(file, 'utf8'), installed);
  });

  it('creates hooks.yaml when there is none, and uninstall deletes what it created', async () => {
    const { root, file } = project();
    const r = await runCli(['learning', 'install-hooks'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /in a new \.tapps-agents\/hooks\.yaml/);
    assert.ok(existsSync(file));
    const u = await runCli(['learning', 'uninstall-hooks'], { cwd: root });
    assert.match(u.stderr, /it held nothing else and was deleted \(backup: /);
    assert.ok(!existsSync(file));
    assert.match(
      (await runCli(['learning', 'uninstall-hooks'], { cwd: root })).stderr,
      /there is no \.tapps-agents\/hooks\.yaml; nothing to remove/,
    );
  });

  it('keeps CRLF line breaks and a byte-order mark', async () => {
    const text = `\uFEFF${FOREIGN.replace(/\n/g, '\r\n')}`;
    const { root, file } = project(text);
    assert.equal((await runCli(['learning', 'install-hooks'], { cwd: root })).code, 0);
    const installed = readFileSync(file, 'utf8');
    assert.ok(installed.startsWith('\uFEFF# Project hooks'));
    assert.ok(!/[^\r]\n/.test(installed));
    assert.equal((await runCli(['learning', 'uninstall-hooks'], { cwd: root })).code, 0);
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  it('refuses an invalid hooks.yaml with file:line and what to do, and changes nothing', async () => {
    const cases: [string, RegExp][] = [
      [
        'hooks:\n  SessionEnd:\n    - name: a\n     command: b\n',
        /\.tapps-agents\/hooks\.yaml:4:6: not valid YAML: bad indentation/,
      ],
      [
        'hooks:\n  SessionEnd:\n    - name: a\n      command: b\n      timeout: 30\n',
        /\.tapps-agents\/hooks\.yaml:5: hooks\.SessionEnd\[0\]\.timeout: key "timeout" is not allowed/,
      ],
    ];
    for (const [text, message] of cases) {
      const { root, file } = project(text);
      const r = await runCli(['learning', 'install-hooks'], { cwd: root });
      assert.equal(r.code, 1);
      assert.match(r.stderr, message);
      assert.match(
        r.stderr,
        /the framework cannot load this file either .* Fix it, then run install-hooks again\. Nothing was changed\./,
      );
      assert.equal(readFileSync(file, 'utf8'), text);
      assert.deepEqual(backups(root), []);
    }
    const { root } = project(Buffer.from([0x68, 0x6f, 0x6f, 0x6b, 0x73, 0x3a, 0x0a, 0xff, 0xfe]));
    const bad = await runCli(['learning', 'install-hooks'], { cwd: root });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /hooks\.yaml:2: not valid UTF-8/);
  });

  it('refuses a layout it cannot edit safely and prints the entries to add by hand', async () => {
    const { root } = project('hooks:\n  SessionStart: &x\n    - {name: a, command: b}\n  SessionEnd: *x\n');
    const r = await runCli(['learning', 'install-hooks'], { cwd: root });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /Add these entries under hooks: by hand instead:\nhooks:\n {2}SessionEnd:\n {4}- name: learning-collector\n/,
    );
  });

  it('--runner sets how the hooks start the plugin, and refuses braces the framework would substitute', async () => {
    const { root, file } = project();
    const r = await runCli(['learning', 'install-hooks', '--runner', 'npx --no-install tapps-agents'], {
      cwd: root,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      readFileSync(file, 'utf8'),
      /command: "npx --no-install tapps-agents learning collect --detach --trigger session-end"/,
    );
    const bad = await runCli(['learning', 'install-hooks', '--runner', 'node {HOME}/bin.js'], { cwd: root });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--runner must not contain \{ or \}/);
  });

  it('the installed command, run the way the framework runs hooks, returns at once and collects in the background', {
    skip: process.platform === 'win32' && 'the framework runs hooks through /bin/sh here',
  }, async () => {
    ensureBin();
    const { root, file } = project('hooks: {}\n');
    assert.equal((await runCli(['learning', 'install-hooks'], { cwd: root })).code, 0);
    const hooks = (load(readFileSync(file, 'utf8')) as { hooks: Record<string, { command: string }[]> })
      .hooks;
    const command = hooks.SessionEnd?.[0]?.command as string;
    mkdirSync(join(root, '.tapps-agents', 'learning'), { recursive: true });
    writeFileSync(join(root, '.tapps-agents', 'learning', 'expert_performance.jsonl'), expertLines(0, 5));
    // Another collector holds the state: the hook must still return at once.
    mkdirSync(join(root, '.tapps-agents', 'learning-plugin'), { recursive: true });
    const lock = await acquireLock(pluginFile(root, 'lock'));
    const started = Date.now();
    const hook = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // subprocess.run(shell=True, capture_output=True, cwd=project_root): 'close' waits for every
      // process holding the captured pipes, as CPython does.
      const child = spawn('/bin/sh', ['-c', command], {
        cwd: root,
        env: { PATH: process.env.PATH, TAPPS_SESSION_ID: 'abc', TAPPS_PROJECT_ROOT: root },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const took = Date.now() - started;
    assert.deepEqual(hook, { code: 0, stdout: '', stderr: '' });
    assert.ok(took < 10_000, `the hook kept the framework waiting ${took} ms`);
    await sleep(300);
    assert.equal(state(root).rollup.consultationCount, 0);
    lock.release();
    const deadline = Date.now() + 30_000;
    while (state(root).rollup.consultationCount < 5 && Date.now() < deadline) await sleep(100);
    assert.equal(state(root).rollup.consultationCount, 5);
    assert.match(readFileSync(pluginFile(root, 'log'), 'utf8'), /info collect \(session-end\): 5 new events/);
  });
});
