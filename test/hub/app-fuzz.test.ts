import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import type { Hono } from 'hono';
import * as v from 'valibot';
import { withExportId } from '../../lib/export/build.ts';
import { serializeExport } from '../../lib/export/serialize.ts';
import { Aggregator } from '../../lib/hub/aggregator.ts';
import { createHubApp } from '../../lib/hub/app.ts';
import type { Db } from '../../lib/hub/db.ts';
import { openHubDb } from '../../lib/hub/open-db.ts';
import { AggregateReport } from '../../lib/hub/report-schema.ts';
import { HubStore } from '../../lib/hub/store.ts';
import { gate } from '../../lib/privacy/gate.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import { projectExport, standardCapabilities } from './exports.ts';
import { NO_RATE_LIMIT, steppingClock } from './harness.ts';

const TYPES = new Set(['schema', 'size', 'duplicate', 'version', 'raw', 'auth', 'rate', 'gate']);
const HTML = '<script>alert(1)</script>';

let db: Db;
let app: Hono;
let base: ExportV1;
let accepted = 0;
const seen = new Map<number, number>();

before(async () => {
  db = await openHubDb('memory://');
  const store = new HubStore(db);
  const aggregator = new Aggregator(store, 1);
  await aggregator.rebuild();
  app = createHubApp(
    { k: 1, maxBodyBytes: 256 * 1024, tokenHashes: null, rate: NO_RATE_LIMIT, title: 'fuzz', chartJs: '' },
    { store, aggregator, gate: (d) => gate(d), clock: steppingClock(), address: () => '198.51.100.7' },
  );
  base = projectExport({
    seed: 11,
    frameworkVersion: '3.7.1',
    capabilities: standardCapabilities(),
    workflows: 4,
    consultations: 4,
  });
});
after(() => db.close());

/** Sends a body; the answer must be a receipt or a typed rejection, never a crash. */
async function submit(body: Uint8Array, headers: Record<string, string> = {}): Promise<number> {
  const r = await app.request('/v1/submissions', { method: 'POST', body, headers });
  seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
  const json = (await r.json()) as { error?: { type: string; message: string }; exportId?: string };
  if (r.status === 200 || r.status === 201) {
    assert.match(json.exportId ?? '', /^[0-9a-f]{64}$/);
    if (r.status === 201) accepted++;
  } else {
    assert.ok([400, 413, 415, 422].includes(r.status), `status ${r.status}: ${JSON.stringify(json)}`);
    assert.ok(json.error && TYPES.has(json.error.type), JSON.stringify(json));
    assert.equal(typeof json.error.message, 'string');
  }
  return r.status;
}

/** Every [path, value] leaf of a JSON document. */
function leaves(x: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (Array.isArray(x)) return x.flatMap((v, i) => leaves(v, [...path, i]));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [[path, x]];
}

function setAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let o = copy;
  for (const p of path.slice(0, -1)) o = o[p] as Record<string | number, unknown>;
  o[path.at(-1) as string | number] = value;
  return copy;
}

test('fuzz: broken gzip', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ minLength: 0, maxLength: 600 }),
      fc.boolean(),
      async (tail, declared) => {
        const status = await submit(
          new Uint8Array([0x1f, 0x8b, ...tail]),
          declared ? { 'content-encoding': 'gzip' } : {},
        );
        assert.ok(status >= 400);
      },
    ),
    { numRuns: 60 },
  );
  // A valid export cut short inside its gzip stream.
  const gz = serializeExport(base, { format: 'json', gzip: true });
  for (const cut of [10, gz.byteLength >> 1, gz.byteLength - 4])
    assert.equal(await submit(gz.subarray(0, cut)), 400);
});

test('fuzz: wrong types at any place of a valid export, in JSON and MessagePack', async () => {
  const all = leaves(base);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: all.length - 1 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.boolean(),
      async (i, value, msgpack) => {
        const [path] = all[i] as [(string | number)[], unknown];
        const doc = setAt(base, path, value);
        const body = msgpack ? encode(doc) : Buffer.from(JSON.stringify(doc));
        await submit(body);
      },
    ),
    { numRuns: 150 },
  );
});

test('fuzz: huge strings', async () => {
  const strings = leaves(base).filter(([, x]) => typeof x === 'string');
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: strings.length - 1 }),
      fc.integer({ min: 1_000, max: 400_000 }),
      async (i, n) => {
        const [path] = strings[i] as [(string | number)[], unknown];
        const status = await submit(gzipSync(JSON.stringify(setAt(base, path, 'A'.repeat(n)))));
        assert.ok(status >= 400, 'no export field takes a string this long');
      },
    ),
    { numRuns: 25 },
  );
});

