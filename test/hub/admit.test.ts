import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { withExportId } from '../../lib/export/build.ts';
import { serializeExport } from '../../lib/export/serialize.ts';
import { admit } from '../../lib/hub/admit.ts';
import { Rejection } from '../../lib/hub/rejection.ts';
import { gate } from '../../lib/privacy/gate.ts';
import { projectExport, standardCapabilities } from './exports.ts';
import { encodings } from './harness.ts';

const doc = projectExport({
  seed: 7,
  frameworkVersion: '3.7.1',
  capabilities: standardCapabilities(),
  workflows: 4,
  consultations: 4,
});
const run = (
  body: Uint8Array,
  o: { contentEncoding?: string; idempotencyKey?: string; maxBytes?: number } = {},
) =>
  admit({
    body,
    maxBytes: o.maxBytes ?? 1 << 20,
    gate: (d) => gate(d),
    contentEncoding: o.contentEncoding,
    idempotencyKey: o.idempotencyKey,
  });

async function rejection(p: Promise<unknown>): Promise<Rejection> {
  try {
    await p;
  } catch (error) {
    if (error instanceof Rejection) return error;
    throw error;
  }
  assert.fail('expected a rejection');
}

test('every encoding of one export is admitted as the same document', async () => {
  for (const e of encodings(doc)) {
    const a = await run(e.bytes, {
      contentEncoding: e.name.endsWith('.gz') ? 'gzip' : undefined,
      idempotencyKey: doc.metadata.exportId,
    });
    assert.equal(a.doc.metadata.exportId, doc.metadata.exportId, e.name);
    assert.equal(a.format, e.name.startsWith('msgpack') ? 'msgpack' : 'json');
    assert.equal(a.gzip, e.name.endsWith('.gz'));
  }
});

test('each kind of bad submission gets its typed rejection and status', async (t) => {
  const json = serializeExport(doc, { format: 'json' });
  const cases: [string, Promise<unknown>, string, number][] = [
    ['broken gzip', run(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5])), 'schema', 400],
    ['gzip declared, plain sent', run(json, { contentEncoding: 'gzip' }), 'schema', 400],
    ['brotli', run(json, { contentEncoding: 'br' }), 'schema', 415],
    ['empty body', run(new Uint8Array(0)), 'schema', 400],
    ['not JSON', run(Buffer.from('{"schemaVersion": ')), 'schema', 400],
    ['a JSON array', run(Buffer.from('[1,2,3]')), 'schema', 422],
    [
      'too large after gunzip',
      run(gzipSync(Buffer.alloc(2 << 20, 0x20)), { maxBytes: 1 << 20 }),
      'size',
      413,
    ],
    ['too large', run(Buffer.alloc(2 << 20, 0x7b), { maxBytes: 1 << 20 }), 'size', 413],
    [
      'future major version',
      run(Buffer.from(JSON.stringify({ ...doc, schemaVersion: '2.0' }))),
      'version',
      422,
    ],
    [
      'Python 0.9',
      run(Buffer.from(JSON.stringify({ export_metadata: { schema_version: '0.9' } }))),
      'version',
      422,
    ],
    [
      'raw export',
      run(
        serializeExport(withExportId({ ...doc, metadata: { ...doc.metadata, raw: true } }), {
          format: 'json',
        }),
      ),
      'raw',
      422,
    ],
    [
      'doctored exportId',
      run(Buffer.from(JSON.stringify({ ...doc, totals: { ...doc.totals, tasks: doc.totals.tasks + 1 } }))),
      'schema',
      422,
    ],
    ['Idempotency-Key of another export', run(json, { idempotencyKey: 'a'.repeat(64) }), 'schema', 422],
    ['an unknown field', run(Buffer.from(JSON.stringify({ ...doc, extra: 1 }))), 'schema', 422],
    ['MessagePack of a number', run(encode(42)), 'schema', 422],
  ];
  for (const [name, p, type, status] of cases) {
    const r = await rejection(p);
    assert.equal(r.type, type, `${name}: ${r.message}`);
    assert.equal(r.status, status, name);
    t.diagnostic(`${name}: ${r.status} ${r.type}: ${r.message}`);
  }
});

test('schema problems name where they are, without echoing the submitted value', async () => {
  const bad = JSON.parse(JSON.stringify(doc));
  bad.capabilities.items[0].runs = 'AKIAZ4LEDGERLYQ7X2M9';
  const r = await rejection(run(Buffer.from(JSON.stringify(bad))));
  assert.equal(r.type, 'schema');
  assert.ok(
    r.problems.some((p) => p.pointer === '/capabilities/items/0/runs'),
    JSON.stringify(r.problems),
  );
  assert.ok(!JSON.stringify(r.body()).includes('AKIA'), 'the value is not echoed');
});

test('a document the privacy gate refuses is rejected with pointers and rule ids only', async () => {
  const leaky = withExportId({
    ...doc,
    capabilities: {
      ...doc.capabilities,
      items: doc.capabilities.items.map((c, i) => (i === 0 ? { ...c, name: 'AKIAZ4LEDGERLYQ7X2M9' } : c)),
    },
  });
  const r = await rejection(run(serializeExport(leaky, { format: 'msgpack', gzip: true })));
  assert.equal(r.type, 'gate');
  assert.equal(r.status, 422);
  assert.ok(
    r.problems.some((p) => p.pointer.startsWith('/capabilities/items/0/name')),
    JSON.stringify(r.problems),
  );
  assert.ok(!JSON.stringify(r.body()).includes('AKIAZ4'), 'the secret is not echoed');
  assert.deepEqual(r.subject, { exportId: leaky.metadata.exportId, projectId: leaky.metadata.projectId });
});

const UPSTREAM = new URL('../../../shared/fixtures/tapps-small/upstream-export.json', import.meta.url);

test("the framework's own Python 1.0 export is admitted, migrated to v1", {
  skip: !existsSync(UPSTREAM) && 'needs ../shared/fixtures (absent)',
}, async () => {
  const bytes = readFileSync(UPSTREAM);
  const a = await run(bytes);
  assert.equal(a.version, 'python-1.0');
  assert.equal(a.doc.metadata.migratedFrom, 'python-1.0');
  assert.match(a.doc.metadata.projectId, /^legacy_[0-9a-f]{16}$/);
  assert.ok(a.doc.capabilities.items.length > 0);
  // The framework's unkeyed `hash_…` names pass only in its own format: a v1 export may not carry them.
  const hashed = withExportId({
    ...doc,
    capabilities: {
      ...doc.capabilities,
      items: doc.capabilities.items.map((c, i) => (i === 0 ? { ...c, name: 'hash_0123456789abcdef' } : c)),
    },
  });
  assert.equal((await rejection(run(serializeExport(hashed, { format: 'json' })))).type, 'gate');
  const rawOne = JSON.parse(bytes.toString('utf8'));
  rawOne.export_metadata.anonymization_applied = false;
  const r = await rejection(run(Buffer.from(JSON.stringify(rawOne))));
  assert.equal(r.type, 'raw');
});
