import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Recorder } from '../../lib/rollup/recorder.ts';
import { loadState, saveState } from '../../lib/rollup/state-file.ts';
import { runCli, tempProject } from './harness.ts';

const SECRET = ['.tapps-agents', 'learning-plugin', 'secret'];

/** Custom (pseudonymized) and framework tasks, 8 runs each, and a fake store checkpoint. */
async function project(): Promise<string> {
  const dir = tempProject();
  await record(dir, 'before');
  const { state } = loadState(dir);
  state.checkpoints = { files: { 'workflow-state/events/x.events.jsonl': { kind: 'done' } } };
  saveState(dir, state);
  return dir;
}

async function record(dir: string, tag: string): Promise<void> {
  const rec = new Recorder(dir);
  for (let i = 0; i < 8; i++) {
    rec.record('task', {
      id: `${tag}-a${i}`,
      source: 'test',
      agent: 'implementer',
      action: 'globex_sync',
      status: 'success',
    });
    rec.record('task', {
      id: `${tag}-b${i}`,
      source: 'test',
      agent: 'reviewer',
      action: 'review-code',
      status: 'success',
    });
    rec.record('workflow', {
      id: `${tag}-w${i}`,
      source: 'test',
      workflow: { type: 'globex-invoice-migration' },
      status: 'completed',
    });
  }
  await rec.flush();
}

async function exportDoc(dir: string): Promise<{ text: string; doc: { metadata: { projectId: string } } }> {
  const r = await runCli(['learning', 'export', '--out', '-'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return { text: r.stdout, doc: JSON.parse(r.stdout) };
}

const pseudonyms = (text: string) => new Set(text.match(/p_[0-9a-f]{16}/g) ?? []);

describe('learning rotate-id', () => {
  it('asks first: without a terminal or --yes, or when declined, nothing changes (exit 4)', async () => {
    const dir = await project();
    const before = readFileSync(join(dir, ...SECRET), 'utf8');
    const r = await runCli(['learning', 'rotate-id'], { cwd: dir });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /not confirmed; the key and the rollups are unchanged/);
    const no = await runCli(['learning', 'rotate-id'], { cwd: dir, tty: true, input: 'n\n' });
    assert.equal(no.code, 4);
    assert.match(no.stderr, /cannot be linked to earlier\s+ones/);
    assert.equal(readFileSync(join(dir, ...SECRET), 'utf8'), before);
    assert.equal(loadState(dir).state.rollup.tasks, 16);
  });

  it('replaces the key (0600), empties the rollups, keeps the checkpoints: later exports share no id with earlier ones', async () => {
    const dir = await project();
    const old = await exportDoc(dir);
    const oldIds = pseudonyms(old.text);
    assert.ok(oldIds.size >= 3, 'project id, custom capability and custom workflow are pseudonyms');

    const r = await runCli(['learning', 'rotate-id', '--yes'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /rollups emptied \(24 events\); checkpoints of 1 store file\(s\) kept/);
    assert.equal(statSync(join(dir, ...SECRET)).mode & 0o777, 0o600);
    const { state } = loadState(dir);
    assert.equal(state.rollup.tasks, 0);
    assert.deepEqual(Object.keys(state.seen), []);
    assert.deepEqual(state.checkpoints, {
      files: { 'workflow-state/events/x.events.jsonl': { kind: 'done' } },
    });

    const empty = await exportDoc(dir);
    assert.notEqual(empty.doc.metadata.projectId, old.doc.metadata.projectId);
    assert.match(r.stderr, new RegExp(`project id in exports is now ${empty.doc.metadata.projectId}`));

    // The same names recorded after the rotation get other pseudonyms: nothing links the exports.
    await record(dir, 'after');
    const fresh = await exportDoc(dir);
    const shared = [...pseudonyms(fresh.text)].filter((p) => oldIds.has(p));
    assert.deepEqual(shared, [], 'no pseudonym of the earlier export reappears');
    assert.equal(pseudonyms(fresh.text).size, oldIds.size);
  });

  it('--recollect empties the checkpoints too, and says the history stays linkable by its numbers', async () => {
    const dir = await project();
    const help = await runCli(['learning', 'rotate-id', '--help'], { cwd: dir });
    assert.match(help.stdout, /Example:\n {2}tapps-agents learning rotate-id --yes/);
    assert.match(help.stdout, /could\s+still\s+tell\s+they\s+come\s+from\s+the\s+same\s+project/);
    const r = await runCli(['learning', 'rotate-id', '--recollect', '--yes'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /run `tapps-agents learning collect` to read every store again/);
    assert.deepEqual(loadState(dir).state.checkpoints, {});
  });
});