test('fuzz: deep nesting in JSON and MessagePack', async () => {
  for (const depth of [100, 10_000, 100_000]) {
    assert.ok((await submit(Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`))) >= 400);
    assert.ok((await submit(Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`))) >= 400);
    const nested = new Uint8Array(depth + 1).fill(0x91);
    nested[depth] = 0xc0;
    assert.ok((await submit(nested)) >= 400);
  }
  const inDoc = JSON.stringify(base).replace('"items":[', `"items":[${'['.repeat(5000)}${']'.repeat(5000)},`);
  assert.equal(await submit(Buffer.from(inDoc)), 422);
});

test('fuzz: __proto__, constructor and prototype keys anywhere', async () => {
  const text = JSON.stringify(base);
  const objects = [...text.matchAll(/\{/g)].map((m) => m.index as number);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: objects.length - 1 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
      fc.jsonValue({ maxDepth: 2 }),
      async (i, key, value) => {
        const at = (objects[i] as number) + 1;
        const body = `${text.slice(0, at)}${JSON.stringify(key)}:${JSON.stringify(value)},${text.slice(at)}`;
        await submit(Buffer.from(body));
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(Object.prototype.toString.call([]), '[object Array]');
      },
    ),
    { numRuns: 80 },
  );
  // A label spelled `constructor` is a valid label: it is stored and counted as plain data.
  const named = withExportId({
    ...base,
    metadata: { ...base.metadata, projectId: 'p_00000000c0c0c0c0' },
    capabilities: {
      ...base.capabilities,
      items: base.capabilities.items.map((c, i) => (i === 0 ? { ...c, name: 'constructor' } : c)),
    },
  });
  assert.equal(await submit(serializeExport(named, { format: 'msgpack' })), 201);
  const agg = (await (await app.request('/v1/aggregate')).json()) as {
    rollup: { capabilities: Record<string, { runs: number } | undefined> };
  };
  assert.equal(Object.hasOwn(agg.rollup.capabilities, 'constructor'), true);
  const cell = Object.entries(agg.rollup.capabilities).find(([name]) => name === 'constructor')?.[1];
  assert.equal(typeof cell?.runs, 'number');
});

test('fuzz: HTML in every string is refused or stored, and always shown escaped', async () => {
  // (exportId and projectId are set again below, so they cannot carry the markup.)
  const strings = leaves(base).filter(
    ([p, x]) => typeof x === 'string' && p[1] !== 'exportId' && p[1] !== 'projectId',
  );
  let stored = 0;
  const storedAt: string[] = [];
  for (const [i, [path, value]] of strings.entries()) {
    const doc = setAt(base, path, `${String(value).slice(0, 4)}${HTML}`) as ExportV1;
    const candidate = withExportId({
      ...doc,
      metadata: { ...doc.metadata, projectId: `p_${(0xd000 + i).toString(16).padStart(16, '0')}` },
    });
    if ((await submit(serializeExport(candidate, { format: 'json' }))) === 201) {
      stored++;
      storedAt.push(path.join('/'));
    }
  }
  // Also a label-shaped HTML-ish name and an HTML content encoding (reflected into a message).
  await submit(serializeExport(base, { format: 'json' }), { 'content-encoding': HTML });
  const pages = await Promise.all(
    ['/', '/rejections', '/?framework=%3Cscript%3E'].map(async (p) => (await app.request(p)).text()),
  );
  for (const html of pages) {
    assert.ok(!html.includes('<script>alert'), 'no submitted markup reaches a page unescaped');
    assert.ok(!/<script[^>]*>[^<]*alert\(1\)/i.test(html), 'no script from a submission');
  }
  const rej = await (await app.request('/v1/rejections?limit=1000')).text();
  assert.ok(!rej.includes(HTML), 'the rejection log keeps no submitted markup');
  // The schema has no free text; the one loose field (the privacy policy version, up to 32
  // characters) is caught by the privacy gate or stored, and no page shows it either way.
  assert.ok(stored <= 1, `${stored} stored: ${storedAt.join(', ')}`);
});

test('after all of it the hub still answers, and its aggregate is valid', async (t) => {
  const health = await app.request('/healthz');
  assert.equal(health.status, 200);
  const agg = await (await app.request('/v1/aggregate')).json();
  assert.ok(
    v.is(AggregateReport, agg),
    JSON.stringify(v.safeParse(AggregateReport, agg).issues?.[0]?.message),
  );
  t.diagnostic(
    `answers by status: ${JSON.stringify(Object.fromEntries([...seen].sort()))}; ${accepted} stored`,
  );
});
