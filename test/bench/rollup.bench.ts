import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { produceExport } from '../../lib/export/produce.ts';
import { resolveOptions } from '../../lib/options.ts';
import { EMPTY_IDENTITY } from '../../lib/privacy/identity.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { emptyState, encodeState } from '../../lib/rollup/state-file.ts';
import type { Observation } from '../../schema/observation.ts';
import type { Rollup } from '../../schema/rollup.ts';
import { type Figure, timeMsAsync } from './figure.ts';

const CAPS = [
  'implementer.implement',
  'implementer.write-code',
  'reviewer.review-code',
  'tester.write-tests',
  'planner.create-stories',
  'debugger.analyze-error',
  'enhancer.enhance-prompt',
  'architect.design-system',
  'analyst.gather-requirements',
  'orchestrator.finalize',
];

/** Synthetic observations: 10 capabilities (+ some pseudonymous ones), 60 days, realistic fields. */
export function* syntheticObservations(n: number, seed = 1): Generator<Observation> {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const day0 = 20_300;
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.85) {
      const ok = rand() < 0.8;
      yield {
        kind: 'task',
        capability:
          rand() < 0.95 ? (CAPS[i % CAPS.length] as string) : `p_${(i % 3).toString(16).padStart(16, '0')}`,
        status: ok ? 'success' : 'failure',
        day: day0 + Math.floor((i / n) * 60),
        attempt: rand() < 0.1 ? 2 : 1,
        durationMs: 100 + rand() * 60_000,
        quality: rand() * 100,
        ...(ok
          ? {}
          : { errorType: ['TimeoutError', 'ValueError', 'timeout', 'RuntimeError'][i % 4] as string }),
        workflowType: ['rapid-dev', 'fix', 'full-sdlc'][i % 3] as string,
      };
    } else if (r < 0.9) {
      yield {
        kind: 'workflow',
        workflowType: ['rapid-dev', 'fix', 'full-sdlc'][i % 3] as string,
        outcome: rand() < 0.7 ? 'completed' : 'failed',
        day: day0 + Math.floor((i / n) * 60),
        durationMs: rand() * 600_000,
        stepsTotal: 5,
        stepsCompleted: 4,
      };
    } else {
      yield {
        kind: 'consultation',
        domain: ['security', 'performance-optimization', 'testing-strategies'][i % 3] as string,
        expert: 'expert-security',
        confidence: rand() * 100,
        day: day0 + Math.floor((i / n) * 60),
        meetsThreshold: rand() < 0.6,
      };
    }
  }
}

/** Per-event rollup update time (µs), from batches of 1,000 events over 10^6 events. */
export function benchRollupUpdate(events = 1_000_000): Figure {
  const obs = [...syntheticObservations(events)];
  const r = emptyRollup();
  const samples: number[] = [];
  const batch = 1000;
  for (let i = 0; i < obs.length; i += batch) {
    const t = process.hrtime.bigint();
    for (let j = i; j < i + batch && j < obs.length; j++) add(r, obs[j] as Observation);
    samples.push(Number(process.hrtime.bigint() - t) / 1e3 / batch);
  }
  return {
    scenario: 'rollup',
    name: 'update per event (10^6 events, batches of 1,000)',
    unit: 'µs',
    samples,
    target: { op: '<=', value: 5 },
  };
}

function rollupWith(events: number): Rollup {
  const r = emptyRollup();
  for (const o of syntheticObservations(events)) add(r, o);
  return r;
}

/** Export (build, gate, schema, serialize, gate on the bytes) with 10^3 and 10^6 events in the state. */
export async function benchExport(runs = 15): Promise<Figure[]> {
  const figures: Figure[] = [];
  const projectRoot = mkdtempSync(join(tmpdir(), 'bench-export-'));
  const sizes: Record<string, number> = {};
  for (const events of [1_000, 1_000_000]) {
    const state = { ...emptyState(new Date()), rollup: rollupWith(events), eventsSeen: events };
    sizes[String(events)] = encodeState(state).byteLength;
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      samples.push(
        await timeMsAsync(() =>
          produceExport(state, {
            format: 'json',
            gzip: true,
            now: new Date(),
            projectId: 'p_0000000000000001',
            options: resolveOptions(undefined, undefined),
            projectRoot,
            identity: EMPTY_IDENTITY,
          }),
        ),
      );
    }
    figures.push({
      scenario: 'export',
      name: `export in-process, ${events.toLocaleString('en')} events in state`,
      unit: 'ms',
      samples,
      target: { op: '<=', value: 50 },
    });
  }
  for (const [events, bytes] of Object.entries(sizes))
    figures.push({
      scenario: 'export',
      name: `state file size, ${Number(events).toLocaleString('en')} events`,
      unit: 'KB',
      samples: [bytes / 1024],
    });
  return figures;
}
