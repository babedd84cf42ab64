import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { fingerprintPath } from '../../lib/collect/fingerprint-file.ts';
import { ensureBin } from '../collect/support.ts';
import { generateTappsProject, PRESETS } from '../generators/tapps-project.ts';
import { runBin, runBinTraced, tempProject } from './harness.ts';

/**
 * `learning collect` through the built bin when nothing is new: answered from the fingerprint the
 * last collection left, without loading the runner (main.js), and only when nothing it recorded
 * changed. A stamp is trusted only when its path changed more than MARGIN_MS before the collection
 * that took it, so the projects are prepared, left alone that long, then collected until a usable
 * fingerprint is left.
 */
const MARGIN_MS = 5000;
const ENV = { PATH: process.env.PATH, TZ: 'UTC' };
const OPTIONS = { ...PRESETS.sample, workflows: 12, days: 4, noise: false, dormant: false };
const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function project(files: Record<string, string> = {}): string {
  const root = tempProject('quick-');
  roots.push(root);
  generateTappsProject(root, OPTIONS);
  writeFileSync(join(root, 'tapps-agents.config.json'), JSON.stringify({ learning: { timeZone: 'UTC' } }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

const run = (root: string, ...args: string[]) => runBin(args, { cwd: root, env: ENV });

/** `learning collect` with these flags, and whether it answered without loading the runner. */
async function collect(root: string, ...flags: string[]) {
  const r = await runBinTraced(['learning', 'collect', ...flags], { cwd: root, env: ENV });
  assert.equal(r.code, 0, r.stderr);
  return { ...r, quick: !r.loaded.some((url) => url.endsWith('/lib/cli/main.js')) };
}

function sidecar(root: string): { usable: boolean; reason?: string } {
  return JSON.parse(readFileSync(fingerprintPath(root), 'utf8')) as { usable: boolean; reason?: string };
}

/** Collects until a collection leaves a usable fingerprint (the first ones read records, clear racy checkpoints). */
async function settle(root: string): Promise<void> {
  for (let i = 0; i < 4 && !(existsSync(fingerprintPath(root)) && sidecar(root).usable); i++)
    await run(root, 'learning', 'collect');
  assert.ok(sidecar(root).usable, JSON.stringify(sidecar(root)));
}

const history = (root: string) => join(root, '.tapps-agents', 'analytics', 'history');
const firstHistoryFile = (root: string) =>
  join(history(root), readdirSync(history(root)).find((n) => n.startsWith('workflows-')) as string);

const confidenceMetrics = (root: string) => join(root, '.tapps-agents', 'confidence_metrics.json');

const projects: Record<string, string> = {};
const NAMES = [
  'same',
  'append',
  'rewrite',
  'newFile',
  'config',
  'folder',
  'racy',
  'corrupt',
  'detach',
  'rotate',
];

before(async () => {
  ensureBin();
  for (const name of NAMES) projects[name] = project();
  // Whole seconds, so the test can set this mtime back exactly (utimes takes floating seconds).
  const metrics = confidenceMetrics(projects.rewrite as string);
  const whole = Math.floor(statSync(metrics).mtimeMs / 1000);
  utimesSync(metrics, whole, whole);
  for (const name of NAMES) await run(projects[name] as string, 'learning', 'collect');
  await sleep(MARGIN_MS + 500);
  for (const name of NAMES) await settle(projects[name] as string);
});

describe('learning collect answers "nothing new" from the last fingerprint (built bin)', () => {
  it('without loading the runner, printing what the long way prints, human and --json; status shows the check', async () => {
    const root = projects.same as string;
    const quick = await collect(root);
    const quickJson = await collect(root, '--json');
    assert.ok(quick.quick && quickJson.quick, 'answered from the fingerprint');
    assert.match(quick.stderr, /^learning collect: 0 new events\n/);
    assert.equal(JSON.parse(quickJson.stdout).eventsAdded, 0);
    rmSync(fingerprintPath(root));
    const slow = await collect(root);
    rmSync(fingerprintPath(root));
    const slowJson = await collect(root, '--json');
    assert.ok(!slow.quick && !slowJson.quick, 'without a fingerprint it collects');
    assert.equal(quick.stderr, slow.stderr);
    assert.equal(quickJson.stdout, slowJson.stdout);
    assert.equal(quickJson.stderr, slowJson.stderr);

    const status = async () => JSON.parse((await run(root, 'learning', 'status', '--json')).stdout);
    const collected = await status();
    assert.equal(collected.lastCheckAt, null, 'no quick check since the last collection');
    assert.ok((await collect(root)).quick);
    const checked = await status();
    assert.equal(checked.lastCollectAt, collected.lastCollectAt, 'the quick check saved nothing');
    assert.ok(checked.lastCheckAt > checked.lastCollectAt, JSON.stringify(checked));
    assert.match((await run(root, 'learning', 'status')).stderr, /last checked /);
  });

  it('takes the long way and counts the record when a line is appended to an append-only store', async () => {
    const root = projects.append as string;
    const file = firstHistoryFile(root);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    appendFileSync(file, `${lines[lines.length - 1]}\n`);
    const r = await collect(root, '--json');
    assert.ok(!r.quick);
    assert.equal(JSON.parse(r.stdout).stores['analytics-workflows'].records, 1);
  });

  it('takes the long way when a file is rewritten with the same size and its mtime set back', async () => {
    const root = projects.rewrite as string;
    const file = confidenceMetrics(root);
    const st = statSync(file);
    const text = readFileSync(file, 'utf8');
    const i = text.search(/[0-8]/);
    writeFileSync(file, `${text.slice(0, i)}${Number(text[i]) + 1}${text.slice(i + 1)}`);
    utimesSync(file, st.atimeMs / 1000, st.mtimeMs / 1000);
    assert.equal(statSync(file).size, st.size);
    assert.equal(statSync(file).mtimeMs, st.mtimeMs, 'the mtime is back where it was');
    assert.ok(!(await collect(root)).quick);
  });

  it('takes the long way when a store folder gains a file, and reads it', async () => {
    const root = projects.newFile as string;
    const line = readFileSync(firstHistoryFile(root), 'utf8').split('\n')[0];
    writeFileSync(join(history(root), 'workflows-2099-01-01.jsonl'), `${line}\n`);
    const r = await collect(root, '--json');
    assert.ok(!r.quick);
    assert.equal(JSON.parse(r.stdout).stores['analytics-workflows'].records, 1);
  });

  it('takes the long way when the config changes', async () => {
    const root = projects.config as string;
    writeFileSync(
      join(root, 'tapps-agents.config.json'),
      JSON.stringify({ learning: { timeZone: 'America/New_York' } }),
    );
    assert.ok(!(await collect(root)).quick);
    writeFileSync(join(root, 'tapps-agents.config.json'), '{ "learning": { "k": 0 } }');
    const bad = await runBin(['learning', 'collect'], { cwd: root, env: ENV });
    assert.equal(bad.code, 2, 'the broken config is reported, not a stale "nothing new"');
  });

  it('takes the long way when a store folder is created', async () => {
    const root = projects.folder as string;
    assert.ok(!existsSync(join(root, '.tapps-agents', 'metrics')));
    mkdirSync(join(root, '.tapps-agents', 'metrics'));
    assert.ok(!(await collect(root)).quick);
  });

  it('leaves no usable fingerprint while the stores changed within the margin, and one once they are older', async () => {
    const root = projects.racy as string;
    const file = firstHistoryFile(root);
    appendFileSync(file, readFileSync(file, 'utf8').split('\n')[0] as string);
    appendFileSync(file, '\n');
    const changedAt = Date.now();
    assert.ok(!(await collect(root)).quick, 'reads the new line');
    assert.ok(!(await collect(root)).quick, 'nothing new, but the file changed too recently to vouch for');
    assert.match(sidecar(root).reason ?? '', /changed within/);
    await sleep(Math.max(0, changedAt + MARGIN_MS + 500 - Date.now()));
    await settle(root);
    assert.ok((await collect(root)).quick);
  });

  it('takes the long way, without an error, past a damaged fingerprint', async () => {
    const root = projects.corrupt as string;
    writeFileSync(fingerprintPath(root), '{"version":2,"usable":true,"paths":[[1,2,3]]');
    const r = await collect(root);
    assert.ok(!r.quick);
    assert.match(r.stderr, /^learning collect: 0 new events\n/);
    assert.ok((await collect(root)).quick, 'the collection left a sound one');
  });

  it('--detach with nothing new starts no collector; with something new it does', async () => {
    const root = projects.detach as string;
    const log = join(root, '.tapps-agents', 'learning-plugin', 'plugin.log');
    const collected = () =>
      (existsSync(log) ? readFileSync(log, 'utf8').match(/collect \(detach-test\)/g)?.length : 0) ?? 0;
    const quick = await collect(root, '--detach', '--trigger', 'detach-test');
    assert.ok(quick.quick);
    assert.ok(!quick.loaded.includes('node:child_process'), 'nothing that could spawn was loaded');
    rmSync(fingerprintPath(root));
    assert.ok(!(await collect(root, '--detach', '--trigger', 'detach-test')).quick);
    for (let i = 0; i < 100 && collected() === 0; i++) await sleep(100);
    assert.equal(collected(), 1, 'the detached collector logs its run; the quick answer started none');
  });

  it('takes the long way after rotate-id (it rewrites the state); reset removes the fingerprint', async () => {
    const root = projects.rotate as string;
    assert.equal((await run(root, 'learning', 'rotate-id', '--yes')).code, 0);
    assert.ok(!(await collect(root)).quick);
    assert.equal((await run(root, 'learning', 'reset', '--yes')).code, 0);
    assert.ok(!existsSync(fingerprintPath(root)));
  });

  it('never answers for a host with another plugin: it hears every session', async () => {
    const root = project({
      'tapps-agents.config.json': JSON.stringify({
        plugins: ['@tapps-agents/learning', './other-plugin.mjs'],
      }),
      'other-plugin.mjs':
        "import { appendFileSync } from 'node:fs';\n" +
        "export default { name: 'other', apply(host) { host.hooks.sessionEnd.tapPromise('other', async () => appendFileSync('sessions.log', 'end\\n')); } };\n",
    });
    mkdirSync(join(root, 'node_modules', '@tapps-agents'), { recursive: true });
    symlinkSync(PACKAGE, join(root, 'node_modules', '@tapps-agents', 'learning'), 'dir');
    const sessions = () => readFileSync(join(root, 'sessions.log'), 'utf8').split('\n').length - 1;
    await run(root, 'learning', 'collect');
    const seen = sessions();
    for (let i = 0; i < 2; i++) assert.ok(!(await collect(root)).quick);
    assert.match(sidecar(root).reason ?? '', /plugins besides learning/);
    assert.ok(sessions() > seen + 1, 'the other plugin saw both sessions');
  });
});
