import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { computeDashboard } from '../../lib/dashboard/compute.ts';
import { formatCount, formatRate } from '../../lib/dashboard/format.ts';
import { renderDashboardHtml } from '../../lib/dashboard/render-html.ts';
import { renderTerminal } from '../../lib/dashboard/render-terminal.ts';
import type { Dashboard } from '../../schema/dashboard.ts';
import { tempDir } from '../temp-dir.ts';
import { HOSTILE, hostileModel } from './hostile.ts';
import { addCalibration, recordProject, rng, SAMPLE_PROJECT } from './projects.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--headless',
];
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const SKIP = `${CHROMIUM} is absent: the browser test of the HTML dashboard is skipped (apt-get install -y chromium)`;

interface Visit {
  errors: string[];
  requests: string[];
  page: Page;
}

async function visit(
  browser: Browser,
  file: string,
  viewport: { width: number; height: number },
  mobile = false,
): Promise<Visit> {
  const context = await browser.newContext({
    viewport,
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (globalThis as { __ready?: boolean }).__ready === true, null, {
    timeout: 15_000,
  });
  return { errors, requests, page };
}

/** How many canvases there are and how many have drawn pixels. */
async function drawnCanvases(page: Page): Promise<{ total: number; drawn: number }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } })
      .document;
    const canvases = Array.from(doc.querySelectorAll('canvas')) as {
      width: number;
      height: number;
      getContext(k: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      };
    }[];
    let drawn = 0;
    for (const c of canvases) {
      if (c.width === 0 || c.height === 0) continue;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) ink++;
      if (ink > 200) drawn++;
    }
    return { total: canvases.length, drawn };
  });
}

async function tableRows(page: Page, heading: string): Promise<string[][]> {
  return page.evaluate((h) => {
    const doc = (
      globalThis as unknown as {
        document: {
          querySelectorAll(s: string): ArrayLike<{ textContent: string; closest(s: string): unknown }>;
        };
      }
    ).document;
    const title = Array.from(doc.querySelectorAll('h2')).find((x) => x.textContent === h) as
      | {
          closest(s: string): {
            querySelectorAll(
              s: string,
            ): ArrayLike<{ querySelectorAll(s: string): ArrayLike<{ textContent: string }> }>;
          };
        }
      | undefined;
    if (!title) return [];
    const rows = Array.from(title.closest('section').querySelectorAll('tbody tr'));
    return rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent));
  }, heading);
}

describe('the HTML dashboard in headless Chromium', () => {
  let browser: Browser | undefined;
  let model: Dashboard;
  let dir: string;

  before(async () => {
    if (!existsSync(CHROMIUM)) return;
    dir = tempDir('dash-html-');
    const state = await recordProject(join(dir, 'project'), SAMPLE_PROJECT, 21);
    addCalibration(state.rollup, 'security', 300, 0.2, rng(1));
    addCalibration(state.rollup, 'testing-strategies', 300, 0, rng(2));
    state.rollup.health['event-log'] = { records: 170, skipped: 2, lastDay: state.rollup.lastDay };
    model = computeDashboard(state.rollup, {
      now: new Date('2026-11-24T03:00:00Z'),
      health: {
        hooks: { file: 'present', collector: true, events: ['SessionEnd', 'WorkflowComplete'] },
        knownStores: [{ name: 'memories' }],
      },
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  it('draws every chart with no console error and no network request, on a laptop and a phone', async (t) => {
    if (!browser) return t.skip(SKIP);
    const file = join(dir, 'dashboard.html');
    writeFileSync(file, renderDashboardHtml(model, { title: 'Learning dashboard: sample project' }));
    for (const [name, viewport, mobile] of [
      ['laptop', { width: 1366, height: 900 }, false],
      ['phone', { width: 390, height: 844 }, true],
    ] as const) {
      const { errors, requests, page } = await visit(browser, file, viewport, mobile);
      assert.deepEqual(errors, [], `${name}: console errors`);
      assert.deepEqual(
        requests.filter((u) => !u.startsWith('file:')),
        [],
        `${name}: network requests`,
      );
      const canvases = await drawnCanvases(page);
      assert.ok(canvases.total >= 8, `${name}: ${canvases.total} charts`);
      assert.equal(canvases.drawn, canvases.total, `${name}: every canvas has drawn pixels`);
      // Tables scroll inside their own box; the page itself never scrolls sideways.
      const overflow = await page.evaluate(() => {
        const el = (
          globalThis as unknown as {
            document: { documentElement: { scrollWidth: number; clientWidth: number } };
          }
        ).document.documentElement;
        return el.scrollWidth - el.clientWidth;
      });
      assert.ok(overflow <= 0, `${name}: page wider than the screen by ${overflow}px`);
      await page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true });
      await page.context().close();
    }
  });

  it('shows the same numbers as the terminal and the JSON', async (t) => {
    if (!browser) return t.skip(SKIP);
    const file = join(dir, 'same.html');
    writeFileSync(file, renderDashboardHtml(model, { title: 'same numbers' }));
    const { page } = await visit(browser, file, { width: 1366, height: 900 });
    const rows = await tableRows(page, 'Capabilities');
    const text = renderTerminal(model, { color: false });
    assert.equal(rows.length, model.capabilities.length);
    for (const c of model.capabilities) {
      const row = rows.find((r) => r[0] === c.name);
      assert.ok(row, c.name);
      assert.equal(row[1], formatCount(c.runs));
      assert.equal(row[3], formatRate(c.successRate));
      const line = text.split('\n').find((l) => l.startsWith(`│ ${c.name} `));
      assert.ok(
        line?.includes(formatCount(c.runs)) && line.includes(formatRate(c.successRate)),
        `terminal row of ${c.name}`,
      );
    }
    const verdict = await page.evaluate(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } } }
        ).document.querySelector('.reason').textContent,
    );
    assert.equal(verdict, model.verdict.reason);
    assert.ok(text.includes(model.verdict.reason.slice(0, 40)));
    await page.context().close();
  });

  it('shows hostile labels as text and never runs them', async (t) => {
    if (!browser) return t.skip(SKIP);
    const file = join(dir, 'hostile.html');
    writeFileSync(
      file,
      renderDashboardHtml(hostileModel(model), { title: '<img src=x onerror="window.__pwned=3">' }),
    );
    const { errors, requests, page } = await visit(browser, file, { width: 1366, height: 900 });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:')),
      [],
    );
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
    const rows = await tableRows(page, 'Capabilities');
    assert.equal(rows[0]?.[0], HOSTILE[0]);
    assert.equal(rows[1]?.[0], HOSTILE[1]);
    assert.equal(await page.title(), '<img src=x onerror="window.__pwned=3">');
    await page.context().close();
  });
});
