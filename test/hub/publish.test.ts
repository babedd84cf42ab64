import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as v from 'valibot';
import { Ledger } from '../../lib/hub/ledger.ts';
import { publish } from '../../lib/hub/publish.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import type { Observation } from '../../schema/observation.ts';
import type { Rollup } from '../../schema/rollup.ts';
import { Rollup as RollupSchema } from '../../schema/rollup.ts';

function rollupOf(obs: readonly Observation[]): Rollup {
  const r = emptyRollup();
  for (const o of obs) add(r, o);
  return r;
}

const task = (capability: string, errorType?: string): Observation => ({
  kind: 'task',
  capability,
  status: errorType ? 'failure' : 'success',
  day: 20_400,
  attempt: 1,
  ...(errorType ? { errorType } : {}),
});

test('a cell is published only when at least k distinct projects contributed, and withheld cells are counted', () => {
  const l = new Ledger(3);
  // shared.cap: 3 projects; rare.cap: 2 projects; TimeoutError under shared.cap: 2 projects.
  l.add({
    project: 'p1',
    frameworkVersion: '1.0',
    day: 1,
    contribution: rollupOf([task('shared.cap'), task('rare.cap'), task('shared.cap', 'TimeoutError')]),
  });
  l.add({
    project: 'p2',
    frameworkVersion: '1.0',
    day: 1,
    contribution: rollupOf([task('shared.cap'), task('rare.cap'), task('shared.cap', 'TimeoutError')]),
  });
  l.add({
    project: 'p3',
    frameworkVersion: '1.0',
    day: 1,
    contribution: rollupOf([task('shared.cap'), task('shared.cap', 'ValueError')]),
  });
  // The same project again adds runs, not contributors.
  l.add({ project: 'p1', frameworkVersion: '1.0', day: 2, contribution: rollupOf([task('rare.cap')]) });
  const s = l.select({});
  const { rollup, withheld } = publish(s.sum, (k) => s.contributors(k), 3);
  assert.deepEqual(Object.keys(rollup.capabilities), ['shared.cap']);
  assert.equal(rollup.capabilities['shared.cap']?.runs, 6);
  assert.deepEqual(rollup.capabilities['shared.cap']?.errors, {});
  assert.equal(withheld.byKind.capabilities, 1);
  assert.equal(withheld.byKind.errorTypes, 2);
  assert.equal(
    withheld.cells,
    Object.values(withheld.byKind).reduce((a, b) => a + (b ?? 0), 0),
  );
  assert.ok(v.is(RollupSchema, rollup), 'the published rollup is a valid rollup');
  assert.equal(rollup.tasks, 9, 'totals rest on all 3 projects');
});

test('with fewer than k projects in all, nothing is published', () => {
  const l = new Ledger(5);
  for (const p of ['a', 'b', 'c', 'd'])
    l.add({ project: p, frameworkVersion: '1.0', day: 1, contribution: rollupOf([task('x.y')]) });
  const s = l.select({});
  const { rollup, withheld } = publish(s.sum, (k) => s.contributors(k), 5);
  assert.deepEqual(rollup, emptyRollup());
  assert.equal(withheld.byKind.total, 1);
});

test('whatever the contributions, the published rollup is valid and every published cell has k projects', () => {
  // Labels spelled like fields; (lib/rollup add() cannot take `constructor`, so exports test that one.)
  const label = fc.constantFrom('a.b', 'c.d', 'max', 'security', 'bins');
  const obs = fc.record({
    capability: label,
    errorType: fc.option(fc.constantFrom('E1', 'E2', 'min'), { nil: undefined }),
    day: fc.integer({ min: 20_000, max: 20_030 }),
  });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.array(obs, { maxLength: 6 })), { maxLength: 25 }),
      fc.integer({ min: 1, max: 4 }),
      (entries, k) => {
        const l = new Ledger(k);
        const perCap = new Map<string, Set<number>>();
        for (const [p, list] of entries) {
          const r = rollupOf(list.map((o) => ({ ...task(o.capability, o.errorType), day: o.day })));
          for (const o of list) perCap.set(o.capability, (perCap.get(o.capability) ?? new Set()).add(p));
          l.add({ project: `p${p}`, frameworkVersion: '1.0', day: 1, contribution: r });
        }
        const s = l.select({});
        const { rollup } = publish(s.sum, (key) => s.contributors(key), k);
        assert.ok(v.is(RollupSchema, rollup));
        const projects = new Set(entries.filter(([, list]) => list.length > 0).map(([p]) => p)).size;
        for (const name of Object.keys(rollup.capabilities))
          assert.ok((perCap.get(name)?.size ?? 0) >= k, name);
        for (const [name, ps] of perCap)
          if (ps.size >= k && projects >= k) assert.ok(Object.hasOwn(rollup.capabilities, name), name);
      },
    ),
    { numRuns: 100 },
  );
});

test('negative sums from a date window are shown as zero, never below', () => {
  const r = rollupOf([task('a.b', 'E1')]);
  const negative = JSON.parse(JSON.stringify(r)) as Rollup;
  (negative.capabilities['a.b'] as { runs: number }).runs = -2;
  negative.tasks = -1;
  const { rollup } = publish(negative, () => 9, 1);
  assert.equal(rollup.tasks, 0);
  assert.equal(rollup.capabilities['a.b']?.runs, 0);
});
