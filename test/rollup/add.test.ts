import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { LIMITS, OTHER } from '../../lib/rollup/limits.ts';
import { SERIES_WINDOW_DAYS } from '../../lib/rollup/series.ts';

const task = (capability: string, day = 20_400, status: 'success' | 'failure' = 'success') =>
  ({ kind: 'task', capability, status, day, attempt: 1 }) as const;

describe('rollup add', () => {
  it('counts runs, outcomes, retries and quality per capability', () => {
    const r = emptyRollup();
    add(r, { ...task('implementer.write-code'), quality: 80, durationMs: 1200 });
    add(r, { ...task('implementer.write-code', 20_400, 'failure'), errorType: 'TimeoutError', attempt: 2 });
    add(r, {
      kind: 'task',
      capability: 'implementer.write-code',
      status: 'skipped',
      day: 20_401,
      attempt: 1,
    });
    const c = r.capabilities['implementer.write-code'];
    assert.ok(c);
    assert.equal(c.runs, 3);
    assert.equal(c.successes, 1);
    assert.equal(c.failures, 1);
    assert.equal(c.skips, 1);
    assert.equal(c.retries, 1);
    assert.deepEqual(c.errors, { TimeoutError: 1 });
    assert.equal(c.quality.count, 1);
    assert.deepEqual(c.series.days['20400'], [2, 1, 1, 1, 80_000, 1]);
    assert.equal(r.tasks, 3);
    assert.equal(r.firstDay, 20_400);
    assert.equal(r.lastDay, 20_401);
  });

  it('caps the number of capabilities and sends the rest to __other__, counting the overflow', () => {
    const r = emptyRollup();
    for (let i = 0; i < LIMITS.capabilities + 10; i++) add(r, task(`p_${i.toString(16).padStart(16, '0')}`));
    assert.equal(Object.keys(r.capabilities).length, LIMITS.capabilities + 1);
    assert.equal(r.capabilities[OTHER]?.runs, 10);
    assert.equal(r.overflow.capabilities, 10);
  });

  it('folds days older than the window into weeks when newer days arrive', () => {
    const r = emptyRollup();
    add(r, task('tester.write-tests', 20_000));
    add(r, task('tester.write-tests', 20_000 + SERIES_WINDOW_DAYS + 30));
    const s = r.capabilities['tester.write-tests']?.series;
    assert.ok(s);
    assert.deepEqual(Object.keys(s.days), [String(20_000 + SERIES_WINDOW_DAYS + 30)]);
    assert.equal(
      Object.values(s.weeks).reduce((n, c) => n + c[0], 0),
      1,
    );
  });

  it('records a failed step under its workflow even before the workflow ends', () => {
    const r = emptyRollup();
    add(r, { ...task('debugger.analyze-error', 20_400, 'failure'), workflowType: 'fix' });
    assert.deepEqual(r.workflows.fix?.stepFailures, { 'debugger.analyze-error': 1 });
    add(r, { kind: 'workflow', workflowType: 'fix', outcome: 'failed', day: 20_400 });
    assert.equal(r.workflows.fix?.runs, 1);
    assert.deepEqual(r.workflows.fix?.outcomes, { failed: 1 });
  });

  it('keeps expert consultations per domain with threshold counts', () => {
    const r = emptyRollup();
    add(r, {
      kind: 'consultation',
      domain: 'security',
      expert: 'expert-security',
      confidence: 82,
      day: 20_400,
      meetsThreshold: true,
    });
    add(r, {
      kind: 'consultation',
      domain: 'security',
      expert: 'expert-security',
      confidence: 40,
      day: 20_400,
      meetsThreshold: false,
    });
    const e = r.experts.security;
    assert.ok(e);
    assert.equal(e.consultations, 2);
    assert.equal(e.meetsThreshold, 1);
    assert.equal(e.belowThreshold, 1);
    assert.equal(e.confidence.sumMilli, 122_000);
  });
});
