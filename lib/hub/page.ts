import { computeDashboard } from '../dashboard/compute.ts';
import { formatCount, formatPoints, formatRate, formatScore } from '../dashboard/format.ts';
import { renderDashboardHtml } from '../dashboard/render-html.ts';
import { type Html, html, PAGE_STYLE } from './html.ts';
import type { AggregateReport, Change } from './report-schema.ts';
import type { StoredRejection } from './store.ts';

export interface PageOptions {
  title: string;
  now: Date;
  /** Framework versions to offer in the filter form (the hub's page only). */
  versions?: readonly string[];
  /** Where the JSON and Markdown of this same view are (the hub's page only). */
  links?: { json: string; markdown: string; rejections: string };
  /** Chart.js source for the dashboard renderer (tests pass '' to keep pages small). */
  chartJs?: string;
}

/**
 * The maintainers' page: the local dashboard's renderer (lib/dashboard) drawing the published,
 * k-thresholded rollup, followed by what only an aggregate has: the filter, the release comparison
 * with its regressions, and what was withheld. The dashboard puts labels into the page through a
 * JSON block and textContent; this part escapes every value it writes.
 */
export function renderAggregatePage(r: AggregateReport, o: PageOptions): string {
  const model = computeDashboard(r.rollup, { now: o.now });
  const page = renderDashboardHtml(model, {
    title: o.title,
    ...(o.chartJs === undefined ? {} : { chartJs: o.chartJs }),
  });
  const section = html`<section class="hub"><style>${HUB_STYLE}</style>
${o.links ? html`<nav><a href="${o.links.json}">JSON</a> <a href="${o.links.markdown}">Markdown release summary</a> <a href="${o.links.rejections}">Rejected submissions</a></nav>` : ''}
${filterForm(r, o)}
${aggregateBody(r)}</section>`;
  const at = page.lastIndexOf('</body>');
  return at < 0 ? page + section.text : `${page.slice(0, at)}${section.text}\n${page.slice(at)}`;
}

/** Filter, counts, regressions, the per-version table and the withheld cells. */
export function aggregateBody(r: AggregateReport): Html {
  const f = r.filter;
  return html`<h2>Across projects</h2>
<p>${formatCount(r.projects)} projects, ${formatCount(r.submissions)} submissions${f.framework ? html`, framework <code>${f.framework}</code>` : ''}${f.since ? `, ${f.dayOf} from ${f.since}` : ''}${f.until ? `, ${f.dayOf} until ${f.until}` : ''}.
A number is shown only when at least k = ${r.k} distinct projects contributed to it; ${formatCount(r.withheld.cells)} cells withheld${r.release.withheldCells > 0 ? `, and ${formatCount(r.release.withheldCells)} version cells` : ''}. Generated ${r.generatedAt}.</p>
${r.published ? '' : html`<p class="note">Fewer than k = ${r.k} projects are inside this filter: nothing is published.</p>`}
${regressions(r)}
${comparison(r)}
${withheldTable(r)}`;
}

export function renderRejectionsPage(
  rows: readonly StoredRejection[],
  counts: Readonly<Record<string, number>>,
  title: string,
): string {
  const total = Object.values(counts).reduce((n, x) => n + x, 0);
  return page(
    title,
    html`<h1>${title}</h1><nav><a href="/">Aggregate</a> <a href="/v1/rejections">JSON</a></nav>
<p>${formatCount(total)} kept (the newest 10,000). Only the reason and the places are kept, never the submitted bytes.</p>
<table><tr><th>type</th><th class="n">count</th></tr>${Object.entries(counts).map(([t, n]) => html`<tr><td>${t}</td><td class="n">${formatCount(n)}</td></tr>`)}</table>
<h2>Most recent</h2>
${
  rows.length === 0
    ? html`<p class="muted">No rejected submissions.</p>`
    : html`<table><tr><th>when (UTC)</th><th>type</th><th class="n">status</th><th>message</th><th>where</th><th>project</th><th class="n">bytes</th></tr>
${rows.map(
  (
    x,
  ) => html`<tr><td>${x.at.replace('T', ' ').replace(/\.\d+Z$/, '')}</td><td>${x.type}</td><td class="n">${x.status}</td><td>${x.message}</td>
<td>${x.problems.map((p) => html`<code>${p.pointer || '/'}</code> ${p.message}<br>`)}</td><td>${x.projectId ? html`<code>${x.projectId}</code>` : '–'}</td><td class="n">${formatCount(x.bytes)}</td></tr>`,
)}</table>`
}`,
  );
}

