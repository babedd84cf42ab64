import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as v from 'valibot';
import { serializeExport } from '../../lib/export/serialize.ts';
import { Aggregator } from '../../lib/hub/aggregator.ts';
import { createHubApp } from '../../lib/hub/app.ts';
import { AggregateReport } from '../../lib/hub/report-schema.ts';
import type { HubServer } from '../../lib/hub/server.ts';
import { tokenHash } from '../../lib/hub/tokens.ts';
import { gate } from '../../lib/privacy/gate.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import { tempDir } from '../temp-dir.ts';
import { projectExport, releaseScenario, standardCapabilities } from './exports.ts';
import { encodings, post, testHub } from './harness.ts';
import { postgresUnavailable, startPostgres } from './postgres.ts';

/** 6 projects under 3.7.0 and 6 under 3.8.0 (reviewer.review-code regressed); 2 of them also debug. */
let scenario: ExportV1[];
/** Project 0 again, later, with more runs. */
let second: ExportV1;

before(() => {
  scenario = releaseScenario(6);
  const extra = (i: number) =>
    projectExport({
      seed: 1000 + i,
      project: 5000 + i,
      frameworkVersion: '3.7.0',
      capabilities: [
        ...standardCapabilities({ 'reviewer.review-code': { successRate: 0.9, quality: 80 } }),
        { agent: 'debugger', action: 'analyze-error', runs: 9, successRate: 0.5 },
      ],
      workflows: 6,
      consultations: 6,
    });
  scenario[0] = extra(0);
  scenario[1] = extra(1);
  second = projectExport({
    seed: 1000,
    project: 5000,
    frameworkVersion: '3.7.0',
    now: new Date('2026-11-30T03:00:00Z'),
    capabilities: [
      ...standardCapabilities({ 'reviewer.review-code': { successRate: 0.9, quality: 80, runs: 40 } }),
      { agent: 'debugger', action: 'analyze-error', runs: 9, successRate: 0.5 },
    ],
    workflows: 6,
    consultations: 6,
  });
});

type Step = { step: string; status: number; body: unknown };

/** Everything a client can observe, in order, with the run-dependent parts (ids of time) removed. */
async function transcript(hub: HubServer): Promise<Step[]> {
  const steps: Step[] = [];
  const json = async (step: string, r: Response) => {
    const text = await r.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Markdown and HTML stay text.
    }
    steps.push({ step, status: r.status, body: strip(body) });
    return body as Record<string, unknown>;
  };
  const tokens = new Map<string, string>();
  for (const [i, doc] of scenario.entries()) {
    const e = encodings(doc)[i % 4] as { name: string; bytes: Uint8Array };
    const b = await json(
      `submit ${i} as ${e.name}`,
      await post(hub.url, e.bytes, e.name.endsWith('.gz') ? { 'content-encoding': 'gzip' } : {}),
    );
    assert.equal(b.duplicate, false);
    assert.equal(typeof b.deletionToken, 'string', 'the first submission of a project gets a deletion token');
    tokens.set(doc.metadata.projectId, b.deletionToken as string);
  }
  const original = steps[0]?.body as Record<string, unknown>;
  for (const e of encodings(scenario[0] as ExportV1)) {
    const b = await json(`resubmit 0 as ${e.name}`, await post(hub.url, e.bytes));
    assert.equal(b.duplicate, true);
    assert.equal(b.receivedAt, original.receivedAt, 'the original receipt');
    assert.equal(b.submissionId, original.submissionId);
    assert.equal(b.deletionToken, undefined, 'a duplicate never hands out the token again');
  }
  await json(
    'retry by Idempotency-Key, empty body',
    await post(hub.url, new Uint8Array(0), {
      'idempotency-key': (scenario[3] as ExportV1).metadata.exportId,
    }),
  );
  const later = await json(
    'second snapshot of project 0',
    await post(hub.url, serializeExport(second, { format: 'json', gzip: true })),
  );
  assert.equal(later.counted, 'delta');
  assert.equal(later.deletionToken, undefined);
  await json('a broken body', await post(hub.url, Buffer.from('{"schemaVersion":"1.0","metadata":')));

  const all = await json('aggregate', await fetch(`${hub.url}/v1/aggregate`));
  const raw = await (await fetch(`${hub.url}/v1/aggregate`)).json();
  assert.ok(
    v.is(AggregateReport, raw),
    JSON.stringify(v.safeParse(AggregateReport, raw).issues?.[0]?.message),
  );
  await json('aggregate 3.8.0', await fetch(`${hub.url}/v1/aggregate?framework=3.8.0`));
  await json('aggregate in a window without data', await fetch(`${hub.url}/v1/aggregate?since=2027-01-01`));
  await json(
    'aggregate with a bad query',
    await fetch(`${hub.url}/v1/aggregate?since=2026-02-30&framework=%3Cscript%3E`),
  );
  await json('release summary', await fetch(`${hub.url}/v1/release-summary`));
  await json(
    'receipt',
    await fetch(`${hub.url}/v1/submissions/${(scenario[5] as ExportV1).metadata.exportId}`),
  );
  await json('no receipt', await fetch(`${hub.url}/v1/submissions/${'0'.repeat(64)}`));

  const victim = (scenario[2] as ExportV1).metadata.projectId;
  await json(
    'delete with a wrong token',
    await fetch(`${hub.url}/v1/projects/${victim}`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer nope-nope-nope' },
    }),
  );
  await json('delete without a token', await fetch(`${hub.url}/v1/projects/${victim}`, { method: 'DELETE' }));
  await json(
    'delete',
    await fetch(`${hub.url}/v1/projects/${victim}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.get(victim)}` },
    }),
  );
  await json(
    'delete again',
    await fetch(`${hub.url}/v1/projects/${victim}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.get(victim)}` },
    }),
  );
  const afterDelete = await json('aggregate after the deletion', await fetch(`${hub.url}/v1/aggregate`));
  assert.equal(afterDelete.projects, (all.projects as number) - 1);
  await json('rejections', await fetch(`${hub.url}/v1/rejections`));
  await json('health', await fetch(`${hub.url}/healthz`));
  return steps;
}

