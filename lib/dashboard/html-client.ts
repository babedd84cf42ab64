/**
 * The script of the HTML dashboard. It is never run by Node: render-html.ts inlines its source
 * (`dashboardClient.toString()`) after Chart.js and the shared formatters, and the browser runs it.
 * It reads the model from the page's JSON block and builds everything with createElement and
 * textContent: no data-derived string is ever parsed as HTML.
 */

import type * as F from './format.ts';

// The browser's globals, typed loosely: this project compiles without the DOM library.
// biome-ignore lint/suspicious/noExplicitAny: browser globals
type Any = any;
declare const document: Any;
declare const window: Any;
declare const Chart: Any;
declare function requestAnimationFrame(cb: () => void): number;
declare const formatCount: typeof F.formatCount;
declare const formatPercent: typeof F.formatPercent;
declare const formatRate: typeof F.formatRate;
declare const formatPoints: typeof F.formatPoints;
declare const formatRange: typeof F.formatRange;
declare const formatScore: typeof F.formatScore;
declare const formatDuration: typeof F.formatDuration;
declare const formatFraction: typeof F.formatFraction;
declare const formatVerdict: typeof F.formatVerdict;

export function dashboardClient(): void {
  const data: Any = JSON.parse(document.getElementById('dashboard-data').textContent);
  const app: Any = document.getElementById('app');
  const charts: Any[] = [];
  const VERDICT_COLORS: Record<string, string> = {
    improving: '#1a7f37',
    degrading: '#cf222e',
    flat: '#6e7781',
    'not-enough-data': '#a0a7b0',
    calibrated: '#1a7f37',
    'over-confident': '#cf222e',
    'under-confident': '#bf8700',
    'learning-active': '#1a7f37',
    stalled: '#bf8700',
    'not-recorded': '#57606a',
  };
  const PALETTE = [
    '#0969da',
    '#8250df',
    '#1a7f37',
    '#bf8700',
    '#cf222e',
    '#1b7c83',
    '#bc4c00',
    '#6e7781',
    '#a475f9',
    '#4d2d00',
  ];
  const DAY = 86_400_000;

  function el(tag: string, cls?: string, text?: string): Any {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function section(title: string, note?: string): Any {
    const s = el('section', 'card');
    s.appendChild(el('h2', '', title));
    if (note) s.appendChild(el('p', 'note', note));
    app.appendChild(s);
    return s;
  }
  /** `kinds`: one letter per column: t text, n number (right-aligned), p prose (kept readable on phones). */
  function table(parent: Any, head: string[], rows: (string | number)[][], kinds: string): Any {
    const cls = (i: number) => (kinds[i] === 'n' ? 'num' : kinds[i] === 'p' ? 'prose' : '');
    const wrap = el('div', 'table-wrap');
    const t = el('table');
    const thead = el('thead');
    const hr = el('tr');
    head.forEach((h, i) => {
      hr.appendChild(el('th', cls(i), h));
    });
    thead.appendChild(hr);
    t.appendChild(thead);
    const tbody = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      r.forEach((cell, i) => {
        tr.appendChild(el('td', cls(i), String(cell)));
      });
      tbody.appendChild(tr);
    }
    t.appendChild(tbody);
    wrap.appendChild(t);
    parent.appendChild(wrap);
    return t;
  }
  function badge(verdict: string): Any {
    const b = el('span', 'badge', verdict === 'not-enough-data' ? 'not enough data' : formatVerdict(verdict));
    b.style.background = VERDICT_COLORS[verdict] || '#6e7781';
    return b;
  }
  function chart(parent: Any, label: string, config: Any, tall?: boolean): Any {
    const box = el('div', tall ? 'chart tall' : 'chart');
    const canvas = el('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
    box.appendChild(canvas);
    parent.appendChild(box);
    config.options = config.options || {};
    config.options.animation = false;
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    const c = new Chart(canvas, config);
    charts.push(c);
    return c;
  }
  function dayNumber(iso: string): number {
    return Date.parse(`${iso}T00:00:00Z`) / DAY;
  }
  function dayLabel(n: number): string {
    return new Date(Math.round(n) * DAY).toISOString().slice(0, 10);
  }
  function grid(parent: Any): Any {
    const g = el('div', 'grid');
    parent.appendChild(g);
    return g;
  }
  function panel(parent: Any, title: string): Any {
    const p = el('div', 'panel');
    p.appendChild(el('h3', '', title));
    parent.appendChild(p);
    return p;
  }

  // Verdict first.
  const v = data.verdict;
  const head = el('section', 'card verdict');
  head.style.borderLeftColor = VERDICT_COLORS[v.status] || '#6e7781';
  const h = el('div', 'verdict-status', formatVerdict(v.status));
  h.style.color = VERDICT_COLORS[v.status] || '#24292f';
  head.appendChild(h);
  head.appendChild(el('p', 'reason', v.reason));
  if (v.notes.length > 0) {
    const ul = el('ul', 'notes');
    for (const n of v.notes) ul.appendChild(el('li', '', n));
    head.appendChild(ul);
  }
  const period = data.period.firstDay
    ? `${data.period.firstDay} … ${data.period.lastDay} (${formatCount(data.period.days)} days)`
    : 'no data yet';
  head.appendChild(
    el(
      'p',
      'meta',
      `${period} · ${formatCount(data.totals.tasks)} tasks · ${formatCount(data.totals.workflowRuns)} workflow runs · ` +
        `${formatCount(data.totals.consultations)} consultations · generated ${data.generatedAt}`,
    ),
  );
  if (data.filter.capability || data.filter.since) {
    const parts = [];
    if (data.filter.capability) parts.push(`capability ${data.filter.capability}`);
    if (data.filter.since)
      parts.push(
        `since ${data.filter.since} (durations, quality quantiles, failures, security and calibration are all-time)`,
      );
    head.appendChild(el('p', 'meta', `Filter: ${parts.join(', ')}`));
  }
  app.appendChild(head);

  const caps: Any[] = data.capabilities;
  if (caps.length > 0) {
    const s = section(
      'Capabilities',
      'success: successes / (successes + failures) with its 95% Wilson interval; quality 0–100.',
    );
    table(
      s,
      ['capability', 'runs', 'usage', 'success', 'quality', 'p50', 'p95', 'retry rate', 'verdict'],
      caps.map((c) => [
        c.name,
        formatCount(c.runs),
        formatPercent(c.share),
        formatRate(c.successRate),
        formatScore(c.quality.mean),
        formatDuration(c.durationMs.p50),
        formatDuration(c.durationMs.p95),
        formatRate(c.retryRate),
        c.verdict.verdict === 'not-enough-data' ? 'not enough data' : c.verdict.verdict,
      ]),
      'tnntnnntt',
    );

    // Trends: the interval of each capability's change, then one capability in detail.
    const t = section(
      'Learning trends',
      `Change of the daily success rate over the observed days, with its ${Math.round(data.method.trendConfidence * 100)}% interval. ` +
        `A verdict needs the interval to exclude zero and ${data.method.minRunsPerWindow} runs in the first and in the last third of the days.`,
    );
    const g = grid(t);
    const withTrend = caps.filter((c) => c.successTrend.change).slice(0, 30);
    if (withTrend.length > 0) {
      const p = panel(
        g,
        withTrend.length < caps.length
          ? `Change in points (top ${withTrend.length} by runs)`
          : 'Change in points',
      );
      chart(
        p,
        'change of success rate per capability',
        {
          type: 'bar',
          data: {
            labels: withTrend.map((c) => c.name),
            datasets: [
              {
                label: 'success change (interval)',
                data: withTrend.map((c) => [
                  c.successTrend.change.low * 100,
                  c.successTrend.change.high * 100,
                ]),
                backgroundColor: withTrend.map((c) => VERDICT_COLORS[c.successTrend.verdict] || '#6e7781'),
              },
            ],
          },
          options: {
            indexAxis: 'y',
            plugins: {
              legend: { display: false },
              tooltip: {
                callbacks: {
                  label: (ctx: Any) => {
                    const tr = withTrend[ctx.dataIndex].successTrend;
                    return `${formatPoints(tr.change.estimate, true)} (${formatRange(tr.change.low, tr.change.high, true)})`;
                  },
                },
              },
            },
            // A few runs give intervals wider than any possible change: keep the axis on the possible range.
            scales: {
              x: { min: -100, max: 100, title: { display: true, text: 'points over the observed days' } },
            },
          },
        },
        withTrend.length > 10,
      );
    }
    const detail = panel(g, 'One capability, day by day');
    const select = el('select');
    select.setAttribute('aria-label', 'capability');
    caps.forEach((c, i) => {
      const o = el('option', '', c.name);
      o.value = String(i);
      select.appendChild(o);
    });
    const firstClear = caps.findIndex(
      (c) => c.verdict.verdict === 'improving' || c.verdict.verdict === 'degrading',
    );
    select.value = String(firstClear >= 0 ? firstClear : 0);
    detail.appendChild(select);
    const summary = el('p', 'summary');
    detail.appendChild(summary);
    const lineChart = chart(detail, 'daily success rate and quality of the selected capability', {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        scales: {
          x: {
            type: 'linear',
            ticks: { callback: (value: number) => dayLabel(value), maxRotation: 0, autoSkipPadding: 24 },
          },
          y: { min: 0, max: 100, title: { display: true, text: 'success %' } },
          y2: {
            position: 'right',
            min: 0,
            max: 100,
            grid: { drawOnChartArea: false },
            title: { display: true, text: 'quality' },
          },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (ctx: Any) =>
                `${ctx.dataset.label} ${dayLabel(ctx.parsed.x)}: ${formatScore(ctx.parsed.y)}`,
            },
          },
        },
      },
    });
    const qualityPanel = panel(g, 'Quality distribution (all time)');
    const qualityChart = chart(qualityPanel, 'quality histogram of the selected capability', {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'runs', data: [], backgroundColor: '#8250df' }] },
      options: {
        plugins: { legend: { display: false } },
        scales: { x: { title: { display: true, text: 'quality' } } },
      },
    });
    const durationPanel = panel(g, 'Duration distribution (all time)');
    const durationChart = chart(durationPanel, 'duration histogram of the selected capability', {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'runs', data: [], backgroundColor: '#0969da' }] },
      options: {
        plugins: { legend: { display: false } },
        scales: { x: { title: { display: true, text: 'duration' } } },
      },
    });
    const showCapability = () => {
      const c = caps[Number(select.value)] || caps[0];
      const pts = c.days.filter((d: Any) => d.successes + d.failures > 0);
      const success = pts.map((d: Any) => ({
        x: dayNumber(d.day) + (d.span - 1) / 2,
        y: (100 * d.successes) / (d.successes + d.failures),
      }));
      const quality = c.days
        .filter((d: Any) => d.quality !== null)
        .map((d: Any) => ({ x: dayNumber(d.day) + (d.span - 1) / 2, y: d.quality }));
      const datasets: Any[] = [
        {
          label: 'success %',
          data: success,
          backgroundColor: '#0969da',
          borderColor: '#0969da',
          pointRadius: 3,
        },
        {
          label: 'quality',
          data: quality,
          backgroundColor: '#8250df',
          borderColor: '#8250df',
          pointRadius: 2,
          yAxisID: 'y2',
        },
      ];
      // The least-squares line passes through the weighted mean of the points.
      const tr = c.successTrend;
      if (tr.slopePerDay && pts.length > 1) {
        let sw = 0;
        let sx = 0;
        let sy = 0;
        for (const d of pts) {
          const n = d.successes + d.failures;
          sw += n;
          sx += n * (dayNumber(d.day) + (d.span - 1) / 2);
          sy += d.successes;
        }
        const mx = sx / sw;
        const my = sy / sw;
        const x0 = success[0].x;
        const x1 = success[success.length - 1].x;
        datasets.push({
          label: 'trend',
          type: 'line',
          data: [
            { x: x0, y: 100 * (my + tr.slopePerDay.estimate * (x0 - mx)) },
            { x: x1, y: 100 * (my + tr.slopePerDay.estimate * (x1 - mx)) },
          ],
          borderColor: VERDICT_COLORS[tr.verdict] || '#6e7781',
          borderWidth: 2,
          pointRadius: 0,
        });
      }
      lineChart.data.datasets = datasets;
      lineChart.update();
      summary.textContent = '';
      summary.appendChild(badge(c.verdict.verdict));
      summary.appendChild(document.createTextNode(` success: ${c.successTrend.summary}`));
      if (c.qualityTrend.n > 0)
        summary.appendChild(el('span', 'block', `quality: ${c.qualityTrend.summary}`));
      const bounds = c.quality.bounds;
      qualityChart.data.labels = c.quality.histogram.map((_: number, i: number) =>
        i === 0
          ? `< ${bounds[0]}`
          : i === bounds.length
            ? `≥ ${bounds[i - 1]}`
            : `${bounds[i - 1]}–${bounds[i]}`,
      );
      qualityChart.data.datasets[0].data = c.quality.histogram;
      qualityChart.update();
      const db = c.durationMs.bounds;
      durationChart.data.labels = c.durationMs.histogram.map((_: number, i: number) =>
        i === 0
          ? `< ${formatDuration(db[0])}`
          : i === db.length
            ? `≥ ${formatDuration(db[i - 1])}`
            : `${formatDuration(db[i - 1])}–${formatDuration(db[i])}`,
      );
      durationChart.data.datasets[0].data = c.durationMs.histogram;
      durationChart.update();
    };
    select.addEventListener('change', showCapability);
    showCapability();

    const top = caps.filter((c) => c.durationMs.n > 0).slice(0, 20);
    if (top.length > 0) {
      const d = section(
        'Durations',
        'Median (p50) and 95th percentile per capability, from the rollup sketches (within 1%).',
      );
      chart(d, 'duration p50 and p95 per capability', {
        type: 'bar',
        data: {
          labels: top.map((c) => c.name),
          datasets: [
            { label: 'p50 (s)', data: top.map((c) => c.durationMs.p50 / 1000), backgroundColor: '#0969da' },
            { label: 'p95 (s)', data: top.map((c) => c.durationMs.p95 / 1000), backgroundColor: '#54aeff' },
          ],
        },
        options: {
          scales: { y: { beginAtZero: true, title: { display: true, text: 'seconds' } } },
          plugins: {
            tooltip: {
              callbacks: {
                label: (ctx: Any) => `${ctx.dataset.label} ${formatDuration(ctx.parsed.y * 1000)}`,
              },
            },
          },
        },
      });
    }
  }

  // Failures.
  const f = data.failures;
  if (f.byCapability.length > 0 || f.workflows.length > 0) {
    const s = section('Failures', 'All-time counts: the rollup keeps error types without days.');
    const g = grid(s);
    if (f.byCapability.length > 0) {
      const types = f.byErrorType.slice(0, 8).map((e: Any) => e.errorType);
      const rows = f.byCapability.slice(0, 12);
      const p = panel(g, 'Error types by capability');
      chart(
        p,
        'failures by error type and capability',
        {
          type: 'bar',
          data: {
            labels: rows.map((r: Any) => r.capability),
            datasets: types
              .map((type: string, i: number) => ({
                label: type,
                data: rows.map((r: Any) => {
                  const e = r.errors.find((x: Any) => x.errorType === type);
                  return e ? e.count : 0;
                }),
                backgroundColor: PALETTE[i % PALETTE.length],
              }))
              .concat([
                {
                  label: 'other or untyped',
                  data: rows.map(
                    (r: Any) =>
                      r.failures -
                      r.errors
                        .filter((x: Any) => types.indexOf(x.errorType) >= 0)
                        .reduce((a: number, x: Any) => a + x.count, 0),
                  ),
                  backgroundColor: '#d0d7de',
                },
              ]),
          },
          options: { indexAxis: 'y', scales: { x: { stacked: true }, y: { stacked: true } } },
        },
        rows.length > 6,
      );
      const hp = panel(g, 'How to prevent them');
      table(
        hp,
        ['error type', 'failures', 'capabilities', 'how to prevent'],
        f.byErrorType.map((e: Any) => [
          e.errorType,
          formatCount(e.count),
          formatCount(e.capabilities),
          e.hint,
        ]),
        'tnnp',
      );
    }
    if (f.workflows.length > 0) {
      const p = panel(g, 'Workflows: outcomes and failing steps');
      const outcomes: string[] = [];
      for (const w of f.workflows)
        for (const o of w.outcomes) if (outcomes.indexOf(o.outcome) < 0) outcomes.push(o.outcome);
      chart(p, 'workflow outcomes', {
        type: 'bar',
        data: {
          labels: f.workflows.map((w: Any) => w.type),
          datasets: outcomes.map((o, i) => ({
            label: o,
            data: f.workflows.map((w: Any) => {
              const x = w.outcomes.find((y: Any) => y.outcome === o);
              return x ? x.count : 0;
            }),
            backgroundColor:
              o === 'completed'
                ? '#1a7f37'
                : o === 'failed'
                  ? '#cf222e'
                  : o === 'blocked'
                    ? '#bc4c00'
                    : PALETTE[(i + 3) % PALETTE.length],
          })),
        },
        options: { scales: { x: { stacked: true }, y: { stacked: true } } },
      });
      table(
        p,
        ['workflow', 'runs', 'completed', 'failing steps'],
        f.workflows.map((w: Any) => [
          w.type,
          formatCount(w.runs),
          formatRate(w.completed),
          w.failingSteps.map((x: Any) => `${x.capability} ×${formatCount(x.count)}`).join(', ') || '–',
        ]),
        'tntp',
      );
    }
    if (f.retries.length > 0) {
      const p = panel(g, 'Retry outcomes');
      table(
        p,
        ['capability', 'retries', 'succeeded on retry'],
        f.retries.map((r: Any) => [r.capability, formatCount(r.retries), formatRate(r.retrySuccess)]),
        'tnt',
      );
    }
  }

  // Security, patterns, decisions.
  const sec = data.security;
  const ss = section('Security findings');
  if (sec.state !== 'recorded') ss.appendChild(el('p', 'empty', sec.reason || 'no finding recorded'));
  else {
    const g = grid(ss);
    chart(panel(g, 'By severity'), 'security findings by severity', {
      type: 'bar',
      data: {
        labels: sec.bySeverity.map((x: Any) => x.severity),
        datasets: [
          { label: 'findings', data: sec.bySeverity.map((x: Any) => x.count), backgroundColor: '#cf222e' },
        ],
      },
      options: { plugins: { legend: { display: false } } },
    });
    table(
      panel(g, 'By rule'),
      ['rule', 'severity', 'count', 'capabilities'],
      sec.byRule.map((r: Any) => [r.rule, r.severity, formatCount(r.count), r.capabilities.join(', ')]),
      'ttnp',
    );
  }
  for (const [title, s] of [
    ['Patterns', data.patterns],
    ['Decisions', data.decisions],
  ]) {
    const x = section(title);
    if (s.state !== 'recorded') x.appendChild(el('p', 'empty', s.reason || 'none recorded'));
    else
      table(
        x,
        ['kind', 'count'],
        s.byLabel.map((y: Any) => [y.label, formatCount(y.count)]),
        'tn',
      );
  }

  // Experts and calibration.
  if (data.experts.length > 0) {
    const s = section(
      'Experts',
      'Stated confidence (0–100) and how often it met the framework threshold (95% Wilson interval).',
    );
    const short = (tr: Any, isRate: boolean) =>
      (tr.verdict === 'not-enough-data' ? 'not enough data' : formatVerdict(tr.verdict)) +
      (tr.change && tr.verdict !== 'not-enough-data' ? ` (${formatPoints(tr.change.estimate, isRate)})` : '');
    const et = table(
      s,
      ['domain', 'consultations', 'confidence', 'meets threshold', 'confidence trend', 'threshold trend'],
      data.experts.map((e: Any) => [
        e.domain,
        formatCount(e.consultations),
        formatScore(e.confidence.mean),
        formatRate(e.meetsThreshold),
        short(e.confidenceTrend, false),
        short(e.meetsThresholdTrend, true),
      ]),
      'tnnttt',
    );
    // The full sentence behind each short trend, on hover (an attribute is text, never markup).
    data.experts.forEach((e: Any, i: number) => {
      const cells = et.tBodies[0].rows[i].cells;
      cells[4].title = e.confidenceTrend.summary;
      cells[5].title = e.meetsThresholdTrend.summary;
    });
    const shown = data.experts.slice(0, 6);
    chart(panel(s, 'Mean confidence by day'), 'expert confidence by day', {
      type: 'scatter',
      data: {
        datasets: shown.map((e: Any, i: number) => ({
          label: e.domain,
          data: e.days
            .filter((d: Any) => d.confidence !== null)
            .map((d: Any) => ({ x: dayNumber(d.day) + (d.span - 1) / 2, y: d.confidence })),
          showLine: true,
          borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: PALETTE[i % PALETTE.length],
          pointRadius: 2,
        })),
      },
      options: {
        scales: {
          x: {
            type: 'linear',
            ticks: { callback: (value: number) => dayLabel(value), maxRotation: 0, autoSkipPadding: 24 },
          },
          y: { min: 0, max: 100 },
        },
      },
    });
  }
  const cal = data.calibration;
  const cs = section(
    'Expert calibration',
    'Joins each consultation with the outcome of the step it advised. A calibrated expert that says 70% is right 70% of the time.',
  );
  if (cal.state !== 'recorded') cs.appendChild(el('p', 'empty', cal.reason || 'no linked consultations yet'));
  else {
    const g = grid(cs);
    const shown = cal.domains.slice(0, 6);
    chart(panel(g, 'Reliability diagram'), 'reliability diagram: observed success by stated confidence', {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'calibrated',
            data: [
              { x: 0, y: 0 },
              { x: 100, y: 100 },
            ],
            showLine: true,
            borderDash: [6, 4],
            borderColor: '#8c959f',
            pointRadius: 0,
          },
        ].concat(
          shown.map((d: Any, i: number) => ({
            label: d.domain,
            data: d.bins
              .filter((b: Any) => b.observed)
              .map((b: Any) => ({ x: b.confidence * 100, y: b.observed.estimate * 100 })),
            showLine: true,
            borderColor: PALETTE[i % PALETTE.length],
            backgroundColor: PALETTE[i % PALETTE.length],
            pointRadius: 4,
          })) as Any,
        ),
      },
      options: {
        scales: {
          x: { min: 0, max: 100, title: { display: true, text: 'stated confidence %' } },
          y: { min: 0, max: 100, title: { display: true, text: 'advised steps that succeeded %' } },
        },
      },
    });
    table(
      panel(g, 'Domains'),
      ['domain', 'linked', 'states', 'succeeds', 'Brier', 'ECE', 'verdict'],
      cal.domains.map((d: Any) => [
        d.domain,
        formatCount(d.linked),
        formatPercent(d.meanConfidence),
        formatRate(d.successRate),
        formatFraction(d.brier),
        formatFraction(d.ece),
        d.verdict === 'not-enough-data' ? 'not enough data' : d.verdict,
      ]),
      'tnntnnt',
    );
  }

  // Store health.
  const hs = section('Store health');
  const hooks = data.health.hooks;
  if (hooks) {
    hs.appendChild(
      el(
        'p',
        hooks.collector ? 'ok' : 'warn',
        hooks.collector
          ? `Collector hook installed (${hooks.events.join(', ')}).`
          : hooks.file === 'missing'
            ? 'Collector hook not installed: the framework has no hooks file yet (run: tapps-agents learning install-hooks).'
            : 'Collector hook not installed (run: tapps-agents learning install-hooks).',
      ),
    );
  }
  if (data.health.stores.length === 0)
    hs.appendChild(el('p', 'empty', 'No store read yet (run: tapps-agents learning collect).'));
  else
    table(
      hs,
      ['store', 'state', 'records', 'skipped', 'last record', 'files'],
      data.health.stores.map((x: Any) => [
        x.store,
        x.state,
        formatCount(x.records),
        formatCount(x.skipped),
        x.lastDay || '–',
        x.files === null ? '–' : formatCount(x.files),
      ]),
      'ttnntn',
    );

  requestAnimationFrame(() => {
    requestAnimationFrame(() => {
      window.__charts = charts.length;
      window.__ready = true;
    });
  });
}
