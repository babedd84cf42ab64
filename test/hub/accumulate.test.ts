import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { accumulate, accumulateShared, withdraw } from '../../lib/hub/accumulate.ts';
import { copy, isExtreme, isMapField } from '../../lib/hub/rollup-fields.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { merge } from '../../lib/rollup/merge.ts';
import { foldSeries } from '../../lib/rollup/series.ts';
import type { Rollup } from '../../schema/rollup.ts';
import { observation } from '../generators/observations.ts';

const rollup = fc.array(observation, { maxLength: 40 }).map((obs) => {
  const r = emptyRollup();
  for (const o of obs) add(r, o);
  return r;
});

test('accumulate(acc, x) is merge(acc, x): the hub adds in place what a project merges', () => {
  fc.assert(
    fc.property(fc.array(rollup, { minLength: 1, maxLength: 5 }), (rollups) => {
      const acc = emptyRollup();
      let merged = emptyRollup();
      for (const r of rollups) {
        accumulate(acc, r);
        merged = merge(merged, r);
      }
      assert.deepEqual(JSON.parse(JSON.stringify(acc)), JSON.parse(JSON.stringify(merged)));
    }),
    { numRuns: 60 },
  );
});

test('accumulate never changes the rollup it adds, nor shares its objects with the sum', () => {
  fc.assert(
    fc.property(rollup, rollup, (a, b) => {
      const before = JSON.stringify(b);
      const acc = accumulate(copy(a), b);
      assert.equal(JSON.stringify(b), before);
      accumulate(acc, acc === b ? emptyRollup() : copy(b));
      assert.equal(JSON.stringify(b), before);
    }),
    { numRuns: 40 },
  );
});

test('labels such as __proto__ and constructor from a stranger stay plain data', () => {
  const evil = JSON.parse(
    '{"tasks":1,"workflowRuns":0,"consultationCount":0,"firstDay":null,"lastDay":null,"capabilities":{},"workflows":{},"experts":{},"health":{},' +
      '"provided":{"quality":0,"patterns":0,"decisions":0,"security":0,"files":0,"calibration":0},"overflow":{"__proto__":{"polluted":1},"constructor":3}}',
  ) as Rollup;
  const acc = emptyRollup();
  accumulate(acc, evil);
  accumulate(acc, evil);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(acc.overflow), Object.prototype);
  assert.deepEqual(Object.keys(acc.overflow).sort(), ['__proto__', 'constructor']);
  assert.equal(acc.overflow.constructor, 6);
});

test('a label spelled like a field (max, min, lastDay) is added like any other count', () => {
  const r = emptyRollup();
  add(r, {
    kind: 'task',
    capability: 'max',
    status: 'failure',
    day: 20_400,
    attempt: 1,
    errorType: 'min',
    languages: ['lastDay'],
  });
  const acc = emptyRollup();
  accumulate(acc, r);
  accumulate(acc, r);
  accumulate(acc, r);
  assert.equal(acc.capabilities.max?.runs, 3);
  assert.equal(acc.capabilities.max?.errors.min, 3);
  assert.equal(acc.capabilities.max?.languages.lastDay, 3);
});

test('accumulateShared adds like accumulate, and no sum or delta ever sees another one change', () => {
  fc.assert(
    fc.property(fc.array(rollup, { minLength: 1, maxLength: 6 }), (rollups) => {
      const frozen = rollups.map((r) => JSON.stringify(r));
      // Three sums fed the same deltas, as the hub's ledger does, and a fourth fed the live first.
      const sums = [emptyRollup(), emptyRollup(), emptyRollup()];
      const copies = [emptyRollup(), emptyRollup(), emptyRollup()];
      const ofLive = emptyRollup();
      for (const [i, r] of rollups.entries()) {
        for (const [j, sum] of sums.entries()) {
          accumulateShared(sum, r);
          accumulate(copies[j] as Rollup, r);
        }
        if (i % 2 === 1) {
          const seen = JSON.stringify(sums[0]);
          accumulateShared(ofLive, sums[0] as Rollup);
          assert.equal(JSON.stringify(sums[0]), seen, 'absorbing a live sum leaves it as it was');
        }
      }
      assert.deepEqual(
        rollups.map((r) => JSON.stringify(r)),
        frozen,
        'deltas never change',
      );
      for (const [j, sum] of sums.entries())
        assert.deepEqual(JSON.parse(JSON.stringify(sum)), JSON.parse(JSON.stringify(copies[j])));
      // The same delta twice into one sum counts twice.
      const twice = emptyRollup();
      accumulateShared(twice, rollups[0] as Rollup);
      accumulateShared(twice, rollups[0] as Rollup);
      const expected = accumulate(accumulate(emptyRollup(), rollups[0] as Rollup), rollups[0] as Rollup);
      assert.deepEqual(JSON.parse(JSON.stringify(twice)), JSON.parse(JSON.stringify(expected)));
    }),
    { numRuns: 60 },
  );
});

/** Like the hub's contributions (exports): weekly series only, no days. */
const weekly = rollup.map((r) => {
  for (const section of [r.capabilities, r.workflows, r.experts])
    for (const cell of Object.values(section)) foldSeries(cell.series, 1_000_000);
  return r;
});

/**
 * `got` after a withdrawal against `want`, what the sum would be without the withdrawn part:
 * every counter equal (0 where `want` lacks it), every extreme equal or unknown (null).
 */
function assertWithdrawn(got: unknown, want: unknown, field: string, inMap: boolean, at: string): void {
  if (got === null || typeof got === 'number') {
    if (isExtreme(field, inMap)) {
      if (got !== null) assert.equal(got, want ?? null, `${at}: an extreme either stays or becomes null`);
    } else assert.equal(got, want ?? 0, `${at}: counters are exact`);
    return;
  }
  if (Array.isArray(got)) {
    got.forEach((x, i) => {
      assert.equal(x, (want as number[] | undefined)?.[i] ?? 0, `${at}/${i}`);
    });
    return;
  }
  const g = got as Record<string, unknown>;
  const w = (want ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(w)) assert.ok(Object.hasOwn(g, k), `${at}/${k} is still there`);
  const map = isMapField(field, inMap);
  for (const k of Object.keys(g))
    assertWithdrawn(g[k], Object.hasOwn(w, k) ? w[k] : undefined, k, map, `${at}/${k}`);
}

test('withdraw(a + b, b) has the counters of a, and each extreme of a or null; nothing else moves', () => {
  fc.assert(
    fc.property(fc.array(weekly, { minLength: 1, maxLength: 4 }), weekly, (others, gone) => {
      // As in the ledger: sums share the deltas' objects, and the deltas must not change.
      const frozen = [...others, gone].map((r) => JSON.stringify(r));
      const sum = emptyRollup();
      for (const r of others) accumulateShared(sum, r);
      accumulateShared(sum, gone);
      withdraw(sum, accumulate(emptyRollup(), gone));
      assert.deepEqual(
        [...others, gone].map((r) => JSON.stringify(r)),
        frozen,
      );
      const want = emptyRollup();
      for (const r of others) accumulate(want, r);
      assertWithdrawn(JSON.parse(JSON.stringify(sum)), JSON.parse(JSON.stringify(want)), '', false, '');
    }),
    { numRuns: 80 },
  );
});
