import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as v from 'valibot';
import { buildExport } from '../../lib/export/build.ts';
import { applyKThreshold } from '../../lib/privacy/threshold.ts';
import { OTHER } from '../../lib/rollup/limits.ts';
import { ExportV1 } from '../../schema/export-v1.ts';
import type { Observation, TaskObservation } from '../../schema/observation.ts';
import { events, rollupOf } from './export-events.ts';

const build = (rollup: Parameters<typeof buildExport>[0], k: number) =>
  buildExport(rollup, {
    now: new Date('2026-11-24T03:00:00Z'),
    projectId: 'p_0123456789abcdef',
    producerVersion: '0.1.0',
    frameworkVersion: '3.6.3',
    k,
  });

type Task = TaskObservation;

/**
 * "Rests on": the number of distinct runs (tasks, workflow runs, consultations) that contributed
 * to an exported cell, computed from the observations themselves, not from the rollup.
 */
function oracle(observations: readonly Observation[]) {
  const tasks = observations.filter((o): o is Task => o.kind === 'task');
  const runsOf = (cap: string) => tasks.filter((t) => t.capability === cap).length;
  const tasksWith = (cap: string, has: (t: Task) => boolean) =>
    tasks.filter((t) => t.capability === cap && has(t)).length;
  return { runsOf, tasksWith };
}

