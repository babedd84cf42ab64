import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serializeExport } from '../../lib/export/serialize.ts';
import { aggregateFiles } from '../../lib/hub/offline.ts';
import { gate } from '../../lib/privacy/gate.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import { projectExport, standardCapabilities } from './exports.ts';

const file = (path: string, doc: ExportV1, format: 'json' | 'msgpack' = 'json') => ({
  path,
  bytes: serializeExport(doc, { format }),
});

test('several snapshots of one project count once, whatever order the files come in', async () => {
  const early = projectExport({
    seed: 1,
    project: 77,
    frameworkVersion: '3.7.0',
    now: new Date('2026-11-01T00:00:00Z'),
    capabilities: standardCapabilities(),
  });
  const late = projectExport({
    seed: 2,
    project: 77,
    frameworkVersion: '3.7.0',
    now: new Date('2026-11-20T00:00:00Z'),
    capabilities: standardCapabilities({ 'implementer.implement': { runs: 60 } }),
  });
  assert.equal(early.metadata.projectId, late.metadata.projectId);
  const r = await aggregateFiles([file('late.json', late), file('early.msgpack', early, 'msgpack')], {
    k: 1,
    now: new Date(),
    gate: (d) => gate(d),
  });
  assert.equal(r.used, 2);
  assert.equal(r.report.projects, 1);
  assert.equal(r.report.submissions, 2);
  // A project whose snapshot shrank later (reset) would add both; here the later one grew.
  assert.equal(r.report.rollup.tasks, late.totals.tasks, 'the newest snapshot, not the sum of both');
});

test('projects are counted apart and a cell needs k of them', async () => {
  const docs = [1, 2, 3].map((i) =>
    projectExport({ seed: 10 + i, frameworkVersion: '3.7.0', capabilities: standardCapabilities() }),
  );
  const at3 = await aggregateFiles(
    docs.map((d, i) => file(`${i}.json`, d)),
    { k: 3, now: new Date(), gate: (d) => gate(d) },
  );
  assert.equal(at3.report.published, true);
  assert.deepEqual(Object.keys(at3.report.rollup.capabilities).sort(), [
    'implementer.implement',
    'reviewer.review-code',
    'tester.write-tests',
  ]);
  const at4 = await aggregateFiles(
    docs.map((d, i) => file(`${i}.json`, d)),
    { k: 4, now: new Date(), gate: (d) => gate(d) },
  );
  assert.equal(at4.report.published, false);
  assert.deepEqual(at4.report.rollup.capabilities, {});
});

test('unreadable, undecodable and invalid files are listed with their problems and skipped', async () => {
  const ok = projectExport({ seed: 5, frameworkVersion: '3.7.0', capabilities: standardCapabilities() });
  const r = await aggregateFiles(
    [
      { path: 'gone.json', error: 'ENOENT: no such file' },
      { path: 'junk.json.gz', bytes: new Uint8Array([0x1f, 0x8b, 1, 2]) },
      { path: 'wrong.json', bytes: Buffer.from(JSON.stringify({ ...ok, totals: { tasks: -1 } })) },
      file('ok.json', ok),
    ],
    { k: 1, now: new Date(), gate: (d) => gate(d) },
  );
  assert.equal(r.used, 1);
  assert.deepEqual(
    r.invalid.map((x) => x.path),
    ['gone.json', 'junk.json.gz', 'wrong.json'],
  );
  assert.match(r.invalid[0]?.problems[0]?.message ?? '', /cannot read: ENOENT/);
  assert.match(r.invalid[1]?.problems[0]?.message ?? '', /not valid gzip/);
  assert.ok((r.invalid[2]?.problems.length ?? 0) >= 1);
});
