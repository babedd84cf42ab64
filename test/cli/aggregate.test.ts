import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as v from 'valibot';
import { serializeExport } from '../../lib/export/serialize.ts';
import { AggregateReport } from '../../lib/hub/report-schema.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import { releaseScenario } from '../hub/exports.ts';
import { runCli, tempProject } from './harness.ts';

let project: string;
let exportsDir: string;
let docs: ExportV1[];

before(() => {
  project = tempProject('aggregate-');
  exportsDir = join(project, 'submissions');
  mkdirSync(join(exportsDir, 'nested'), { recursive: true });
  docs = releaseScenario(6);
  const formats = [
    { format: 'json', gzip: false, ext: '.json' },
    { format: 'json', gzip: true, ext: '.json.gz' },
    { format: 'msgpack', gzip: false, ext: '.msgpack' },
    { format: 'msgpack', gzip: true, ext: '.msgpack.gz' },
  ] as const;
  docs.forEach((d, i) => {
    const f = formats[i % 4] as (typeof formats)[number];
    writeFileSync(
      join(exportsDir, i % 3 === 0 ? 'nested' : '', `export-${i}${f.ext}`),
      serializeExport(d, f),
    );
  });
  // The same export again, in another encoding: counted once.
  writeFileSync(
    join(exportsDir, 'again.msgpack.gz'),
    serializeExport(docs[1] as ExportV1, { format: 'msgpack', gzip: true }),
  );
  writeFileSync(join(exportsDir, 'broken.json'), '{"schemaVersion": "1.0", "metadata": {');
  writeFileSync(join(exportsDir, 'notes.txt'), 'not an export, not even read');
});
after(() => rmSync(project, { recursive: true, force: true }));

test('learning aggregate DIR writes the JSON, the Markdown release summary and the HTML page', async () => {
  const out = join(project, 'release');
  const r = await runCli(['learning', 'aggregate', 'submissions', '--out', 'release'], { cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'files, not stdout');
  assert.match(r.stderr, /broken\.json: skipped \(1 problem\)/);
  assert.match(
    r.stderr,
    /export-1\.json\.gz: same export as submissions\/again\.msgpack\.gz \(exportId [0-9a-f]{12}…\), counted once/,
  );
  assert.match(r.stderr, /12 export\(s\) from 12 project\(s\) merged \(1 skipped, 1 duplicate\(s\)\)/);
  const report = JSON.parse(readFileSync(join(out, 'aggregate.json'), 'utf8'));
  assert.ok(v.is(AggregateReport, report));
  assert.equal(report.filter.dayOf, 'created');
  assert.equal(report.release.regressions[0]?.capability, 'reviewer.review-code');
  const md = readFileSync(join(out, 'release-summary.md'), 'utf8');
  const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(headings.slice(0, 4) as string[], [
    'Regressions',
    'Top failing capabilities',
    'Biggest improvements and regressions (3.7.0 → 3.8.0)',
    'Error types to fix',
  ]);
  assert.match(
    md,
    /^1\. `reviewer\.review-code`: success rate 90% under `3\.7\.0` → 60% under `3\.8\.0`, −30\.0 pts/m,
  );
  assert.doesNotMatch(
    md.slice(md.indexOf('## Regressions'), md.indexOf('## Top failing')),
    /implementer|tester/,
  );
  assert.match(md, /\| `TimeoutError` \| /);
  const html = readFileSync(join(out, 'aggregate.html'), 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(
    html,
    /<script type="application\/json" id="dashboard-data">/,
    "the local dashboard's renderer draws it",
  );
  assert.match(
    html,
    /<h2>Regressions between framework versions<\/h2>\s*<ol><li class="bad"><code>reviewer\.review-code<\/code> success rate/,
  );
  assert.doesNotMatch(
    html,
    /<(?:link|img|iframe)[^>]+(?:src|href)="https?:/i,
    'self-contained: nothing loads from elsewhere',
  );
});

test('existing outputs are never replaced without --force', async () => {
  const first = await runCli(['learning', 'aggregate', 'submissions', '--out', 'twice'], { cwd: project });
  assert.equal(first.code, 0, first.stderr);
  const before = readFileSync(join(project, 'twice', 'aggregate.json'), 'utf8');
  writeFileSync(join(project, 'twice', 'release-summary.md'), 'my notes');
  const again = await runCli(['learning', 'aggregate', 'submissions', '--out', 'twice'], { cwd: project });
  assert.equal(again.code, 2);
  assert.match(
    again.stderr,
    /twice\/aggregate\.json, twice\/release-summary\.md, twice\/aggregate\.html already exist; nothing was written\. Pass --force/,
  );
  assert.equal(readFileSync(join(project, 'twice', 'release-summary.md'), 'utf8'), 'my notes');
  const forced = await runCli(['learning', 'aggregate', 'submissions', '--out', 'twice', '--force'], {
    cwd: project,
  });
  assert.equal(forced.code, 0, forced.stderr);
  assert.notEqual(readFileSync(join(project, 'twice', 'release-summary.md'), 'utf8'), 'my notes');
  assert.equal(
    JSON.parse(readFileSync(join(project, 'twice', 'aggregate.json'), 'utf8')).projects,
    JSON.parse(before).projects,
  );
});

test('--out - prints the JSON on stdout only, filters apply, and the default k can be raised', async () => {
  const r = await runCli(
    ['learning', 'aggregate', 'submissions', '--out', '-', '--framework', '3.8.0', '--k', '7'],
    { cwd: project },
  );
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.projects, 6);
  assert.equal(report.k, 7);
  assert.equal(report.published, false, '6 projects < k = 7');
  assert.deepEqual(report.rollup.capabilities, {});
  assert.ok(!existsSync(join(project, 'aggregate.json')));
});

test('nothing valid to aggregate exits 1; a path that does not exist exits 5; bad values exit 2', async () => {
  mkdirSync(join(project, 'bad'), { recursive: true });
  writeFileSync(join(project, 'bad', 'a.json'), '[]');
  writeFileSync(join(project, 'bad', 'b.json.gz'), 'not gzip at all');
  const none = await runCli(['learning', 'aggregate', 'bad', '--out', 'x'], { cwd: project });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /a\.json: skipped/);
  assert.match(none.stderr, /none of the 2 file\(s\) is a valid export; nothing to aggregate/);
  assert.ok(!existsSync(join(project, 'x', 'aggregate.json')));
  const missing = await runCli(['learning', 'aggregate', 'nowhere'], { cwd: project });
  assert.equal(missing.code, 5);
  assert.match(missing.stderr, /nowhere: no such file or folder/);
  assert.equal((await runCli(['learning', 'aggregate', 'bad', '--k', '0'], { cwd: project })).code, 2);
  const since = await runCli(['learning', 'aggregate', 'bad', '--since', '2026-13-01'], { cwd: project });
  assert.equal(since.code, 2);
  assert.match(since.stderr, /--since: not a calendar day YYYY-MM-DD/);
});

const UPSTREAM = new URL('../../../shared/fixtures/tapps-small/upstream-export.json', import.meta.url);

test("the framework's Python 1.0 export merges with v1 exports", {
  skip: !existsSync(UPSTREAM) && 'needs ../shared/fixtures (absent)',
}, async () => {
  const r = await runCli(
    ['learning', 'aggregate', 'submissions', UPSTREAM.pathname, '--out', '-', '--k', '1'],
    { cwd: project },
  );
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.projects, 13);
  assert.ok(
    Object.keys(report.rollup.capabilities).some((c: string) => c.startsWith('hash_')),
    'the Python capabilities are in',
  );
});
