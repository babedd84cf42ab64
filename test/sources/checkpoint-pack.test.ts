import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as v from 'valibot';
import {
  checkpointField,
  checkpointsOf,
  packCheckpoints,
  packedOf,
  unpackCheckpoints,
} from '../../lib/sources/checkpoint-pack.ts';
import { readStores } from '../../lib/sources/read-stores.ts';
import { Checkpoints } from '../../schema/checkpoints.ts';
import { STORE_NAMES, type StoreName, type StoreStats } from '../../schema/stores.ts';
import { type GeneratedProject, generateTappsProject } from '../generators/tapps-project.ts';
import { TempTapps } from './harness.ts';

const OPTIONS = { seed: 5, days: 20, workflows: 120, epics: 1, version: 'mixed', noise: true } as const;
/** Ten seconds after the files were written: their folders' listings can be kept (RACY_MS is 3 s). */
const later = () => Date.now() + 10_000;

async function read(p: GeneratedProject, checkpoints: Uint8Array, now = later) {
  let events = 0;
  const r = await readStores({
    tappsDir: p.tappsDir,
    checkpoints,
    timeZone: p.timeZone,
    now,
    onRecord: () => {
      events++;
    },
  });
  return { ...r, events };
}

/** What `learning status` shows of a store: the numbers a kept listing must not change. */
function seenStores(stats: Record<StoreName, StoreStats>) {
  return Object.fromEntries(
    STORE_NAMES.map((s) => [s, { present: stats[s].present, files: stats[s].files }]),
  );
}

describe('packed checkpoints', () => {
  const t = new TempTapps();
  let p: GeneratedProject;
  before(() => {
    p = generateTappsProject(t.root, OPTIONS);
  });
  after(() => t.remove());

  it('unpack gives back what was packed, and packing is deterministic', async () => {
    const full = await readStores({
      tappsDir: p.tappsDir,
      checkpoints: {},
      timeZone: p.timeZone,
      onRecord: () => {},
    });
    assert.ok(v.is(Checkpoints, full.checkpoints));
    const packed = packCheckpoints(full.checkpoints);
    assert.deepEqual(unpackCheckpoints(packed), full.checkpoints);
    assert.deepEqual(Buffer.from(packCheckpoints(unpackCheckpoints(packed))), Buffer.from(packed));
    // The state file's field, and the plain object older state files hold, both lead to it.
    assert.deepEqual(checkpointsOf(checkpointField(packed)), full.checkpoints);
    assert.deepEqual(unpackCheckpoints(packedOf(full.checkpoints)), full.checkpoints);
  });

  it('a run that finds nothing new, from kept listings, counts what a run that lists every folder counts, and returns the same bytes', async () => {
    const first = await read(p, packCheckpoints({}));
    assert.ok(first.events > 0);
    const second = await read(p, first.checkpoints);
    assert.equal(second.events, 0);
    assert.ok(unpackCheckpoints(first.checkpoints).listings?.length, 'listings kept');
    // Without the listings every folder is read again: the store reports must be the same.
    const { listings: _, ...plain } = unpackCheckpoints(first.checkpoints);
    const relisted = await read(p, packCheckpoints(plain));
    assert.equal(relisted.events, 0);
    assert.deepEqual(seenStores(second.stats), seenStores(relisted.stats));
    for (const s of STORE_NAMES) assert.equal(second.stats[s].records, 0, s);
    // Nothing changed: the checkpoints handed back are the very bytes handed in.
    const third = await read(p, second.checkpoints);
    assert.equal(third.checkpoints, second.checkpoints);
  });

  it('a file added to a folder whose listing was kept is read', async () => {
    const first = await read(p, packCheckpoints({}));
    const wf = 'fix-20990101-120000';
    t.write(
      `events/${wf}-4070908800.000000-workflow_completed.json`,
      JSON.stringify({ event_type: 'workflow_completed', workflow_id: wf, data: { completed_steps: 1 } }),
    );
    const second = await read(p, first.checkpoints, () => Date.now() + 20_000);
    assert.equal(second.events, 1);
    assert.equal(second.stats['event-bus'].emitted, 1);
  });

  it('rejects a damaged pack as invalid checkpoints', async () => {
    const packed = Buffer.from(packCheckpoints({ files: {}, counters: [['k', 1, 2]] }));
    const damaged = Buffer.from(packed.toString('latin1').replace('"k",1,2', '"k",1.5'), 'latin1');
    await assert.rejects(read(p, damaged), /invalid checkpoints: counters/);
    await assert.rejects(read(p, Buffer.from('not a pack')), /invalid checkpoints: not packed/);
    assert.throws(() => packedOf({ version: 2 }), /a packed field without its bytes/);
  });

  it("never changes the caller's bytes", async () => {
    const first = await read(p, packCheckpoints({}));
    const copy = Buffer.from(first.checkpoints);
    await read(p, first.checkpoints);
    assert.deepEqual(Buffer.from(first.checkpoints), copy);
  });
});