describe('k-threshold (lib/privacy/threshold.ts)', () => {
  it('property: no exported cell rests on fewer than k runs, and no label appears beside a capability below k', () => {
    const runs = 1000;
    let cellsChecked = 0;
    let suppressed = 0;
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 12 }), (list, k) => {
        const { rollup, observations } = rollupOf(list);
        const doc = build(rollup, k);
        assert.ok(v.is(ExportV1, doc));
        const { runsOf, tasksWith } = oracle(observations);
        const atLeastK = (n: number, where: string) => {
          cellsChecked++;
          assert.ok(n >= k, `${where} rests on ${n} < k=${k} runs`);
        };
        const exported = new Set(doc.capabilities.items.map((c) => c.name));
        suppressed += doc.metadata.privacy.suppressedCells;

        for (const c of doc.capabilities.items) {
          atLeastK(c.runs, `capability ${c.name}`);
          if (c.name !== OTHER) assert.equal(c.runs, runsOf(c.name), `${c.name}: runs are the true runs`);
          for (const [w, cell] of Object.entries(c.weeks)) atLeastK(cell[0], `${c.name} week ${w}`);
          assert.ok(!Object.hasOwn(c.languages, OTHER), 'several languages per run: no __other__ sum');
          for (const [lang, n] of Object.entries(c.languages)) {
            atLeastK(n, `${c.name} language ${lang}`);
            if (c.name !== OTHER)
              assert.equal(
                n,
                tasksWith(c.name, (t) => t.languages?.includes(lang) === true),
              );
          }
          for (const [name, [, n]] of Object.entries(c.subScores)) atLeastK(n, `${c.name} sub-score ${name}`);
        }
        for (const w of doc.workflows.items) {
          atLeastK(w.runs, `workflow ${w.type}`);
          for (const [week, cell] of Object.entries(w.weeks)) atLeastK(cell[0], `${w.type} week ${week}`);
          for (const [label, n] of Object.entries({ ...w.outcomes, ...w.errors }))
            atLeastK(n, `${w.type} ${label}`);
          for (const [cap, n] of Object.entries(w.stepFailures)) {
            atLeastK(n, `${w.type} step failures of ${cap}`);
            if (cap !== OTHER) atLeastK(runsOf(cap), `capability ${cap} named in step failures`);
          }
        }
        for (const e of doc.experts.items) {
          atLeastK(e.consultations, `expert domain ${e.domain}`);
          for (const [week, cell] of Object.entries(e.weeks)) atLeastK(cell[0], `${e.domain} week ${week}`);
          for (const [label, n] of Object.entries({ ...e.experts, ...e.selectionReasons, ...e.askedBy }))
            atLeastK(n, `${e.domain} ${label}`);
          for (const [decile, [n]] of Object.entries(e.calibration))
            atLeastK(n, `${e.domain} decile ${decile}`);
        }
        const counted = [
          ...doc.patterns.items.map((i) => ({
            ...i,
            label: i.type,
            has: (t: Task) => t.patterns?.includes(i.type) === true,
          })),
          ...doc.decisions.items.map((i) => ({
            ...i,
            label: i.kind,
            has: (t: Task) => t.decision === i.kind,
          })),
          ...doc.security.items.map((i) => ({
            ...i,
            label: i.rule,
            has: (t: Task) =>
              t.security?.some((f) => f.rule === i.rule && f.severity === i.severity) === true,
          })),
          ...doc.failures.items.map((i) => ({
            ...i,
            label: i.errorType,
            has: (t: Task) => t.status === 'failure' && t.errorType === i.errorType,
          })),
        ];
        for (const i of counted) {
          atLeastK(i.count, `${i.capability} ${i.label}`);
          assert.ok(exported.has(i.capability), `${i.capability} ${i.label}: its capability is exported`);
          if (i.capability !== OTHER && i.label !== OTHER)
            assert.equal(
              i.count,
              tasksWith(i.capability, i.has),
              `${i.capability} ${i.label}: a count is a number of runs`,
            );
        }
        return true;
      }),
      { numRuns: runs, seed: Number(process.env.FC_SEED ?? 20_261_124) },
    );
    console.log(
      `k-threshold property: ${runs} random projects, ${cellsChecked} exported cells each on >= k runs, ${suppressed} cells suppressed`,
    );
  });

  it('folds capabilities below k into __other__ and renames their count cells, counting each suppression', () => {
    const item = (name: string, runs: number) => ({ name, runs }) as never;
    const doc = {
      capabilities: { items: [item('a', 10), item('b', 3), item('c', 3)] },
      workflows: { items: [] },
      experts: { items: [] },
      patterns: { items: [] },
      decisions: {
        items: [
          { capability: 'b', kind: 'x', count: 3 },
          { capability: 'c', kind: 'x', count: 3 },
          { capability: 'a', kind: 'y', count: 2 },
          { capability: 'a', kind: 'z', count: 4 },
        ],
      },
      security: {
        items: [
          { capability: 'a', rule: 'B105', severity: 'high', count: 6 },
          { capability: 'a', rule: 'B105', severity: 'low', count: 6 },
          { capability: 'a', rule: 'B608', severity: 'low', count: 2 },
        ],
      },
      failures: { items: [] },
    };
    const stub = (i: { name: string; runs: number }) => ({
      ...i,
      successes: i.runs,
      weeks: {},
      languages: {},
      subScores: {},
    });
    doc.capabilities.items = doc.capabilities.items.map(stub as never);
    const { doc: out, suppressedCells } = applyKThreshold(doc as never, 5) as unknown as {
      doc: typeof doc;
      suppressedCells: number;
    };
    assert.deepEqual(
      out.capabilities.items.map((c: { name: string; runs: number }) => [c.name, c.runs]),
      [
        ['a', 10],
        [OTHER, 6],
      ],
    );
    // b and c merge as (__other__, x) = 6 runs: kept; y (2) and z (4) fold into (a, __other__) = 6.
    assert.deepEqual(out.decisions.items, [
      { capability: OTHER, kind: 'x', count: 6 },
      { capability: 'a', kind: OTHER, count: 6 },
    ]);
    // Severities are kept apart; a small rule is dropped (a run may carry several findings).
    assert.deepEqual(out.security.items, [
      { capability: 'a', rule: 'B105', severity: 'high', count: 6 },
      { capability: 'a', rule: 'B105', severity: 'low', count: 6 },
    ]);
    assert.equal(suppressedCells, 2 + 2 + 1);
  });
});
