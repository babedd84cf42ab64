import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { GateRefusedError } from '../../lib/export/produce.ts';
import { resolveOptions } from '../../lib/options.ts';
import { EMPTY_IDENTITY } from '../../lib/privacy/identity.ts';
import { Recorder } from '../../lib/rollup/recorder.ts';
import { loadState } from '../../lib/rollup/state-file.ts';
import { buildPayload } from '../../lib/submit/payload.ts';
import { capProblem, PAYLOAD_CAP_BYTES, sectionWeights } from '../../lib/submit/payload-cap.ts';
import { payloadOf, projectWithData } from './support/project.ts';

describe('payload', () => {
  it('is the gzip-compressed, anonymized export; its hash and exportId are those of the bytes and the content', async () => {
    const dir = await projectWithData();
    const p = await payloadOf(dir);
    assert.equal(p.sha256, createHash('sha256').update(p.bytes).digest('hex'));
    const doc = JSON.parse(gunzipSync(p.bytes).toString('utf8'));
    assert.equal(doc.metadata.exportId, p.exportId);
    assert.equal(doc.metadata.raw, false);
    const again = await payloadOf(dir);
    assert.equal(again.sha256, p.sha256, 'same data, same time: same bytes');
    const mp = await payloadOf(dir, 'msgpack');
    assert.equal(mp.exportId, p.exportId, 'the same export in another format has the same exportId');
    assert.notEqual(mp.sha256, p.sha256);
  });

  it('is refused by the gate when a value of this machine’s identity would leave', async () => {
    const dir = await projectWithData();
    const projectId = new Recorder(dir).projectId();
    await assert.rejects(
      buildPayload(loadState(dir).state, {
        now: new Date(),
        projectId,
        projectRoot: dir,
        options: resolveOptions(undefined, undefined),
        exclude: [],
        format: 'json',
        identity: { ...EMPTY_IDENTITY, userNames: [projectId] },
      }),
      GateRefusedError,
    );
  });
});

describe('payload cap', () => {
  it('lets a payload at the cap through and refuses one byte more, naming the heaviest sections and a higher k', async () => {
    const p = await payloadOf(await projectWithData({ agents: 6 }));
    assert.equal(capProblem(p.doc, PAYLOAD_CAP_BYTES, PAYLOAD_CAP_BYTES), null);
    const m = capProblem(p.doc, PAYLOAD_CAP_BYTES + 1, PAYLOAD_CAP_BYTES);
    assert.match(
      m ?? '',
      /^the export is 65537 bytes compressed, over the 65536-byte cap for one submission/,
    );
    const heaviest = sectionWeights(p.doc)
      .slice(0, 2)
      .map((w) => w.section);
    assert.match(m ?? '', new RegExp(`--exclude ${heaviest.join(',')}`));
    assert.match(m ?? '', /--k 10/);
  });
});
