import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportToRollup } from '../../lib/export/to-rollup.ts';
import { Ledger } from '../../lib/hub/ledger.ts';
import { renderAggregatePage, renderRejectionsPage } from '../../lib/hub/page.ts';
import { buildReport } from '../../lib/hub/report.ts';
import { releaseScenario } from './exports.ts';

const EVIL = '"><img src=x onerror=alert(1)><script>alert(2)</script>';

test('every value the hub writes into its page is escaped, whatever reaches it', () => {
  const l = new Ledger(5);
  for (const d of releaseScenario(6))
    l.add({
      project: d.metadata.projectId,
      frameworkVersion: d.metadata.framework.version,
      day: 20_786,
      contribution: exportToRollup(d),
    });
  const report = buildReport(l, {}, { k: 5, now: new Date('2026-11-30T00:00:00Z'), dayOf: 'received' });
  // Values no schema would let through, to prove the page does not rely on the schema.
  const evil = structuredClone(report);
  evil.filter.framework = EVIL;
  evil.filter.since = EVIL;
  for (const c of evil.release.capabilities) c.capability = `${c.capability}${EVIL}`;
  for (const c of [...evil.release.regressions, ...evil.release.changes]) c.capability = EVIL;
  evil.release.versions = evil.release.versions.map((v) => ({ ...v, version: `${v.version}${EVIL}` }));
  const html = renderAggregatePage(evil, {
    title: `Hub ${EVIL}`,
    now: new Date(),
    versions: [EVIL],
    links: { json: '/v1/aggregate', markdown: '/md', rejections: '/rejections' },
    chartJs: '',
  });
  assert.ok(!html.includes('<img src=x'), 'no element from a value');
  assert.ok(!/<script>alert\(2\)/.test(html), 'no script from a value');
  assert.ok(html.includes('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;'), 'shown as text');
  assert.match(html, /<h2>Regressions between framework versions<\/h2>/);
});

test('the rejections page shows reasons and places, escaped', () => {
  const html = renderRejectionsPage(
    [
      {
        id: '1',
        at: '2026-11-24T12:00:00.000Z',
        type: 'schema',
        status: 422,
        message: EVIL,
        problems: [{ pointer: `/a/${EVIL}`, message: EVIL }],
        exportId: null,
        projectId: null,
        bytes: 12,
        format: 'json',
      },
    ],
    { schema: 1 },
    'Rejected',
  );
  assert.ok(!html.includes('<img'));
  assert.ok(!html.includes('<script>alert'));
  assert.match(html, /<td>schema<\/td><td class="n">422<\/td>/);
});
