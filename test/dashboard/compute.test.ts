import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as v from 'valibot';
import { computeDashboard, UnknownCapabilityError } from '../../lib/dashboard/compute.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { merge } from '../../lib/rollup/merge.ts';
import { Dashboard } from '../../schema/dashboard.ts';
import type { Rollup } from '../../schema/rollup.ts';
import { observation } from '../generators/observations.ts';
import { SAMPLE_PROJECT, START_DAY, simulateRollup } from './projects.ts';

const NOW = new Date('2026-11-24T03:00:00Z');

function rollupOf(observations: Parameters<typeof add>[1][]): Rollup {
  const r = emptyRollup();
  for (const o of observations) add(r, o);
  return r;
}

describe('computeDashboard', () => {
  it('gives a model that validates against its schema for any rollup (property)', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 60 }), (obs) => {
        const d = computeDashboard(rollupOf(obs), { now: NOW });
        const parsed = v.safeParse(Dashboard, d);
        assert.ok(
          parsed.success,
          JSON.stringify(parsed.issues?.slice(0, 2).map((i) => [v.getDotPath(i), i.message])),
        );
        // The counts the user sees add up to what the rollup holds.
        assert.equal(d.totals.tasks, obs.filter((o) => o.kind === 'task').length);
        assert.equal(d.totals.consultations, obs.filter((o) => o.kind === 'consultation').length);
        for (const c of d.capabilities) assert.equal(c.successes + c.failures + c.skips, c.runs);
      }),
      { numRuns: 150 },
    );
  });

  it('shows the same figures for a rollup and for the same data merged from parts', () => {
    fc.assert(
      fc.property(
        fc.array(observation, { maxLength: 40 }),
        fc.array(observation, { maxLength: 40 }),
        (a, b) => {
          const whole = computeDashboard(rollupOf([...a, ...b]), { now: NOW });
          const merged = computeDashboard(merge(rollupOf(a), rollupOf(b)), { now: NOW });
          assert.deepEqual(merged.capabilities, whole.capabilities);
          assert.deepEqual(merged.verdict, whole.verdict);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts per capability: usage share, success rate with a Wilson interval, retries, duration quantiles', () => {
    const r = rollupOf([
      ...Array.from({ length: 30 }, (_, i) => ({
        kind: 'task' as const,
        capability: 'reviewer.review',
        status: i < 24 ? ('success' as const) : i < 29 ? ('failure' as const) : ('skipped' as const),
        day: START_DAY + (i % 10),
        attempt: i % 5 === 0 ? 2 : 1,
        durationMs: 1000 * (i + 1),
        quality: 70,
        errorType: i >= 24 && i < 29 ? 'TimeoutError' : undefined,
      })).map(({ errorType, ...o }) => (errorType ? { ...o, errorType } : o)),
      { kind: 'task', capability: 'tester.test', status: 'success', day: START_DAY, attempt: 1 },
    ]);
    const d = computeDashboard(r, { now: NOW });
    const c = d.capabilities[0];
    assert.ok(c);
    assert.equal(c.name, 'reviewer.review');
    assert.equal(c.runs, 30);
    assert.equal(c.skips, 1);
    assert.equal(c.share, 30 / 31);
    assert.equal(c.successRate?.estimate, 24 / 29);
    assert.ok(c.successRate && c.successRate.low < 24 / 29 && c.successRate.high > 24 / 29);
    assert.equal(c.retries, 6);
    assert.equal(c.retryRate?.estimate, 6 / 30);
    // Durations 1..30 s: the median within the sketch's 1% of 15 s.
    assert.ok(Math.abs((c.durationMs.p50 ?? 0) - 15_000) / 15_000 <= 0.011, String(c.durationMs.p50));
    assert.ok(Math.abs((c.durationMs.p95 ?? 0) - 28_000) / 28_000 <= 0.011, String(c.durationMs.p95));
    assert.equal(c.quality.mean, 70);
    assert.deepEqual(
      d.failures.byCapability[0]?.errors.map((e) => [e.errorType, e.count]),
      [['TimeoutError', 5]],
    );
    assert.match(d.failures.byCapability[0]?.errors[0]?.hint ?? '', /raise the step timeout/);
  });

  it('--since restricts counts and trends to days from then on, and says which figures stay all-time', () => {
    const r = simulateRollup(SAMPLE_PROJECT, 3);
    const all = computeDashboard(r, { now: NOW });
    const since = START_DAY + 30;
    const part = computeDashboard(r, { now: NOW, since });
    const impl = (d: typeof all) => d.capabilities.find((c) => c.name === 'implementer.implement');
    assert.equal(impl(all)?.runs, 60 * 24);
    assert.equal(impl(part)?.runs, 30 * 24);
    assert.equal(part.period.firstDay, '2026-10-25');
    assert.equal(part.filter.since, '2026-10-25');
    assert.ok(part.filter.allTime.includes('failures'));
    assert.deepEqual(all.filter.allTime, []);
    assert.equal(impl(part)?.days[0]?.day, '2026-10-25');
  });

  it('--capability narrows the view to one capability and its failing steps', () => {
    const r = rollupOf([
      {
        kind: 'task',
        capability: 'reviewer.review',
        status: 'failure',
        day: START_DAY,
        attempt: 1,
        workflowType: 'rapid-dev',
      },
      {
        kind: 'task',
        capability: 'tester.test',
        status: 'failure',
        day: START_DAY,
        attempt: 1,
        workflowType: 'rapid-dev',
      },
      {
        kind: 'task',
        capability: 'tester.test',
        status: 'failure',
        day: START_DAY,
        attempt: 1,
        workflowType: 'fix',
      },
    ]);
    const d = computeDashboard(r, { now: NOW, capability: 'tester.test' });
    assert.deepEqual(
      d.capabilities.map((c) => c.name),
      ['tester.test'],
    );
    assert.equal(d.totals.tasks, 2);
    assert.deepEqual(
      d.failures.workflows.map((w) => [w.type, w.failingSteps.map((s) => s.capability)]),
      [
        ['fix', ['tester.test']],
        ['rapid-dev', ['tester.test']],
      ],
    );
  });

  it('refuses an unknown capability with the names it knows (the framework crashes here)', () => {
    const r = rollupOf([
      { kind: 'task', capability: 'tester.test', status: 'success', day: START_DAY, attempt: 1 },
    ]);
    assert.throws(
      () => computeDashboard(r, { now: NOW, capability: 'nope.nope' }),
      (e: unknown) => e instanceof UnknownCapabilityError && e.known.join() === 'tester.test',
    );
    // A label that is a property of every object is still unknown, not a crash.
    assert.throws(() => computeDashboard(r, { now: NOW, capability: 'constructor' }), UnknownCapabilityError);
  });

  it('says "not recorded" with the reason for sections the framework does not record, never zeros', () => {
    const d = computeDashboard(
      rollupOf([{ kind: 'task', capability: 'tester.test', status: 'success', day: START_DAY, attempt: 1 }]),
      {
        now: NOW,
      },
    );
    for (const s of [d.patterns, d.decisions, d.security]) {
      assert.equal(s.state, 'not-recorded');
      assert.match(s.reason ?? '', /^not recorded by this framework version: .*in memory only/);
    }
    const withFindings = computeDashboard(
      rollupOf([
        {
          kind: 'task',
          capability: 'tester.test',
          status: 'success',
          day: START_DAY,
          attempt: 1,
          security: [
            { rule: 'B602', severity: 'critical' },
            { rule: 'B105', severity: 'low' },
            { rule: 'B105', severity: 'low' },
          ],
          patterns: ['function'],
        },
      ]),
      { now: NOW },
    );
    assert.equal(withFindings.security.state, 'recorded');
    assert.deepEqual(
      withFindings.security.byRule.map((x) => [x.rule, x.severity, x.count]),
      [
        ['B602', 'critical', 1],
        ['B105', 'low', 2],
      ],
    );
    assert.equal(withFindings.patterns.state, 'recorded');
    assert.equal(withFindings.decisions.state, 'not-recorded');
  });

  it('reports store health: live, dormant and missing stores, skipped lines and the collector hook', () => {
    const r = emptyRollup();
    r.health['event-log'] = { records: 170, skipped: 2, lastDay: START_DAY + 59 };
    r.health.capabilities = { records: 0, skipped: 0, lastDay: null };
    const d = computeDashboard(r, {
      now: NOW,
      health: {
        hooks: { file: 'present', collector: true, events: ['SessionEnd'] },
        knownStores: [{ name: 'event-log' }, { name: 'memories' }],
        sources: {
          'event-log': {
            present: true,
            files: 22,
            records: 170,
            emitted: 160,
            duplicates: 10,
            skipped: 2,
            bytes: 1,
            lastRunRecords: 0,
            problems: [{ path: 'workflow-state/events/x.events.jsonl', line: 3, reason: 'not JSON' }],
            lastRecordAt: '2026-11-23T10:00:00Z',
          },
          markers: {
            present: false,
            files: 0,
            records: 0,
            emitted: 0,
            duplicates: 0,
            skipped: 0,
            bytes: 0,
            lastRunRecords: 0,
            problems: [],
            lastRecordAt: null,
          },
        },
        lastCollectAt: '2026-11-24T03:00:00.000Z',
      },
    });
    assert.deepEqual(
      d.health.stores.map((s) => [s.store, s.state, s.records, s.skipped, s.lastDay, s.files]),
      [
        ['capabilities', 'dormant', 0, 0, null, null],
        ['event-log', 'live', 170, 2, '2026-11-23', 22],
        ['markers', 'missing', 0, 0, null, 0],
        ['memories', 'missing', 0, 0, null, null],
      ],
    );
    assert.equal(d.health.hooks?.collector, true);
    assert.ok(d.verdict.notes.some((n) => n.startsWith('2 malformed records skipped in event-log')));
  });

  it('keeps every capability of a merged rollup of 1,000+ capabilities (never truncated)', () => {
    let merged = emptyRollup();
    // Each project holds up to 64 capabilities; merging lifts the cap, as at a maintainer's hub.
    for (let p = 0; p < 20; p++) {
      const part = emptyRollup();
      for (let i = 0; i < 60; i++) {
        const name = `p_${(p * 60 + i).toString(16).padStart(16, '0')}`;
        for (let k = 0; k < 3; k++)
          add(part, { kind: 'task', capability: name, status: 'success', day: START_DAY + k, attempt: 1 });
      }
      merged = merge(merged, part);
    }
    const d = computeDashboard(merged, { now: NOW });
    assert.equal(d.capabilities.length, 1200);
    assert.ok(v.is(Dashboard, d));
    const json = JSON.parse(JSON.stringify(d));
    assert.equal(json.capabilities.length, 1200);
    assert.equal(json.verdict.status, 'not-enough-data');
  });
});
