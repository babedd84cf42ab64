import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { gateBytes } from '../../lib/privacy/gate.ts';
import { CORPUS_IDENTITY, mulberry32 } from './leak-corpus.ts';
import { cleanDoc } from './plant.ts';

const clean = cleanDoc(mulberry32(11));
const leaky = {
  ...clean,
  notes: { owner: 'bob@contoso.com', token: 'ghp_Z3n8QwLk2VbX7mRt5YpC1dHs9FjU4aEo6WiK' },
};

const encodings: [string, (doc: unknown) => Uint8Array, 'json' | 'msgpack', number][] = [
  ['JSON', (d) => Buffer.from(JSON.stringify(d)), 'json', 0],
  ['pretty JSON with BOM', (d) => Buffer.from(`\ufeff${JSON.stringify(d, null, 2)}`), 'json', 0],
  ['gzip JSON', (d) => gzipSync(JSON.stringify(d)), 'json', 1],
  ['MessagePack', (d) => encode(d, { sortKeys: true }), 'msgpack', 0],
  ['gzip MessagePack', (d) => gzipSync(encode(d, { sortKeys: true })), 'msgpack', 1],
];

for (const [name, enc, format, layers] of encodings) {
  test(`gateBytes: ${name}, clean and leaky`, async () => {
    const ok = await gateBytes(enc(clean), { identity: CORPUS_IDENTITY });
    assert.deepEqual(ok.findings, []);
    assert.equal(ok.ok, true);
    assert.equal(ok.format, format);
    assert.equal(ok.gzipLayers, layers);
    assert.ok(ok.scannedStrings > 50);

    const bad = await gateBytes(enc(leaky), { identity: CORPUS_IDENTITY });
    assert.equal(bad.ok, false);
    const places = bad.findings.map((f) => `${f.pointer} ${f.ruleId}`);
    assert.ok(places.includes('/notes/owner pii/email'), places.join('; '));
    assert.ok(places.includes('/notes/token secret/github-token'), places.join('; '));
    assert.ok(places.includes('/notes/token secret/keyed-value'), places.join('; '));
  });
}

test('gateBytes: a gzip bomb is refused with a clear finding, not a crash', async () => {
  const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x20));
  assert.ok(bomb.byteLength < 200_000, 'small on the wire');
  const report = await gateBytes(bomb, {});
  assert.equal(report.ok, false);
  assert.deepEqual(Object.keys(report.counts), ['format/too-large']);
  const small = await gateBytes(gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)), {
    limits: { maxDecodedBytes: 1024 * 1024 },
  });
  assert.deepEqual(Object.keys(small.counts), ['format/too-large']);
});

test('gateBytes: gzip in gzip is unwrapped to a limit, then refused', async () => {
  const twice = gzipSync(gzipSync(JSON.stringify(clean)));
  const report = await gateBytes(twice, {});
  assert.equal(report.ok, true);
  assert.equal(report.gzipLayers, 2);
  const thrice = await gateBytes(gzipSync(twice), {});
  assert.deepEqual(Object.keys(thrice.counts), ['format/too-large']);
});

test('gateBytes: unreadable bytes are refused, never passed', async () => {
  for (const bytes of [
    Buffer.from([0xc1, 0x00, 0xff, 0x13]),
    Buffer.from('{"unterminated": '),
    Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xde, 0xad]),
  ]) {
    const report = await gateBytes(bytes, {});
    assert.equal(report.ok, false);
    assert.match(Object.keys(report.counts)[0] ?? '', /^format\/(undecodable|corrupt-gzip)$/);
  }
  assert.deepEqual(
    Object.keys((await gateBytes(Buffer.alloc(10), { limits: { maxInputBytes: 4 } })).counts),
    ['format/too-large'],
  );
});

test('gateBytes: MessagePack bin fields and nested bytes are read as text', async () => {
  const doc = { blob: new TextEncoder().encode('owner is /home/bob/orbit-billing'), n: 1 };
  const report = await gateBytes(encode(doc), {});
  assert.ok(report.findings.some((f) => f.pointer === '/blob' && f.ruleId === 'path/posix-absolute'));
  const binary = new Uint8Array([
    0,
    1,
    2,
    255,
    ...new TextEncoder().encode('AKIAIOSFODNN7EXAMPLE'),
    0,
    0,
    254,
  ]);
  const r2 = await gateBytes(encode({ raw: binary }), {});
  assert.ok(r2.findings.some((f) => f.pointer === '/raw' && f.ruleId === 'secret/aws-access-key'));
});

test('gateBytes: identity is found in the bytes in escaped and encoded forms', async () => {
  const ctx = { identity: CORPUS_IDENTITY };
  const forms = {
    escapedPath: 'C:\\\\Users\\\\marta\\\\lumen-ledger',
    percent: 'q=marta.k%40nordwind-labs.eu',
    b64: Buffer.from('user=marta.k@nordwind-labs.eu').toString('base64'),
    camel: 'LumenLedger',
  };
  for (const [k, v] of Object.entries(forms)) {
    const report = await gateBytes(Buffer.from(JSON.stringify({ [k]: v })), ctx);
    assert.equal(report.ok, false, k);
    assert.ok(
      report.findings.some((f) => f.ruleId.startsWith('identity/')),
      `${k}: ${Object.keys(report.counts).join(', ')}`,
    );
  }
  // A user name that is a generic word is ignored, so the framework's own words pass.
  const generic = { ...CORPUS_IDENTITY, userNames: ['dev'], homeDirs: [] };
  assert.equal(
    (await gateBytes(Buffer.from(JSON.stringify({ devex: 'rapid-dev' })), { identity: generic })).ok,
    true,
  );
});
