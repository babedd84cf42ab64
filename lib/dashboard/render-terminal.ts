import Table from 'cli-table3';
import pc from 'picocolors';
import type { CapabilityReport, Dashboard } from '../../schema/dashboard.ts';
import {
  formatCount,
  formatDuration,
  formatFraction,
  formatPercent,
  formatRate,
  formatScore,
  formatVerdict,
} from './format.ts';
import { pooledRates, sparkline } from './sparkline.ts';

export interface TerminalOptions {
  /** ANSI colours (only on a TTY with NO_COLOR unset: the caller decides). */
  color: boolean;
}

/** Every line fits this many columns. */
export const TERMINAL_WIDTH = 80;
/** Rows per table beyond which the terminal points to --json (which is never cut). */
const MAX_ROWS = 40;
const SPARK = 16;

type Colors = ReturnType<typeof pc.createColors>;

/**
 * The dashboard as text for an 80-column terminal: the verdict first, then tables and sparklines.
 * Pure; long tables show their first rows and say how many more `--json` holds.
 */
export function renderTerminal(d: Dashboard, o: TerminalOptions): string {
  const c = pc.createColors(o.color);
  const out: string[] = [];
  const line = (text = '', indent = 0) => out.push(...wrap(text, TERMINAL_WIDTH, indent));
  const heading = (text: string) => {
    out.push('');
    out.push(c.bold(text));
  };

  const v = d.verdict;
  const paint = v.status === 'learning-active' ? c.green : v.status === 'stalled' ? c.yellow : c.cyan;
  out.push(...wrap(`${c.bold('Learning:')} ${c.bold(paint(formatVerdict(v.status)))}`, TERMINAL_WIDTH, 0));
  line(v.reason, 2);
  for (const note of v.notes) line(`! ${note}`, 4);
  line();
  const period = d.period.firstDay
    ? `${d.period.firstDay} … ${d.period.lastDay} (${formatCount(d.period.days)} days)`
    : 'no data yet';
  line(
    `${period} · ${formatCount(d.totals.tasks)} tasks · ${formatCount(d.totals.workflowRuns)} workflow runs · ` +
      `${formatCount(d.totals.consultations)} consultations`,
  );
  if (d.filter.capability || d.filter.since) {
    const parts = [
      d.filter.capability ? `capability ${d.filter.capability}` : '',
      d.filter.since ? `since ${d.filter.since}` : '',
    ];
    line(`Filter: ${parts.filter(Boolean).join(', ')}`);
    if (d.filter.since)
      line('(durations, quality quantiles, failures, security and calibration are all-time figures)', 2);
  }

  if (d.capabilities.length > 0) {
    heading('Capabilities');
    line('success: successes / (successes + failures), 95% Wilson interval; quality 0-100 (mean)', 2);
    out.push(
      table(
        ['capability', 'runs', 'success', 'qual.', 'p50', 'p95'],
        [26, 9, 15, 7, 7, 7],
        ['left', 'right', 'left', 'right', 'right', 'right'],
        d.capabilities.map((k) => [
          k.name,
          formatCount(k.runs),
          formatRate(k.successRate),
          formatScore(k.quality.mean),
          formatDuration(k.durationMs.p50),
          formatDuration(k.durationMs.p95),
        ]),
      ),
    );
    more(out, d.capabilities.length);

    heading('Learning trends');
    line(
      `daily success rate; ${Math.round(d.method.trendConfidence * 100)}% intervals; a verdict needs ` +
        `${d.method.minRunsPerWindow} runs in the first and in the last third of the days`,
      2,
    );
    for (const k of d.capabilities.slice(0, MAX_ROWS)) {
      const name = k.name.length > 29 ? k.name : k.name.padEnd(29);
      const verdict = verdictCell(c, k.verdict.verdict);
      line(
        `${name} ${verdict}${' '.repeat(Math.max(1, 17 - verdictText(k.verdict.verdict).length))}${sparkOf(k)}`,
        2,
      );
      line(`success: ${k.successTrend.summary}`, 6);
      if (k.qualityTrend.n > 0) line(`quality: ${k.qualityTrend.summary}`, 6);
    }
    more(out, d.capabilities.length);
  }

  failures(d, out, c, heading, line);
  sections(d, out, heading, line);
  experts(d, out, c, heading, line);
  health(d, out, c, heading, line);
  out.push('');
  return `${out.join('\n')}\n`;
}

