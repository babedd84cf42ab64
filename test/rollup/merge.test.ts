import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as v from 'valibot';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { merge } from '../../lib/rollup/merge.ts';
import type { Observation } from '../../schema/observation.ts';
import { type Rollup, Rollup as RollupSchema } from '../../schema/rollup.ts';
import { observation } from '../generators/observations.ts';

function rollupOf(obs: readonly Observation[]): Rollup {
  const r = emptyRollup();
  for (const o of obs) add(r, o);
  return r;
}

const batch = fc.array(observation, { maxLength: 40 });

describe('rollup merge', () => {
  it('is commutative: merge(a, b) equals merge(b, a)', () => {
    fc.assert(
      fc.property(batch, batch, (a, b) => {
        assert.deepStrictEqual(merge(rollupOf(a), rollupOf(b)), merge(rollupOf(b), rollupOf(a)));
      }),
      { numRuns: 300 },
    );
  });

  it('is associative: merge(merge(a, b), c) equals merge(a, merge(b, c))', () => {
    fc.assert(
      fc.property(batch, batch, batch, (a, b, c) => {
        const [ra, rb, rc] = [rollupOf(a), rollupOf(b), rollupOf(c)];
        assert.deepStrictEqual(merge(merge(ra, rb), rc), merge(ra, merge(rb, rc)));
      }),
      { numRuns: 300 },
    );
  });

  it('has the empty rollup as identity', () => {
    fc.assert(
      fc.property(batch, (a) => {
        const r = rollupOf(a);
        assert.deepStrictEqual(merge(r, emptyRollup()), merge(emptyRollup(), r));
        assert.deepStrictEqual(merge(emptyRollup(), r).tasks, r.tasks);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same rollup as adding everything in one pass (sharding does not change results)', () => {
    fc.assert(
      fc.property(batch, batch, (a, b) => {
        // Sharded merge vs one pass: equal in every counter; series folding depends only on the newest day.
        assert.deepStrictEqual(merge(rollupOf(a), rollupOf(b)), merge(emptyRollup(), rollupOf([...a, ...b])));
      }),
      { numRuns: 300 },
    );
  });

  it('never changes its inputs and keeps the schema', () => {
    fc.assert(
      fc.property(batch, batch, (a, b) => {
        const ra = rollupOf(a);
        const before = structuredClone(ra);
        const m = merge(ra, rollupOf(b));
        assert.deepStrictEqual(ra, before);
        assert.ok(v.is(RollupSchema, m));
      }),
      { numRuns: 100 },
    );
  });

  it('cannot be tricked into prototype pollution by a hostile label', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, number>;
    const r = emptyRollup();
    r.overflow = hostile;
    const m = merge(r, emptyRollup());
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.hasOwn(m.overflow, '__proto__'));
  });
});

describe('rollup merge with hostile labels', () => {
  it('adds a counts entry named like an extreme (min, max, lastDay) instead of taking min or max', () => {
    const a = emptyRollup();
    const b = emptyRollup();
    a.overflow = { min: 2, max: 5, lastDay: 1, firstDay: 4 };
    b.overflow = { min: 3, max: 1, lastDay: 7, firstDay: 2 };
    assert.deepEqual(merge(a, b).overflow, { min: 5, max: 6, lastDay: 8, firstDay: 6 });
  });

  it('keeps min and max of sketches and the day range of the rollup', () => {
    const a = rollupOf([
      { kind: 'task', capability: 'tester.test', status: 'success', day: 20_400, attempt: 1, durationMs: 5 },
    ]);
    const b = rollupOf([
      { kind: 'task', capability: 'tester.test', status: 'success', day: 20_410, attempt: 1, durationMs: 50 },
    ]);
    const m = merge(a, b);
    assert.equal(m.firstDay, 20_400);
    assert.equal(m.lastDay, 20_410);
    assert.equal(m.capabilities['tester.test']?.durationMs.min, 5);
    assert.equal(m.capabilities['tester.test']?.durationMs.max, 50);
  });

  it('counts a capability called `constructor` like any other label', () => {
    const r = rollupOf([
      { kind: 'task', capability: 'constructor', status: 'success', day: 20_400, attempt: 1 },
      {
        kind: 'task',
        capability: 'constructor',
        status: 'failure',
        day: 20_400,
        attempt: 1,
        errorType: 'toString',
      },
    ]);
    const name: string = 'constructor';
    assert.ok(Object.hasOwn(r.capabilities, name));
    assert.equal(r.capabilities[name]?.runs, 2);
    assert.deepEqual(r.capabilities[name]?.errors, { toString: 1 });
  });
});
