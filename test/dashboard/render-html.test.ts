import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDashboard } from '../../lib/dashboard/compute.ts';
import { escapeHtml, jsonForScript, scriptSafe } from '../../lib/dashboard/html-safe.ts';
import { CSP, renderDashboardHtml } from '../../lib/dashboard/render-html.ts';
import { HOSTILE, hostileModel } from './hostile.ts';
import { eventsRollup, SAMPLE_PROJECT } from './projects.ts';

const NOW = new Date('2026-11-24T03:00:00Z');
const model = computeDashboard(eventsRollup(SAMPLE_PROJECT, 5), { now: NOW });

function dataBlock(html: string): string {
  const m = /<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the page has its data block');
  return m[1] as string;
}

describe('the HTML dashboard', () => {
  it('is one self-contained file: strict CSP, Chart.js inlined, nothing to fetch', () => {
    const html = renderDashboardHtml(model, { title: 'Learning dashboard' });
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`));
    assert.equal(
      CSP,
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:",
    );
    assert.ok(html.includes('Chart.js v4'), 'Chart.js is inlined');
    assert.ok(!/<script[^>]+src=/i.test(html), 'no external script');
    assert.ok(!/<link(?![^>]*href="data:)[^>]*>/i.test(html), 'no stylesheet or other link');
    assert.ok(!/<(img|iframe|object|embed|base)\b/i.test(html));
    assert.ok(!/url\(/i.test(html.split('<script')[0] ?? ''), 'no url() in the styles');
    assert.match(html, /window\.__ready\s*=\s*true/);
    assert.ok(html.includes('name="viewport"'));
  });

  it('carries the full model, unchanged, in its JSON block', () => {
    const html = renderDashboardHtml(model, { title: 'x', chartJs: '' });
    assert.deepEqual(JSON.parse(dataBlock(html)), JSON.parse(JSON.stringify(model)));
  });

  it('escapes every data-derived string: a hostile label cannot end the block or add markup', () => {
    const html = renderDashboardHtml(hostileModel(model), { title: '<b>title</b> & "q"', chartJs: '' });
    const block = dataBlock(html);
    assert.ok(!/[<>\u2028\u2029]/.test(block), 'no raw < > U+2028 U+2029 in the JSON block');
    const back = JSON.parse(block);
    assert.equal(back.capabilities[0].name, HOSTILE[0]);
    assert.equal(back.capabilities[2].name, HOSTILE[2]);
    assert.ok(!html.includes('<script>window.__pwned'));
    assert.ok(!html.includes('onerror="window.__pwned'));
    assert.ok(html.includes('<title>&#60;b&#62;title&#60;/b&#62; &#38; &#34;q&#34;</title>'));
    // The page's script builds text with textContent, never innerHTML.
    assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(html));
  });

  it('the escaping helpers', () => {
    assert.equal(
      escapeHtml(`<a href="x">'&'</a>`),
      '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;',
    );
    assert.equal(jsonForScript({ a: '</script>\u2028' }), '{"a":"\\u003c/script\\u003e\\u2028"}');
    assert.equal(JSON.parse(jsonForScript({ a: '</script>\u2028&' })).a, '</script>\u2028&');
    assert.equal(scriptSafe('a="</SCRIPT>";b="<!--"'), 'a="<\\/SCRIPT>";b="<\\!--"');
  });
});
