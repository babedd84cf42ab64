import type { Rollup } from '../../schema/rollup.ts';
import { formatCount, formatPercent, formatPoints, formatRate, formatScore } from '../dashboard/format.ts';
import { wilson } from '../dashboard/stats.ts';
import { isoDay } from '../privacy/day.ts';
import type { AggregateReport, Change } from './report-schema.ts';
import { compareVersions } from './versions.ts';

const TOP = 10;

/**
 * The Markdown summary for release notes: regressions first (what must not ship again), then the
 * capabilities that fail most, the biggest changes between the last two releases, the error types
 * worth fixing, and the per-version overview. Only published (k-thresholded) numbers appear.
 */
export function renderReleaseSummary(r: AggregateReport): string {
  const out: string[] = [];
  const f = r.filter;
  out.push('# Learning aggregate: release summary', '');
  out.push(
    `${formatCount(r.projects)} projects, ${formatCount(r.submissions)} submissions; a number is shown only when at least ` +
      `k = ${r.k} projects contributed to it (${formatCount(r.withheld.cells + r.release.withheldCells)} cells withheld).`,
  );
  const filters = [
    f.framework ? `framework ${code(f.framework)}` : null,
    f.since ? `${f.dayOf} on or after ${f.since}` : null,
    f.until ? `${f.dayOf} on or before ${f.until}` : null,
  ].filter(Boolean);
  out.push(`Generated ${r.generatedAt}${filters.length > 0 ? `; filter: ${filters.join(', ')}` : ''}.`, '');
  if (!r.published) {
    out.push(`> Fewer than k = ${r.k} projects are inside this filter: the aggregate is withheld.`, '');
  }

  out.push('## Regressions', '');
  if (r.release.regressions.length === 0) {
    const pairs = r.release.versions.length;
    out.push(
      pairs < 2
        ? 'No comparison: the data holds fewer than two framework versions.'
        : 'None: no capability dropped significantly (95% interval entirely below 0) between consecutive framework versions.',
      '',
    );
  } else {
    for (const [i, c] of r.release.regressions.entries()) out.push(`${i + 1}. ${describeChange(c, r)}`);
    out.push('');
  }

  out.push('## Top failing capabilities', '');
  const failing = topFailing(r.rollup);
  if (failing.length === 0) out.push('No failures published.', '');
  else {
    out.push(
      '| capability | runs | failures | success rate (95% CI) | top error types |',
      '|---|---:|---:|---|---|',
    );
    for (const x of failing)
      out.push(
        `| ${code(x.name)} | ${formatCount(x.runs)} | ${formatCount(x.failures)} | ${formatRate(wilson(x.successes, x.runs))} | ${x.errors} |`,
      );
    out.push('');
  }

  const latest = latestPair(r);
  out.push(`## Biggest improvements and regressions${latest ? ` (${latest.from} → ${latest.to})` : ''}`, '');
  const changes = latest
    ? r.release.changes
        .filter((c) => c.to === latest.to && c.metric === 'success-rate')
        .sort((a, b) => Math.abs(b.change.estimate) - Math.abs(a.change.estimate))
        .slice(0, TOP)
    : [];
  if (changes.length === 0) out.push('No capability has published numbers in two framework versions.', '');
  else {
    out.push(
      '| capability | from | to | success rate | change (95% CI) | verdict |',
      '|---|---|---|---|---|---|',
    );
    for (const c of changes) {
      const cells = cellsOf(r, c);
      out.push(
        `| ${code(c.capability)} | ${code(c.from)} | ${code(c.to)} | ${formatRate(cells.from?.successRate)} → ${formatRate(cells.to?.successRate)} | ` +
          `${formatPoints(c.change.estimate, true)} (${formatPoints(c.change.low, true)} to ${formatPoints(c.change.high, true)}) | ${verdictWord(c)} |`,
      );
    }
    const quality = r.release.changes.filter(
      (c) => latest && c.to === latest.to && c.metric === 'quality' && c.verdict !== 'no-significant-change',
    );
    if (quality.length > 0) {
      out.push('', 'Quality (0–100) changed significantly for:');
      for (const c of quality)
        out.push(
          `- ${code(c.capability)}: ${formatPoints(c.change.estimate, false)} (${formatPoints(c.change.low, false)} to ${formatPoints(c.change.high, false)}), ${verdictWord(c)}`,
        );
    }
    out.push('');
  }

  out.push('## Error types to fix', '');
  const errors = errorTypes(r.rollup);
  if (errors.length === 0) out.push('No error types published.', '');
  else {
    out.push('| error type | failures | most affected |', '|---|---:|---|');
    for (const e of errors) out.push(`| ${code(e.type)} | ${formatCount(e.count)} | ${e.where} |`);
    out.push('');
  }

  out.push('## Framework versions', '');
  if (r.release.versions.length === 0) out.push('No submissions inside this filter.', '');
  else {
    out.push('| version | projects | submissions | tasks |', '|---|---:|---:|---:|');
    for (const v of r.release.versions)
      out.push(
        `| ${code(v.version)} | ${formatCount(v.projects)} | ${formatCount(v.submissions)} | ${formatCount(v.tasks)} |`,
      );
    out.push('');
  }
  if (r.rollup.firstDay !== null && r.rollup.lastDay !== null)
    out.push(`Data from ${isoDay(r.rollup.firstDay)} to ${isoDay(r.rollup.lastDay)}.`, '');
  out.push(
    "Method: each submission counts as the change since its project's previous snapshot, so a project is never counted twice; " +
      'rates carry 95% Wilson intervals, rate changes 95% Newcombe intervals, quality changes 95% Welch intervals.',
    '',
  );
  return out.join('\n');
}

