import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decode, encode } from '@msgpack/msgpack';
import { createHost } from '../../hooks/host.ts';
import { collect } from '../../lib/collect/collect.ts';
import { pluginDir, pluginFile } from '../../lib/files/plugin-dir.ts';
import { type LearningRuntime, learningPlugin } from '../../lib/plugin.ts';
import { packedField } from '../../lib/sources/checkpoint-pack.ts';
import { tempProject } from '../cli/harness.ts';
import { generateTappsProject, PRESETS } from '../generators/tapps-project.ts';
import { counts, expertLines, progress, state, withoutTimes } from './support.ts';

const OPTIONS = { ...PRESETS.sample, seed: 77, workflows: 50, days: 8, noise: false };
const TZ = 'America/Los_Angeles';
const projects: string[] = [];

after(() => {
  for (const p of projects) rmSync(p, { recursive: true, force: true });
});

function project(): string {
  const root = tempProject('collect-fast-');
  projects.push(root);
  generateTappsProject(root, OPTIONS);
  return root;
}

async function runtime(root: string): Promise<LearningRuntime> {
  const plugin = learningPlugin();
  await createHost({ projectRoot: root, config: { plugins: [plugin], learning: { timeZone: TZ } } });
  return plugin.runtime as LearningRuntime;
}

/** A copy of a project with its plugin folder (state and key), as another checkout would be. */
function copy(root: string): string {
  const to = tempProject('collect-copy-');
  projects.push(to);
  cpSync(join(root, '.tapps-agents'), join(to, '.tapps-agents'), { recursive: true });
  return to;
}

/** The state as saved, minus the clock and the kept listings (a cache stamped with when it was read). */
function content(root: string) {
  const s = state(root);
  return { ...withoutTimes(s), checkpoints: progress(s) };
}

function rawState(root: string): Record<string, unknown> {
  return decode(readFileSync(pluginFile(root, 'state'))) as Record<string, unknown>;
}

describe('collect', () => {
  it('with nothing new, saves what the recorder would save, without decoding the rollups', async () => {
    const root = project();
    const first = await collect(await runtime(root));
    assert.ok(first.eventsAdded > 100);
    const saved = readFileSync(pluginFile(root, 'state'));
    const patched = await collect(await runtime(root));
    const patchedState = content(root);
    // The same run again from the same file, saved the way every run was saved before.
    writeFileSync(pluginFile(root, 'state'), saved);
    const flushed = await collect(await runtime(root), { patch: false });
    assert.equal(patched.eventsAdded + flushed.eventsAdded, 0);
    assert.deepEqual(patched.stats, flushed.stats);
    assert.deepEqual(patchedState, content(root));
    assert.notEqual(state(root).lastCollectAt, null);
  });

  it('continues from the checkpoints of a state file written before they were packed', async () => {
    const root = project();
    await collect(await runtime(root));
    const before = state(root);
    // As older versions wrote it: the plain checkpoints object, keys in the schema's order.
    const legacy = rawState(root);
    const { listings: _, ...plain } = progress(before);
    writeFileSync(pluginFile(root, 'state'), encode({ ...legacy, checkpoints: plain }));
    const again = await collect(await runtime(root));
    assert.equal(again.eventsAdded, 0);
    assert.deepEqual(counts(state(root)), counts(before));
    assert.ok(packedField(rawState(root).checkpoints), 'saved packed from now on');
    // New records after the upgrade count once.
    writeFileSync(join(root, '.tapps-agents', 'learning', 'expert_performance.jsonl'), expertLines(0, 4), {
      flag: 'a',
    });
    assert.equal((await collect(await runtime(root))).eventsAdded, 4);
    assert.equal(state(root).rollup.consultationCount, before.rollup.consultationCount + 4);
  });

  it('sets a damaged state file aside and rebuilds from the stores, even when only its window is bad', async () => {
    const root = project();
    const reference = copy(root);
    await collect(await runtime(root));
    rmSync(pluginDir(reference), { recursive: true, force: true });
    cpSync(pluginDir(root), pluginDir(reference), { recursive: true });
    rmSync(pluginFile(reference, 'state'));
    // The checkpoints and reports still read; the de-duplication window does not.
    const s = rawState(root);
    writeFileSync(pluginFile(root, 'state'), encode({ ...s, seen: 'damaged' }));
    // Nothing new: nothing is decoded whole, nothing is lost either.
    assert.equal((await collect(await runtime(root))).eventsAdded, 0);
    // Something new: the file is decoded, set aside, and every store is read again.
    writeFileSync(join(root, '.tapps-agents', 'learning', 'expert_performance.jsonl'), expertLines(0, 2), {
      flag: 'a',
    });
    writeFileSync(
      join(reference, '.tapps-agents', 'learning', 'expert_performance.jsonl'),
      expertLines(0, 2),
      {
        flag: 'a',
      },
    );
    const rebuilt = await collect(await runtime(root));
    const fresh = await collect(await runtime(reference));
    assert.equal(rebuilt.eventsAdded, fresh.eventsAdded);
    assert.deepEqual(counts(state(root)), counts(state(reference)));
    assert.ok(readdirSync(pluginDir(root)).some((n) => n.startsWith('state.corrupt-')));
    assert.ok(existsSync(pluginFile(root, 'state')));
  });
});