/** A plain page without script, for the hub's own views. */
export function page(title: string, body: Html): string {
  return `<!doctype html>\n${
    html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`.text
  }\n`;
}

function filterForm(r: AggregateReport, o: PageOptions): Html | string {
  if (!o.versions) return '';
  const f = r.filter;
  return html`<form method="get" action="/"><label>framework version<select name="framework"><option value="">all</option>
${o.versions.map((v) => html`<option value="${v}"${f.framework === v ? html` selected` : ''}>${v}</option>`)}</select></label>
<label>received since<input type="date" name="since" value="${f.since ?? ''}"></label>
<label>until<input type="date" name="until" value="${f.until ?? ''}"></label><button type="submit">Show</button></form>`;
}

function regressions(r: AggregateReport): Html {
  const list = r.release.regressions;
  return html`<h2>Regressions between framework versions</h2>
${
  list.length === 0
    ? html`<p class="muted">${r.release.versions.length < 2 ? 'Fewer than two framework versions: nothing to compare.' : 'None: no capability dropped significantly (95% interval entirely below 0).'}</p>`
    : html`<ol>${list.map((c) => html`<li class="bad">${changeText(c)}</li>`)}</ol>`
}
${r.release.improvements.length > 0 ? html`<p>Significant improvements:</p><ul>${r.release.improvements.map((c) => html`<li class="good">${changeText(c)}</li>`)}</ul>` : ''}`;
}

function changeText(c: Change): Html {
  const rate = c.metric === 'success-rate';
  return html`<code>${c.capability}</code> ${rate ? 'success rate' : 'mean quality'} <code>${c.from}</code> → <code>${c.to}</code>:
${formatPoints(c.change.estimate, rate)} (95% CI ${formatPoints(c.change.low, rate)} to ${formatPoints(c.change.high, rate)})`;
}

function comparison(r: AggregateReport): Html | string {
  const versions = r.release.versions.map((v) => v.version);
  if (versions.length === 0) return '';
  return html`<h2>Success rate by framework version</h2>
<div class="wrap"><table><tr><th>capability</th>${versions.map((v) => html`<th>${v}</th>`)}</tr>
${r.release.capabilities.map(
  (c) =>
    html`<tr><td><code>${c.capability}</code></td>${versions.map((v) => {
      const cell = c.versions.find((x) => x.version === v);
      if (!cell) return html`<td class="muted">–</td>`;
      if (!cell.published) return html`<td class="muted">below k</td>`;
      return html`<td>${formatRate(cell.successRate)}<br><span class="muted">${formatCount(cell.runs ?? 0)} runs, quality ${formatScore(cell.quality?.estimate)}</span></td>`;
    })}</tr>`,
)}</table></div>
<p class="muted">${r.release.versions.map((v) => `${v.version}: ${v.projects} projects, ${v.submissions} submissions`).join('; ')}</p>`;
}

function withheldTable(r: AggregateReport): Html | string {
  const kinds = Object.entries(r.withheld.byKind).filter(([, n]) => (n ?? 0) > 0);
  if (kinds.length === 0) return '';
  return html`<h2>Withheld cells (fewer than k = ${r.k} projects)</h2><table><tr><th>kind</th><th class="n">cells</th></tr>
${kinds.map(([kind, n]) => html`<tr><td>${kind}</td><td class="n">${formatCount(n ?? 0)}</td></tr>`)}</table>`;
}

const HUB_STYLE = `
.hub{max-width:1280px;margin:0 auto;padding:8px 24px 32px}.hub table{border-collapse:collapse;width:100%;font-size:.85rem}
.hub th,.hub td{text-align:left;padding:4px 8px;border-bottom:1px solid #d1d9e0;vertical-align:top}.hub .n{text-align:right}
.hub .muted{color:#59636e}.hub .bad{color:#a40e26}.hub .good{color:#1a7f37}.hub .note{background:#fff8c5;padding:6px 10px}
.hub .wrap{overflow-x:auto}.hub form{display:flex;gap:12px;align-items:end;flex-wrap:wrap;margin:8px 0}
.hub label{display:flex;flex-direction:column;font-size:.85em}.hub nav a{margin-right:12px}`;