function failures(
  d: Dashboard,
  out: string[],
  _c: Colors,
  heading: (t: string) => void,
  line: (t?: string, i?: number) => void,
) {
  const f = d.failures;
  if (f.byCapability.length > 0) {
    heading('Failures by error type (all time)');
    const rows: string[][] = [];
    for (const k of f.byCapability) {
      k.errors.slice(0, 3).forEach((e, i) => {
        rows.push([
          i === 0 ? k.capability : '',
          e.errorType,
          formatCount(e.count),
          formatPercent(e.share),
          e.hint,
        ]);
      });
      if (k.errors.length === 0) rows.push([k.capability, '(no type)', formatCount(k.failures), '', '']);
      if (k.errors.length > 3) rows.push(['', `+${k.errors.length - 3} more types`, '', '', 'see --json']);
    }
    out.push(
      table(
        ['capability', 'error type', 'count', 'share', 'how to prevent'],
        [19, 16, 9, 7, 23],
        ['left', 'left', 'right', 'right', 'left'],
        rows,
      ),
    );
    more(out, rows.length);
  }
  if (f.workflows.length > 0) {
    heading('Workflows (all time)');
    out.push(
      table(
        ['workflow', 'runs', 'completed', 'failing steps'],
        [20, 8, 16, 31],
        ['left', 'right', 'left', 'left'],
        f.workflows.map((w) => [
          w.type,
          formatCount(w.runs),
          formatRate(w.completed),
          w.failingSteps.length === 0
            ? '–'
            : w.failingSteps
                .slice(0, 3)
                .map((s) => `${s.capability} ×${formatCount(s.count)}`)
                .join(', ') + (w.failingSteps.length > 3 ? `, +${w.failingSteps.length - 3} more` : ''),
        ]),
      ),
    );
    more(out, f.workflows.length);
  }
  if (f.retries.length > 0) {
    heading('Retries (all time)');
    out.push(
      table(
        ['capability', 'retries', 'succeeded on retry'],
        [30, 12, 20],
        ['left', 'right', 'left'],
        f.retries.map((r) => [r.capability, formatCount(r.retries), formatRate(r.retrySuccess)]),
      ),
    );
    more(out, f.retries.length);
  }
  if (d.totals.tasks > 0 && f.byCapability.length === 0) {
    heading('Failures');
    line('no failed task recorded', 2);
  }
}

function sections(
  d: Dashboard,
  out: string[],
  heading: (t: string) => void,
  line: (t?: string, i?: number) => void,
) {
  heading('Security findings');
  if (d.security.state !== 'recorded') line(d.security.reason ?? 'no finding recorded', 2);
  else {
    line(d.security.bySeverity.map((s) => `${s.severity} ${formatCount(s.count)}`).join(' · '), 2);
    out.push(
      table(
        ['rule', 'severity', 'count', 'capabilities'],
        [24, 12, 10, 29],
        ['left', 'left', 'right', 'left'],
        d.security.byRule.map((r) => [r.rule, r.severity, formatCount(r.count), r.capabilities.join(', ')]),
      ),
    );
    more(out, d.security.byRule.length);
  }
  for (const [title, s] of [
    ['Patterns', d.patterns],
    ['Decisions', d.decisions],
  ] as const) {
    heading(title);
    if (s.state !== 'recorded') line(s.reason ?? 'none recorded', 2);
    else line(s.byLabel.map((x) => `${x.label} ${formatCount(x.count)}`).join(' · '), 2);
  }
}

function experts(
  d: Dashboard,
  out: string[],
  c: Colors,
  heading: (t: string) => void,
  line: (t?: string, i?: number) => void,
) {
  if (d.experts.length > 0) {
    heading('Experts');
    line('confidence 0-100 (mean); meets threshold: 95% Wilson interval', 2);
    out.push(
      table(
        ['domain', 'consults', 'confidence', 'meets threshold', 'trend'],
        [23, 10, 12, 16, 13],
        ['left', 'right', 'right', 'left', 'left'],
        d.experts.map((e) => [
          e.domain,
          formatCount(e.consultations),
          formatScore(e.confidence.mean),
          formatRate(e.meetsThreshold),
          verdictCell(c, e.confidenceTrend.verdict),
        ]),
      ),
    );
    more(out, d.experts.length);
  }
  heading('Expert calibration');
  if (d.calibration.state !== 'recorded') {
    line(d.calibration.reason ?? 'no linked consultations yet', 2);
    return;
  }
  line('says: mean stated confidence; succeeds: advised steps that succeeded (95% Wilson)', 2);
  out.push(
    table(
      ['domain', 'linked', 'says', 'succeeds', 'Brier', 'ECE', 'verdict'],
      [14, 8, 6, 13, 7, 7, 16],
      ['left', 'right', 'right', 'left', 'right', 'right', 'left'],
      d.calibration.domains.map((k) => [
        k.domain,
        formatCount(k.linked),
        formatPercent(k.meanConfidence),
        formatRate(k.successRate),
        formatFraction(k.brier),
        formatFraction(k.ece),
        verdictCell(c, k.verdict),
      ]),
    ),
  );
  more(out, d.calibration.domains.length);
  const reference = sparkline(d.calibration.domains[0]?.bins.map((b) => b.confidence) ?? []);
  line(`reliability: success rate by confidence decile 0-9 (calibrated: ${reference})`, 2);
  for (const k of d.calibration.domains.slice(0, MAX_ROWS)) {
    out.push(
      `    ${sparkline(k.bins.map((b) => b.observed?.estimate ?? null))}  ${k.domain}`.slice(
        0,
        TERMINAL_WIDTH,
      ),
    );
  }
}

