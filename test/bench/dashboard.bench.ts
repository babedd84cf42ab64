import { computeDashboard } from '../../lib/dashboard/compute.ts';
import { renderDashboardHtml } from '../../lib/dashboard/render-html.ts';
import { renderTerminal } from '../../lib/dashboard/render-terminal.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { emptyState } from '../../lib/rollup/state-file.ts';
import type { State } from '../../schema/state.ts';
import { type Figure, timeMs } from './figure.ts';
import { syntheticObservations } from './rollup.bench.ts';

/** A state whose rollup has seen `events` events (the rollup bench's synthetic mix: 60 days, 30 capabilities). */
export function stateWith(events: number): State {
  const rollup = emptyRollup();
  for (const o of syntheticObservations(events)) add(rollup, o);
  return { ...emptyState(new Date('2026-11-24T03:00:00Z')), rollup, eventsSeen: events };
}

/**
 * Issue 5: the dashboard from a state with 10^6 events in ≤ 100 ms (compute: rollup → model, with
 * every interval and verdict). Also reported: the terminal and HTML renderings of that model.
 */
export function benchDashboard(runs = 30, events = 1_000_000): Figure[] {
  const state = stateWith(events);
  const now = new Date('2026-11-24T03:00:00Z');
  const compute = () =>
    computeDashboard(state.rollup, {
      now,
      health: {
        sources: state.sources,
        eventsSeen: state.eventsSeen,
        duplicates: 0,
        rejected: 0,
        hooks: null,
      },
    });
  compute(); // warm-up: JIT and the Chart.js read are not what a user waits for twice
  const model = compute();
  renderDashboardHtml(model, { title: 'bench' });
  const computeMs: number[] = [];
  const terminalMs: number[] = [];
  const htmlMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    computeMs.push(timeMs(compute));
    terminalMs.push(timeMs(() => renderTerminal(model, { color: false })));
    htmlMs.push(timeMs(() => renderDashboardHtml(model, { title: 'bench' })));
  }
  const scenario = 'dashboard';
  const of = `state with ${events.toLocaleString('en-US')} events`;
  return [
    {
      scenario,
      name: `compute the dashboard (${of})`,
      unit: 'ms',
      samples: computeMs,
      target: { op: '<=', value: 100 },
    },
    { scenario, name: `render the terminal text (${of})`, unit: 'ms', samples: terminalMs },
    { scenario, name: `render the HTML page (${of})`, unit: 'ms', samples: htmlMs },
  ];
}
