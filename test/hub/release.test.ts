import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportToRollup } from '../../lib/export/to-rollup.ts';
import { Ledger } from '../../lib/hub/ledger.ts';
import { compareReleases } from '../../lib/hub/release.ts';
import { compareVersions } from '../../lib/hub/versions.ts';
import { releaseScenario } from './exports.ts';

function ledgerOf(docs: ReturnType<typeof releaseScenario>, k = 5): Ledger {
  const l = new Ledger(k);
  for (const d of docs)
    l.add({
      project: d.metadata.projectId,
      frameworkVersion: d.metadata.framework.version,
      day: 20_780,
      contribution: exportToRollup(d),
    });
  return l;
}

test('two framework versions, one capability regressed: it comes first under regressions, the unchanged ones never', (t) => {
  const docs = releaseScenario(6);
  const r = compareReleases(ledgerOf(docs).byVersion({}), 5);
  const first = r.regressions[0];
  assert.ok(first, 'a regression is listed');
  assert.equal(first.capability, 'reviewer.review-code');
  assert.equal(first.metric, 'success-rate');
  assert.deepEqual([first.from, first.to], ['3.7.0', '3.8.0']);
  assert.ok(first.change.high < 0, 'the whole interval is below 0');
  assert.ok(Math.abs(first.change.estimate - -0.3) < 0.02, `estimate ${first.change.estimate} ≈ −30 points`);
  assert.deepEqual([...new Set(r.regressions.map((c) => c.capability))], ['reviewer.review-code']);
  assert.deepEqual(r.improvements, []);
  for (const name of ['implementer.implement', 'tester.write-tests']) {
    const changes = r.changes.filter((c) => c.capability === name);
    assert.equal(changes.length, 2, `${name}: success rate and quality compared`);
    for (const c of changes) assert.equal(c.verdict, 'no-significant-change', `${name} ${c.metric}`);
  }
  t.diagnostic(
    `regressions: ${r.regressions.map((c) => `${c.capability} ${c.metric} ${(c.change.estimate * (c.metric === 'success-rate' ? 100 : 1)).toFixed(1)} [${c.change.low.toFixed(3)}, ${c.change.high.toFixed(3)}]`).join('; ')}`,
  );
});

test('a version cell with fewer than k projects is withheld and not compared', () => {
  const docs = releaseScenario(6);
  const fewer = docs.filter((d, i) => d.metadata.framework.version === '3.7.0' || i % 6 < 4);
  const r = compareReleases(ledgerOf(fewer).byVersion({}), 5);
  assert.deepEqual(r.regressions, []);
  assert.deepEqual(r.changes, []);
  const cap = r.capabilities.find((c) => c.capability === 'reviewer.review-code');
  assert.deepEqual(
    cap?.versions.map((v) => [v.version, v.published, v.runs]),
    [
      ['3.7.0', true, 180],
      ['3.8.0', false, null],
    ],
  );
  assert.ok(r.withheldCells >= 3);
  // With k = 4 the same data is enough.
  assert.equal(
    compareReleases(ledgerOf(fewer, 4).byVersion({}), 4).regressions[0]?.capability,
    'reviewer.review-code',
  );
});

test('versions sort in release order', () => {
  const sorted = ['3.10.0', 'unknown', '3.7.0-rc.1', 'v3.7.0', '3.9.2', '3.7.0-rc.2', '3.6.3'].sort(
    compareVersions,
  );
  assert.deepEqual(sorted, ['3.6.3', '3.7.0-rc.1', '3.7.0-rc.2', 'v3.7.0', '3.9.2', '3.10.0', 'unknown']);
});