function health(
  d: Dashboard,
  out: string[],
  c: Colors,
  heading: (t: string) => void,
  line: (t?: string, i?: number) => void,
) {
  heading('Store health');
  const h = d.health;
  if (h.hooks) {
    const hooks = h.hooks.collector
      ? `collector hook installed (${h.hooks.events.join(', ')})`
      : h.hooks.file === 'missing'
        ? c.yellow(
            'collector hook not installed: the framework has no hooks file yet (run: tapps-agents learning install-hooks)',
          )
        : h.hooks.file === 'unreadable'
          ? c.yellow("the framework's hooks file could not be read: check its permissions")
          : c.yellow('collector hook not installed (run: tapps-agents learning install-hooks)');
    line(hooks, 2);
  }
  const counts = [
    h.lastCollectAt ? `last collect ${h.lastCollectAt}` : '',
    h.eventsSeen !== null ? `${formatCount(h.eventsSeen)} events seen` : '',
    h.duplicates !== null ? `${formatCount(h.duplicates)} duplicates` : '',
    h.rejected !== null ? `${formatCount(h.rejected)} rejected` : '',
  ].filter(Boolean);
  if (counts.length > 0) line(counts.join(' · '), 2);
  if (h.stores.length === 0) {
    line('no store read yet (run: tapps-agents learning collect)', 2);
    return;
  }
  out.push(
    table(
      ['store', 'state', 'records', 'skipped', 'last record'],
      [30, 9, 10, 9, 12],
      ['left', 'left', 'right', 'right', 'left'],
      h.stores.map((s) => [
        s.store,
        s.state === 'live' ? c.green(s.state) : s.state === 'missing' ? c.dim(s.state) : s.state,
        formatCount(s.records),
        s.skipped > 0 ? c.yellow(formatCount(s.skipped)) : '0',
        s.lastDay ?? '–',
      ]),
    ),
  );
  more(out, h.stores.length);
}

function verdictText(verdict: string): string {
  return verdict === 'not-enough-data' ? 'not enough data' : formatVerdict(verdict);
}

function verdictCell(c: Colors, verdict: string): string {
  const text = verdictText(verdict);
  if (verdict === 'improving' || verdict === 'calibrated') return c.green(text);
  if (verdict === 'degrading' || verdict === 'over-confident') return c.red(text);
  if (verdict === 'under-confident') return c.yellow(text);
  return verdict === 'flat' ? text : c.dim(text);
}

function sparkOf(k: CapabilityReport): string {
  const pts = k.days.map((p) => ({
    day: Date.parse(`${p.day}T00:00:00Z`) / 86_400_000,
    n: p.successes + p.failures,
    k: p.successes,
  }));
  return sparkline(pooledRates(pts, SPARK));
}

function more(out: string[], rows: number): void {
  if (rows > MAX_ROWS) out.push(`  … ${formatCount(rows - MAX_ROWS)} more rows: see --json`);
}

/**
 * A deterministic, colour-free cli-table3 table. The first column holds labels without spaces and
 * wraps anywhere; the others wrap at word boundaries.
 */
function table(head: string[], widths: number[], aligns: ('left' | 'right')[], rows: string[][]): string {
  const t = new Table({
    head,
    colWidths: widths,
    colAligns: aligns,
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
  });
  for (const r of rows.slice(0, MAX_ROWS)) {
    t.push(r.map((content, i) => (i === 0 ? { content, wrapOnWordBoundary: false } : content)));
  }
  return t.toString();
}

/** Wraps plain text at word boundaries to `width` columns; continuation lines are indented. */
export function wrap(text: string, width: number, indent: number): string[] {
  if (text === '') return [''];
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let current = pad;
  for (const word of text.split(' ')) {
    const candidate = current.trim() === '' ? pad + word : `${current} ${word}`;
    if (visibleLength(candidate) <= width || current.trim() === '') {
      current = candidate;
      while (visibleLength(current) > width) {
        lines.push(current.slice(0, width));
        current = pad + current.slice(width);
      }
    } else {
      lines.push(current);
      current = pad + word;
    }
  }
  lines.push(current);
  return lines;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length;
}
