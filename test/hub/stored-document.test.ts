import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { serializeExport } from '../../lib/export/serialize.ts';
import { tempDir } from '../temp-dir.ts';
import { projectExport, standardCapabilities } from './exports.ts';
import { post, testHub } from './harness.ts';

const CANARY = 'CANARY-stored-7f3a91';

/** gzip whose header names a file (FNAME), as `gzip report.json` writes it: the name is not data. */
function gzipNamed(bytes: Uint8Array, name: string): Uint8Array {
  const z = gzipSync(bytes);
  const head = Buffer.from(z.subarray(0, 10));
  head[3] = (head[3] as number) | 0x08;
  return Buffer.concat([head, Buffer.from(`${name}\0`, 'latin1'), z.subarray(10)]);
}

test('the hub stores the validated document, never bytes of the body the gate did not see', async () => {
  const dir = tempDir('hub-stored-');
  const hub = await testHub(join(dir, 'db'), { workers: 0 });
  try {
    const docs = [0, 1].map((i) =>
      projectExport({
        seed: 40 + i,
        project: 700 + i,
        frameworkVersion: '3.7.0',
        capabilities: standardCapabilities({}),
        workflows: 3,
        consultations: 2,
      }),
    );
    const json = (i: number) =>
      new TextDecoder().decode(serializeExport(docs[i] as never, { format: 'json' }));
    // JSON.parse keeps the last of two equal keys: the first never reaches the schema or the gate.
    const duplicateKey = json(0).replace(/^\{/, `{"schemaVersion":"${CANARY}",`);
    assert.ok(duplicateKey.includes(CANARY));
    const bodies: { name: string; body: Uint8Array; headers: Record<string, string> }[] = [
      { name: 'duplicate key', body: new TextEncoder().encode(duplicateKey), headers: {} },
      {
        name: 'gzip file name',
        body: gzipNamed(new TextEncoder().encode(json(1)), `${CANARY}.json`),
        headers: { 'content-encoding': 'gzip' },
      },
    ];
    for (const b of bodies) {
      const r = await post(hub.url, b.body, { 'content-type': 'application/json', ...b.headers });
      assert.equal(r.status, 201, `${b.name}: ${await r.text()}`);
    }
    const { rows } = await hub.db.query<{ document: Uint8Array }>(
      'SELECT document FROM hub_submissions ORDER BY seq',
    );
    assert.equal(rows.length, 2);
    for (const [i, row] of rows.entries()) {
      const stored = Buffer.from(row.document);
      assert.ok(!stored.includes(CANARY), `${bodies[i]?.name}: the stored bytes hold the canary`);
      const text = gunzipSync(stored).toString('utf8');
      assert.ok(!text.includes(CANARY), `${bodies[i]?.name}: the stored document holds the canary`);
      assert.equal(JSON.parse(text).metadata.exportId, docs[i]?.metadata.exportId);
    }
  } finally {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