/** Drops what differs between runs by design: the report's generation time and the database kind. */
function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(x)) if (k !== 'generatedAt' && k !== 'db') out[k] = strip(val);
    return out;
  }
  return typeof x === 'string' ? x.replace(/^Generated \S+/m, 'Generated …') : x;
}

const transcripts = new Map<string, Step[]>();
let pgliteHub: HubServer | null = null;
const dir = tempDir('hub-app-');
after(async () => {
  await pgliteHub?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the HTTP API on PGlite (a folder)', async () => {
  pgliteHub = await testHub(join(dir, 'hub-db'));
  const steps = await transcript(pgliteHub);
  transcripts.set('PGlite', steps);
  check(steps);
});

test('the HTTP API on a real PostgreSQL 15 started for this test', async (t) => {
  const why = postgresUnavailable();
  if (why) {
    t.skip(`PostgreSQL tests skipped: ${why}`);
    return;
  }
  const pg = await startPostgres();
  const hub = await testHub(pg.url);
  try {
    const steps = await transcript(hub);
    transcripts.set('PostgreSQL', steps);
    check(steps);
  } finally {
    await hub.close();
    await pg.stop();
  }
});

test('PGlite and PostgreSQL give identical answers, step by step', (t) => {
  const a = transcripts.get('PGlite');
  const b = transcripts.get('PostgreSQL');
  if (!a || !b) {
    t.skip('needs both backends');
    return;
  }
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.deepEqual(b[i], a[i], `step ${a[i]?.step}`);
  t.diagnostic(`${a.length} steps identical`);
});

