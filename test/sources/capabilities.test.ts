import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { decodeRuns, MAX_EXACT_RUNS } from '../../lib/sources/ema-decode.ts';
import { CapabilitySim } from '../generators/gen.ts';
import { Rng } from '../generators/prng.ts';
import { dumps } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

/** Brute force, independent of the reader's search: every outcome string, simulated forward. */
function bruteForce(before: number, after: number, k: number): Set<number> {
  const counts = new Set<number>();
  for (let m = 0; m < 1 << k; m++) {
    let x = before;
    for (let j = k - 1; j >= 0; j--) x = 0.9 * x + 0.1 * ((m >> j) & 1);
    if (Math.abs(x - after) < 1e-12) counts.add(m.toString(2).split('1').length - 1);
  }
  return counts;
}

function registry(caps: CapabilitySim[]): string {
  return dumps({ version: '1.0', hardware_profile: 'workstation', metrics: caps.map((c) => c.json()) }, 2);
}

describe('capability registry reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('recovers the outcomes of up to 30 runs from the success-rate average exactly', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 40; trial++) {
      const k = rng.int(1, trial < 30 ? 12 : MAX_EXACT_RUNS);
      const c = new CapabilitySim('a.b', 'a');
      const before = c.successRate;
      const outcomes: boolean[] = [];
      for (let i = 0; i < k; i++) {
        const ok = rng.chance(0.7);
        outcomes.push(ok);
        c.update(ok, 1, undefined);
      }
      const r = decodeRuns(before, c.successRate, k);
      assert.equal(r.exact, true, `k=${k}`);
      assert.equal(r.successes, c.successes, `k=${k}`);
      if (r.outcomes) assert.deepEqual(r.outcomes, outcomes);
      if (k <= 12) assert.deepEqual([...bruteForce(before, c.successRate, k)], [c.successes]);
    }
    // Beyond what floating point can separate: an estimate from the average, flagged as such.
    const r = decodeRuns(0.5, 0.8, 40);
    assert.deepEqual(r, {
      successes: Math.round(40 * ((0.8 - 0.9 ** 40 * 0.5) / (1 - 0.9 ** 40))),
      exact: false,
    });
  });

  it('first scan reports every run so far; later scans the usage_count delta, with exact duration and quality for one run', async () => {
    const cap = new CapabilitySim('implementer.write_code', 'implementer');
    const idle = new CapabilitySim('documenter.generate_docs', 'documenter');
    for (const ok of [true, false, true, true]) cap.update(ok, 2, 0.8);
    t.write('capabilities/capabilities.json', registry([cap, idle]));
    const first = await collect(t.dir, {}, { stores: ['capabilities'] });
    assert.deepEqual(
      first.tasks.map((e) => [
        e.id,
        e.agent,
        e.action,
        e.status,
        (e.metadata as { inferred: string }).inferred,
      ]),
      [
        ['cap:implementer.write_code:0:1', 'implementer', 'write-code', 'success', 'exact'],
        ['cap:implementer.write_code:0:2', 'implementer', 'write-code', 'failure', 'exact'],
        ['cap:implementer.write_code:0:3', 'implementer', 'write-code', 'success', 'exact'],
        ['cap:implementer.write_code:0:4', 'implementer', 'write-code', 'success', 'exact'],
      ],
    );
    cap.update(false, 12.5, 0.3);
    t.write('capabilities/capabilities.json', registry([cap, idle]));
    const second = await collect(t.dir, first.checkpoints, { stores: ['capabilities'] });
    assert.deepEqual(
      second.tasks.map((e) => [e.id, e.status, e.durationMs, e.qualityScore]),
      [['cap:implementer.write_code:0:5', 'failure', 12500, 30]],
    );
    assert.equal(emittedCount(await collect(t.dir, second.checkpoints, { stores: ['capabilities'] })), 0);
  });

  it('counts only the runs beyond those other stores reported for the same capability in the run', async () => {
    const d = new TempTapps();
    try {
      const cap = new CapabilitySim('implementer.write_code', 'implementer');
      for (const ok of [true, false, true, true]) cap.update(ok, 2, 0.8);
      d.write('capabilities/capabilities.json', registry([cap]));
      // Three of the four learner calls were for steps the execution metrics report (2 ok, 1 failed).
      const exec = (step: string, status: string) =>
        dumps({
          execution_id: `e-${step}`,
          workflow_id: 'rapid-dev-20261002-121204',
          step_id: step,
          command: 'write_code',
          status,
          duration_ms: 10.5,
          started_at: '2026-10-02T19:12:04.100000+00:00',
          retry_count: 0,
          completed_at: '2026-10-02T19:12:05.100000+00:00',
          error_message: null,
          skill: 'implementer',
          gate_pass: null,
        });
      d.write(
        'metrics/executions_2026-10-02.jsonl',
        `${exec('a', 'success')}\n${exec('b', 'failed')}\n${exec('c', 'success')}\n`,
      );
      const first = await collect(d.dir, {}, { stores: ['executions', 'capabilities'] });
      assert.deepEqual(
        first.tasks.filter((e) => e.source === 'capabilities').map((e) => [e.id, e.status]),
        [['cap:implementer.write_code:0:4', 'success']],
      );
      assert.equal(first.tasks.length, 4);
      // A later learner call no store reports: a run of its own.
      cap.update(false, 3, undefined);
      d.write('capabilities/capabilities.json', registry([cap]));
      const second = await collect(d.dir, first.checkpoints, { stores: ['executions', 'capabilities'] });
      assert.deepEqual(
        second.tasks.map((e) => [e.id, e.status]),
        [['cap:implementer.write_code:0:5', 'failure']],
      );
    } finally {
      d.remove();
    }
  });

  it('starts a new generation when the registry was reset (usage_count went down)', async () => {
    const first = await collect(t.dir, {}, { stores: ['capabilities'] });
    const fresh = new CapabilitySim('implementer.write_code', 'implementer');
    fresh.update(true, 1, undefined);
    t.write('capabilities/capabilities.json', registry([fresh]));
    const c = await collect(t.dir, first.checkpoints, { stores: ['capabilities'] });
    assert.deepEqual(
      c.tasks.map((e) => [e.id, e.status]),
      [['cap:implementer.write_code:1:1', 'success']],
    );
  });

  it('leaves a registry that is mid-write for the next run and reports a broken one once', async () => {
    t.write('capabilities/capabilities.json', '{"version": "1.0", "metrics": [');
    const young = await collect(t.dir, {}, { stores: ['capabilities'] });
    assert.equal(young.stats.capabilities.skipped, 0);
    assert.equal(young.checkpoints.files?.['capabilities/capabilities.json'], undefined);
    const old = await collect(t.dir, {}, { stores: ['capabilities'], now: () => Date.now() + 60_000 });
    assert.deepEqual(old.stats.capabilities.problems, [
      { path: 'capabilities/capabilities.json', reason: 'not valid JSON' },
    ]);
  });
});
