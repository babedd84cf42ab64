import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ledger } from '../../lib/hub/ledger.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import type { Observation } from '../../schema/observation.ts';
import type { Rollup } from '../../schema/rollup.ts';

function runs(n: number, capability = 'a.b'): Rollup {
  const r = emptyRollup();
  for (let i = 0; i < n; i++)
    add(r, { kind: 'task', capability, status: 'success', day: 20_400, attempt: 1 } satisfies Observation);
  return r;
}

test('selections: everything, one framework version, a window of days, and both', () => {
  const l = new Ledger(1);
  l.add({ project: 'p1', frameworkVersion: '3.7.0', day: 100, contribution: runs(1) });
  l.add({ project: 'p2', frameworkVersion: '3.7.0', day: 101, contribution: runs(2) });
  l.add({ project: 'p1', frameworkVersion: '3.8.0', day: 102, contribution: runs(4) });
  l.add({ project: 'p3', frameworkVersion: '3.8.0', day: 103, contribution: runs(8) });
  const tasks = (s: Parameters<Ledger['select']>[0]) => l.select(s).sum.tasks;
  assert.equal(tasks({}), 15);
  assert.equal(tasks({ framework: '3.7.0' }), 3);
  assert.equal(tasks({ framework: '3.9.0' }), 0);
  assert.equal(tasks({ sinceDay: 101 }), 14);
  assert.equal(tasks({ untilDay: 101 }), 3);
  assert.equal(tasks({ sinceDay: 101, untilDay: 102 }), 6);
  assert.equal(tasks({ framework: '3.8.0', untilDay: 102 }), 4);
  assert.equal(l.select({}).projects.size, 3);
  assert.equal(l.select({ framework: '3.8.0' }).projects.size, 2);
  assert.equal(l.select({ sinceDay: 102 }).submissions, 2);
  assert.deepEqual(l.versions().sort(), ['3.7.0', '3.8.0']);
});

test('a cached window is recomputed after the next contribution', () => {
  const l = new Ledger(1);
  l.add({ project: 'p1', frameworkVersion: '1', day: 5, contribution: runs(1) });
  assert.equal(l.select({ sinceDay: 5 }).sum.tasks, 1);
  l.add({ project: 'p2', frameworkVersion: '1', day: 6, contribution: runs(2) });
  assert.equal(l.select({ sinceDay: 5 }).sum.tasks, 3);
});

test('contributors are counted per cell across versions and days, capped at 2k', () => {
  const l = new Ledger(2);
  for (const [p, v, d] of [
    ['p1', '1', 1],
    ['p2', '1', 2],
    ['p2', '2', 3],
    ['p3', '2', 4],
    ['p4', '2', 4],
    ['p5', '2', 4],
  ] as const)
    l.add({ project: p, frameworkVersion: v, day: d, contribution: runs(1) });
  const key = 'c\u0000a.b';
  assert.equal(l.select({}).contributors(key), 4, 'capped at 2k = 4');
  assert.equal(l.select({ framework: '1' }).contributors(key), 2);
  assert.equal(l.select({ untilDay: 3 }).contributors(key), 2, 'p2 counts once over two days');
  assert.equal(l.select({ sinceDay: 3 }).contributors(key), 4);
});