/** What the transcript must show on any backend. */
function check(steps: Step[]): void {
  const at = (name: string) => {
    const s = steps.find((x) => x.step === name);
    assert.ok(s, name);
    // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, checked field by field below
    return s as Step & { body: Record<string, any> };
  };
  for (const s of steps.filter((x) => x.step.startsWith('submit '))) assert.equal(s.status, 201, s.step);
  for (const s of steps.filter((x) => x.step.startsWith('resubmit '))) assert.equal(s.status, 200, s.step);
  assert.equal(at('retry by Idempotency-Key, empty body').status, 200);
  assert.equal(at('a broken body').status, 400);
  assert.equal(at('a broken body').body.error.type, 'schema');

  const agg = at('aggregate');
  assert.equal(agg.status, 200);
  assert.equal(agg.body.projects, 12);
  assert.equal(agg.body.submissions, 13);
  assert.equal(agg.body.published, true);
  // Project 0 counts once: its second snapshot adds only its 10 new review runs.
  const sumOfNewest = scenario.reduce((n, d, i) => n + (i === 0 ? second.totals.tasks : d.totals.tasks), 0);
  assert.equal(agg.body.rollup.tasks, sumOfNewest);
  assert.equal(agg.body.rollup.capabilities['reviewer.review-code'].runs, 6 * 30 + 10 + 6 * 30);
  // 2 projects debugged: below k = 5, withheld.
  assert.equal(agg.body.rollup.capabilities['debugger.analyze-error'], undefined);
  assert.ok(agg.body.withheld.byKind.capabilities >= 1);
  assert.equal(agg.body.release.regressions[0].capability, 'reviewer.review-code');
  assert.deepEqual(
    [...new Set(agg.body.release.regressions.map((c: { capability: string }) => c.capability))],
    ['reviewer.review-code'],
  );

  assert.equal(at('aggregate 3.8.0').body.projects, 6);
  assert.equal(at('aggregate in a window without data').body.projects, 0);
  assert.equal(at('aggregate in a window without data').body.published, false);
  const bad = at('aggregate with a bad query');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.error.problems.map((p: { pointer: string }) => p.pointer).sort(), [
    '/query/framework',
    '/query/since',
  ]);

  const md = at('release summary').body as unknown as string;
  assert.ok(md.indexOf('## Regressions') < md.indexOf('## Top failing capabilities'));
  assert.match(
    md.slice(md.indexOf('## Regressions'), md.indexOf('## Top failing')),
    /1\. `reviewer\.review-code`: success rate 90% under `3\.7\.0` → 60% under `3\.8\.0`/,
  );

  assert.equal(at('receipt').status, 200);
  assert.equal(at('no receipt').status, 404);
  assert.equal(at('delete with a wrong token').status, 403);
  assert.equal(at('delete with a wrong token').body.error.type, 'auth');
  assert.equal(at('delete without a token').status, 401);
  assert.equal(at('delete').status, 200);
  assert.equal(at('delete').body.submissions, 1);
  assert.equal(at('delete again').status, 403);
  const gone = at('aggregate after the deletion').body;
  assert.equal(gone.rollup.tasks, sumOfNewest - (scenario[2] as ExportV1).totals.tasks);

  const rej = at('rejections').body;
  assert.ok(
    rej.counts.schema >= 1 && rej.counts.duplicate >= 1 && rej.counts.auth >= 1,
    JSON.stringify(rej.counts),
  );
  assert.ok(!JSON.stringify(rej).includes('"metadata":'), 'no payload stored for rejected submissions');
  assert.equal(at('health').body.ok, true);
}

test('bearer tokens, rate limits and pages (in-process, same database)', async () => {
  assert.ok(pgliteHub, 'runs after the PGlite test');
  const hub = pgliteHub as HubServer;
  const token = 'test-token-0123456789abcdef';
  const app = createHubApp(
    {
      k: 5,
      maxBodyBytes: 64 * 1024,
      tokenHashes: new Set([tokenHash(token)]),
      rate: { perAddress: { perMinute: 60, burst: 3 }, perToken: { perMinute: 0, burst: 0 } },
      title: 'Test <hub>',
      chartJs: '',
    },
    {
      store: hub.store,
      aggregator: new Aggregator(hub.store, 5),
      gate: (d) => gate(d),
      address: () => '192.0.2.1',
    },
  );
  const body = serializeExport(scenario[4] as ExportV1, { format: 'json' });
  const send = (headers: Record<string, string>) =>
    app.request('/v1/submissions', { method: 'POST', body, headers });
  const none = await send({});
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { error: { type: string } }).error.type, 'auth');
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="learning-hub"');
  assert.equal((await send({ authorization: 'Bearer wrong-token-0123456789' })).status, 401);
  assert.equal(
    (await send({ authorization: `Bearer ${token}` })).status,
    200,
    'accepted (a duplicate of a stored export)',
  );
  const limited = await send({ authorization: `Bearer ${token}` });
  assert.equal(limited.status, 429, 'burst of 3 spent: refused requests take from the address bucket too');
  assert.equal(((await limited.json()) as { error: { type: string } }).error.type, 'rate');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);

  const big = await app.request('/v1/submissions', {
    method: 'POST',
    body: new Uint8Array(70 * 1024),
    headers: { 'content-length': String(70 * 1024) },
  });
  assert.ok([413, 429].includes(big.status));

  const page = await app.request('/');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const html = await page.text();
  assert.ok(html.includes('Test &#60;hub&#62;'), 'the title is escaped');
  assert.ok(!html.includes('<hub>'));
  const rejections = await app.request('/rejections');
  assert.equal(rejections.status, 200);
  assert.match(await rejections.text(), /<td>auth<\/td>/);
});