function describeChange(c: Change, r: AggregateReport): string {
  const cells = cellsOf(r, c);
  if (c.metric === 'success-rate')
    return (
      `${code(c.capability)}: success rate ${formatPercent(cells.from?.successRate?.estimate)} under ${code(c.from)} → ` +
      `${formatPercent(cells.to?.successRate?.estimate)} under ${code(c.to)}, ${formatPoints(c.change.estimate, true)} ` +
      `(95% CI ${formatPoints(c.change.low, true)} to ${formatPoints(c.change.high, true)}; ${formatCount(cells.to?.runs ?? 0)} runs, ≥${r.k} projects)`
    );
  return (
    `${code(c.capability)}: mean quality ${formatScore(cells.from?.quality?.estimate)} under ${code(c.from)} → ` +
    `${formatScore(cells.to?.quality?.estimate)} under ${code(c.to)}, ${formatPoints(c.change.estimate, false)} ` +
    `(95% CI ${formatPoints(c.change.low, false)} to ${formatPoints(c.change.high, false)})`
  );
}

function cellsOf(r: AggregateReport, c: Change) {
  const cap = r.release.capabilities.find((x) => x.capability === c.capability);
  return {
    from: cap?.versions.find((v) => v.version === c.from),
    to: cap?.versions.find((v) => v.version === c.to),
  };
}

function verdictWord(c: Change): string {
  return c.verdict === 'regression'
    ? '**regression**'
    : c.verdict === 'improvement'
      ? 'improvement'
      : 'no significant change';
}

/** The newest version that was compared with an earlier one. */
function latestPair(r: AggregateReport): { from: string; to: string } | null {
  const tos = [...new Set(r.release.changes.map((c) => c.to))].sort(compareVersions);
  const to = tos.at(-1);
  if (!to) return null;
  const froms = [...new Set(r.release.changes.filter((c) => c.to === to).map((c) => c.from))].sort(
    compareVersions,
  );
  return { from: froms.length === 1 ? (froms[0] as string) : 'earlier', to };
}

function topFailing(rollup: Rollup) {
  return Object.entries(rollup.capabilities)
    .filter(([, c]) => c.failures > 0)
    .sort(([a, x], [b, y]) => y.failures - x.failures || a.localeCompare(b))
    .slice(0, TOP)
    .map(([name, c]) => ({
      name,
      runs: c.runs,
      failures: c.failures,
      successes: c.successes,
      errors:
        Object.entries(c.errors)
          .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
          .slice(0, 3)
          .map(([t, n]) => `${code(t)} ${formatCount(n)}`)
          .join(', ') || '–',
    }));
}

function errorTypes(rollup: Rollup) {
  const byType = new Map<string, { count: number; where: Map<string, number> }>();
  const put = (type: string, where: string, n: number) => {
    const e = byType.get(type) ?? { count: 0, where: new Map() };
    e.count += n;
    e.where.set(where, (e.where.get(where) ?? 0) + n);
    byType.set(type, e);
  };
  for (const [name, c] of Object.entries(rollup.capabilities))
    for (const [t, n] of Object.entries(c.errors)) put(t, name, n);
  for (const [name, w] of Object.entries(rollup.workflows))
    for (const [t, n] of Object.entries(w.errors)) put(t, `workflow ${name}`, n);
  return [...byType.entries()]
    .sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
    .slice(0, TOP)
    .map(([type, e]) => ({
      type,
      count: e.count,
      where: [...e.where.entries()]
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .slice(0, 3)
        .map(([w, n]) => `${code(w)} ${formatCount(n)}`)
        .join(', '),
    }));
}

/** Labels are letters, digits and `_.:+-`, but a code span keeps Markdown from reading `_` as emphasis. */
function code(s: string): string {
  return `\`${s.replace(/[`\r\n|]/g, '')}\``;
}
