import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportToRollup } from '../../lib/export/to-rollup.ts';
import { Ledger } from '../../lib/hub/ledger.ts';
import { renderReleaseSummary } from '../../lib/hub/release-summary.ts';
import { buildReport } from '../../lib/hub/report.ts';
import { projectExport, releaseScenario, standardCapabilities } from './exports.ts';

const NOW = new Date('2026-11-30T00:00:00Z');

function reportOf(docs: ReturnType<typeof releaseScenario>, k = 5) {
  const l = new Ledger(k);
  for (const d of docs)
    l.add({
      project: d.metadata.projectId,
      frameworkVersion: d.metadata.framework.version,
      day: 20_786,
      contribution: exportToRollup(d),
    });
  return buildReport(l, {}, { k, now: NOW, dayOf: 'received' });
}

test('the release summary puts regressions first, then failing capabilities, changes and error types', () => {
  const md = renderReleaseSummary(reportOf(releaseScenario(6)));
  const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(headings, [
    'Regressions',
    'Top failing capabilities',
    'Biggest improvements and regressions (3.7.0 → 3.8.0)',
    'Error types to fix',
    'Framework versions',
  ]);
  const regressions = md.slice(md.indexOf('## Regressions'), md.indexOf('## Top failing'));
  const lines = regressions.split('\n').filter((l) => /^\d+\. /.test(l));
  assert.equal(lines.length, 2, 'success rate and quality of the one regressed capability');
  assert.match(
    lines[0] ?? '',
    /^1\. `reviewer\.review-code`: success rate 90% under `3\.7\.0` → 60% under `3\.8\.0`, −30\.0 pts \(95% CI −\d+\.\d pts to −\d+\.\d pts; 180 runs, ≥5 projects\)$/,
  );
  assert.match(
    lines[1] ?? '',
    /^2\. `reviewer\.review-code`: mean quality 80\.\d under `3\.7\.0` → 65\.\d under `3\.8\.0`/,
  );
  assert.match(
    md,
    /\| `reviewer\.review-code` \| `3\.7\.0` \| `3\.8\.0` \| 90% \(\d+–\d+\) → 60% \(\d+–\d+\) \| −30\.0 pts .* \| \*\*regression\*\* \|/,
  );
  assert.match(
    md,
    /\| `implementer\.implement` \| `3\.7\.0` \| `3\.8\.0` \| .* \| ±0\.0 pts .* \| no significant change \|/,
  );
  assert.match(
    md,
    /\| `TimeoutError` \| [\d,]+ \| `implementer\.implement` [\d,]+, `tester\.write-tests` [\d,]+ \|/,
  );
});

test('one version only: no comparison, said plainly', () => {
  const docs = [0, 1, 2, 3, 4].map((i) =>
    projectExport({ seed: 40 + i, frameworkVersion: '3.7.1', capabilities: standardCapabilities() }),
  );
  const md = renderReleaseSummary(reportOf(docs));
  assert.match(md, /## Regressions\n\nNo comparison: the data holds fewer than two framework versions\./);
  assert.match(md, /No capability has published numbers in two framework versions\./);
});

test('below k projects nothing is published, and the summary says why', () => {
  const docs = releaseScenario(6).slice(0, 3);
  const md = renderReleaseSummary(reportOf(docs));
  assert.match(md, /> Fewer than k = 5 projects are inside this filter: the aggregate is withheld\./);
  assert.match(md, /No failures published\./);
});
