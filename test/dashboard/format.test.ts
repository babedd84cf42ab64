import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCount,
  formatDuration,
  formatPercent,
  formatPoints,
  formatRange,
  formatRate,
  SHARED_FORMATTERS,
} from '../../lib/dashboard/format.ts';

describe('number formats shared by the terminal and the page', () => {
  it('writes numbers the same way on every machine', () => {
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(999), '999');
    assert.equal(formatPercent(0.7234), '72%');
    assert.equal(formatPercent(0.998), '99.8%');
    assert.equal(formatPercent(0.001), '0.1%');
    assert.equal(formatPercent(null), '–');
    assert.equal(formatRate({ estimate: 0.72, low: 0.69, high: 0.751 }), '72% (69–75)');
    assert.equal(formatPoints(0.1172, true), '+11.7 pts');
    assert.equal(formatPoints(-3.04, false), '−3.0 pts');
    assert.equal(formatPoints(0, true), '±0.0 pts');
    assert.equal(formatRange(0.061, 0.173, true), '+6.1 … +17.3 pts');
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(12_345), '12s');
    assert.equal(formatDuration(4_020), '4.0s');
    assert.equal(formatDuration(252_000), '4.2m');
    assert.equal(formatDuration(5_400_000), '1.5h');
  });

  it('each shared formatter is self-contained, so its source runs in the page', () => {
    const source = [
      'var __name = function (f) { return f; };',
      ...SHARED_FORMATTERS.map((f) => f.toString()),
    ].join('\n');
    const page = new Function(`${source}\nreturn { formatRange, formatRate, formatCount };`)() as Record<
      string,
      (...a: unknown[]) => string
    >;
    assert.equal(page.formatRange?.(0.061, 0.173, true), '+6.1 … +17.3 pts');
    assert.equal(page.formatRate?.({ estimate: 0.72, low: 0.69, high: 0.751 }), '72% (69–75)');
    assert.equal(page.formatCount?.(1234567), '1,234,567');
  });
});
