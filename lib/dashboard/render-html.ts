import type { Dashboard } from '../../schema/dashboard.ts';
import { chartJsSource } from './chart-js.ts';
import { SHARED_FORMATTERS } from './format.ts';
import { dashboardClient } from './html-client.ts';
import { escapeHtml, jsonForScript, scriptSafe } from './html-safe.ts';

export interface HtmlOptions {
  /** Page title and heading (escaped). */
  title: string;
  /** Chart.js UMD source; default: the installed chart.js package. Pass '' to leave it out. */
  chartJs?: string;
}

/** No network, no plugins, no frames: only the page's own inline script, styles and data: images. */
export const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/**
 * The dashboard as one self-contained HTML file: Chart.js inlined, the model in a JSON block, a
 * strict CSP, nothing fetched. Pure apart from reading the Chart.js file once. Every data-derived
 * string reaches the page through JSON.parse and textContent, so labels from merged, untrusted
 * rollups (the maintainers' aggregate page renders with this too) are shown, never run.
 */
export function renderDashboardHtml(model: Dashboard, o: HtmlOptions): string {
  const chartJs = o.chartJs ?? chartJsSource();
  // Tools that compile this module may wrap functions in `__name(fn, "name")`; the page defines it as the identity.
  const client = [
    'var __name = function (f) { return f; };',
    ...SHARED_FORMATTERS.map((f) => f.toString()),
    `(${dashboardClient.toString()})();`,
  ].join('\n');
  const title = escapeHtml(o.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header><h1>${title}</h1><p class="sub">@tapps-agents/learning · figures from anonymized rollups; the same numbers as <code>learning dashboard --json</code></p></header>
<main id="app"></main>
<noscript><p class="card">This page draws its tables and charts with JavaScript. The same figures: <code>tapps-agents learning dashboard --json</code>.</p></noscript>
<script type="application/json" id="dashboard-data">${jsonForScript(model)}</script>
<script>${scriptSafe(chartJs)}</script>
<script>${scriptSafe(client)}</script>
</body>
</html>
`;
}

const STYLE = `
html { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --card: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 24px 4px; max-width: 1280px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0; }
h2 { font-size: 1.15rem; margin: 0 0 8px; }
h3 { font-size: 0.95rem; margin: 0 0 8px; color: var(--muted); font-weight: 600; }
.sub, .note, .meta { color: var(--muted); font-size: 0.85rem; margin: 4px 0 8px; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 24px 32px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 14px 0; }
.verdict { border-left: 6px solid var(--muted); }
.verdict-status { font-size: 1.6rem; font-weight: 700; letter-spacing: 0.02em; }
.reason { font-size: 1.05rem; margin: 6px 0; overflow-wrap: anywhere; }
.notes { margin: 6px 0; padding-left: 20px; color: #9a6700; overflow-wrap: anywhere; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 16px; }
.panel { min-width: 0; margin-top: 12px; }
.chart { position: relative; height: 300px; width: 100%; }
.chart.tall { height: 460px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; white-space: nowrap; }
td:first-child { min-width: 9em; }
td.prose { min-width: 16em; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
select { font: inherit; padding: 4px 6px; max-width: 100%; margin-bottom: 6px; }
.summary { font-size: 0.85rem; overflow-wrap: anywhere; }
.block { display: block; }
.badge { color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 0.8rem; font-weight: 600; }
.empty { color: var(--muted); }
.warn { color: #9a6700; }
.ok { color: #1a7f37; }
code { font-size: 0.85em; }
@media (max-width: 600px) { header, main { padding-left: 10px; padding-right: 10px; } .card { padding: 12px; } .chart { height: 260px; } }
`;
