import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDashboard } from '../../lib/dashboard/compute.ts';
import { renderTerminal, TERMINAL_WIDTH, visibleLength } from '../../lib/dashboard/render-terminal.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { addCalibration, eventsRollup, rng, SAMPLE_PROJECT, START_DAY } from './projects.ts';

const NOW = new Date('2026-11-24T03:00:00Z');
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
const ANSI = /\u001b\[/;

function sample() {
  const r = eventsRollup(SAMPLE_PROJECT, 4);
  addCalibration(r, 'security', 300, 0.2, rng(9));
  r.health['event-log'] = { records: 170, skipped: 2, lastDay: START_DAY + 59 };
  return computeDashboard(r, {
    now: NOW,
    health: { hooks: { file: 'present', collector: false, events: [] } },
  });
}

describe('the terminal dashboard', () => {
  it('starts with the verdict and its reason, then the tables', () => {
    const text = renderTerminal(sample(), { color: false });
    const lines = text.split('\n');
    assert.equal(lines[0], 'Learning: LEARNING ACTIVE');
    assert.match(
      lines[1] ?? '',
      /^ {2}improving: implementer\.implement \(success \+\d+\.\d pts over 59 days\)/,
    );
    const order = [
      'Capabilities',
      'Learning trends',
      'Failures by error type (all time)',
      'Workflows (all time)',
      'Retries (all time)',
      'Security findings',
      'Experts',
      'Expert calibration',
      'Store health',
    ];
    const at = order.map((h) => lines.indexOf(h));
    assert.ok(
      at.every((i, k) => i > 0 && (k === 0 || i > (at[k - 1] as number))),
      JSON.stringify(at),
    );
    assert.ok(text.includes('experts in security are over-confident'));
    assert.ok(text.includes('collector hook not installed'));
    assert.match(text, /implementer\.implement +improving +[▁▂▃▄▅▆▇█ ]{16}/);
  });

  it('fits 80 columns and has no ANSI codes without colour', () => {
    const text = renderTerminal(sample(), { color: false });
    assert.ok(!ANSI.test(text));
    for (const line of text.split('\n'))
      assert.ok(visibleLength(line) <= TERMINAL_WIDTH, `${visibleLength(line)}: ${line}`);
  });

  it('colours only when asked, and still fits 80 columns', () => {
    const text = renderTerminal(sample(), { color: true });
    assert.ok(ANSI.test(text));
    for (const line of text.split('\n')) assert.ok(visibleLength(line) <= TERMINAL_WIDTH, line);
  });

  it('wraps long labels instead of widening the table', () => {
    const r = emptyRollup();
    const long = `implementer.p_${'0123456789abcdef'}`;
    for (let i = 0; i < 30; i++)
      add(r, {
        kind: 'task',
        capability: long,
        status: 'failure',
        day: START_DAY + (i % 3),
        attempt: 1,
        errorType: 'p_fedcba9876543210',
      });
    const text = renderTerminal(computeDashboard(r, { now: NOW }), { color: false });
    for (const line of text.split('\n')) assert.ok(visibleLength(line) <= TERMINAL_WIDTH, line);
    assert.ok(text.includes('implementer.p_0123456789abcd'));
  });

  it('an empty project says what to do', () => {
    const text = renderTerminal(
      computeDashboard(emptyRollup(), {
        now: NOW,
        health: { hooks: { file: 'missing', collector: false, events: [] } },
      }),
      {
        color: false,
      },
    );
    assert.match(
      text,
      /^Learning: NOT RECORDED\n {2}no task recorded yet: the collector hook is not installed/,
    );
    assert.ok(text.includes('no store read yet (run: tapps-agents learning collect)'));
  });
});
