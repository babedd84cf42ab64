import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { accumulate } from '../../lib/hub/accumulate.ts';
import { cellKeysOf } from '../../lib/hub/cells.ts';
import { contributionOf, rollupDelta } from '../../lib/hub/contribution.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import type { Observation } from '../../schema/observation.ts';
import type { Rollup } from '../../schema/rollup.ts';
import { observation } from '../generators/observations.ts';

function rollupOf(obs: readonly Observation[]): Rollup {
  const r = emptyRollup();
  for (const o of obs) add(r, structuredClone(o));
  return r;
}

const plain = (r: Rollup) => JSON.parse(JSON.stringify(r)) as Rollup;

test('the contributions of growing snapshots add up to the newest snapshot: a project counts once', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(observation, { maxLength: 15 }), { minLength: 1, maxLength: 4 }),
      (batches) => {
        const seen: Observation[] = [];
        let previous: { createdAt: string; rollup: Rollup } | null = null;
        const sum = emptyRollup();
        batches.forEach((batch, i) => {
          seen.push(...batch);
          const snap = {
            createdAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
            rollup: rollupOf(seen),
          };
          const c = contributionOf(snap, previous);
          assert.equal(c.counted, i === 0 ? 'start' : 'delta');
          accumulate(sum, c.rollup);
          previous = snap;
        });
        const newest = rollupOf(seen);
        // Counters telescope exactly; extremes are those of the newest snapshot (they only widen).
        assert.deepEqual(plain(sum), plain(newest));
      },
    ),
    { numRuns: 80 },
  );
});

test('an unchanged snapshot contributes nothing, and touches no cell', () => {
  fc.assert(
    fc.property(fc.array(observation, { maxLength: 20 }), (obs) => {
      const r = rollupOf(obs);
      const d = rollupDelta(r, rollupOf(obs));
      assert.deepEqual(Object.keys(d.capabilities), []);
      assert.deepEqual(Object.keys(d.workflows), []);
      assert.deepEqual(Object.keys(d.experts), []);
      assert.deepEqual(cellKeysOf(d), []);
    }),
    { numRuns: 40 },
  );
});

test('a snapshot with fewer runs is a reset when newer (counts whole) and stale when older (counts nothing)', () => {
  const big = rollupOf([
    { kind: 'task', capability: 'reviewer.review-code', status: 'success', day: 20_400, attempt: 1 },
    { kind: 'task', capability: 'reviewer.review-code', status: 'failure', day: 20_401, attempt: 1 },
  ]);
  const small = rollupOf([
    { kind: 'task', capability: 'tester.write-tests', status: 'success', day: 20_402, attempt: 1 },
  ]);
  const head = { createdAt: '2026-11-10T00:00:00Z', rollup: big };
  const reset = contributionOf({ createdAt: '2026-11-12T00:00:00Z', rollup: small }, head);
  assert.equal(reset.counted, 'start');
  assert.equal(reset.rollup.tasks, 1);
  const late = contributionOf({ createdAt: '2026-11-01T00:00:00Z', rollup: small }, head);
  assert.equal(late.counted, 'stale');
  assert.equal(late.rollup.tasks, 0);
  assert.deepEqual(cellKeysOf(late.rollup), []);
  // A clock that went backwards does not stop new runs from counting: more runs is a delta.
  const more = rollupOf([
    { kind: 'task', capability: 'reviewer.review-code', status: 'success', day: 20_400, attempt: 1 },
    { kind: 'task', capability: 'reviewer.review-code', status: 'failure', day: 20_401, attempt: 1 },
    { kind: 'task', capability: 'reviewer.review-code', status: 'success', day: 20_403, attempt: 1 },
  ]);
  const skewed = contributionOf({ createdAt: '2026-10-01T00:00:00Z', rollup: more }, head);
  assert.equal(skewed.counted, 'delta');
  assert.equal(skewed.rollup.capabilities['reviewer.review-code']?.runs, 1);
});

test('cell keys name every labelled cell a contribution touches', () => {
  const r = rollupOf([
    {
      kind: 'task',
      capability: 'reviewer.review-code',
      status: 'failure',
      day: 20_400,
      attempt: 1,
      errorType: 'TimeoutError',
      languages: ['python'],
      workflowType: 'rapid-dev',
    },
    {
      kind: 'workflow',
      workflowType: 'rapid-dev',
      outcome: 'failed',
      day: 20_400,
      errorType: 'RuntimeError',
    },
    { kind: 'consultation', domain: 'security', expert: 'expert-security', confidence: 80, day: 20_400 },
  ]);
  const keys = cellKeysOf(r).map((k) => k.split('\u0000').join('/'));
  for (const k of [
    'total',
    'c/reviewer.review-code',
    'c/reviewer.review-code/errors/TimeoutError',
    'c/reviewer.review-code/languages/python',
    'w/rapid-dev',
    'w/rapid-dev/errors/RuntimeError',
    'w/rapid-dev/stepFailures/reviewer.review-code',
    'e/security',
    'e/security/experts/expert-security',
  ])
    assert.ok(keys.includes(k), `${k} in ${keys.join(', ')}`);
  assert.ok(keys.some((k) => k.startsWith('c/reviewer.review-code/weeks/')));
});
