import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';

/**
 * secretlint's recommended preset over many strings in one call: the strings are joined into one
 * virtual file (one lint costs ~0.3 ms of overhead, a million short calls would not), and each
 * message's range is mapped back to the string it starts in. Results are cached per string,
 * because exports repeat the same labels thousands of times and re-export the same state.
 */
/**
 * secretlint 12 marks every lint and every rule run in a process-wide profiler that keeps all
 * marks forever (in its own arrays and in the global performance timeline) and searches them
 * linearly on each new mark: after a few thousand gates, each gate costs milliseconds more and
 * memory only grows. We never read its profile, so marking is switched off. `@secretlint/profiler`
 * is @secretlint/core's own dependency (pinned to the same version); if another copy were ever
 * installed beside it, this line would only miss, never break.
 */
secretLintProfiler.mark = () => {};

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] };

/** No preset rule matches fewer characters than this (the shortest are basic-auth URLs). */
const MIN_LENGTH = 12;
const CACHE_LIMIT = 50_000;
const NONE: readonly string[] = [];
const cache = new Map<string, readonly string[]>();

/** Stable, schema-safe rule id (`[a-z0-9/_.-]`) for a secretlint rule. */
export function secretlintRuleId(ruleId: string): string {
  const name = ruleId
    .replace(/^@secretlint\/secretlint-rule-/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return `secret/secretlint-${name}`.slice(0, 64);
}

/** For benchmarks that measure a first export, not a repeated one. */
export function clearSecretlintCache(): void {
  cache.clear();
}

/** Rule ids per string, for the strings that have any. */
export async function secretlintScan(texts: Iterable<string>): Promise<Map<string, readonly string[]>> {
  const hits = new Map<string, readonly string[]>();
  const pending: string[] = [];
  for (const t of texts) {
    if (t.length < MIN_LENGTH) continue;
    const cached = cache.get(t);
    if (cached === undefined) pending.push(t);
    else if (cached.length > 0) hits.set(t, cached);
  }
  if (pending.length === 0) return hits;

  const starts: number[] = [];
  let offset = 0;
  for (const t of pending) {
    starts.push(offset);
    offset += t.length + 1;
  }
  const result = await lintSource({
    source: { filePath: '/virtual/gate.txt', content: pending.join('\n'), contentType: 'text', ext: '.txt' },
    options: { config, maskSecrets: true, noPhysicFilePath: true },
  });
  const found = new Map<number, Set<string>>();
  for (const m of result.messages) {
    const i = indexAt(starts, m.range[0]);
    let ids = found.get(i);
    if (!ids) {
      ids = new Set();
      found.set(i, ids);
    }
    ids.add(secretlintRuleId(m.ruleId));
  }
  if (cache.size + pending.length > CACHE_LIMIT) cache.clear();
  for (let i = 0; i < pending.length; i++) {
    const t = pending[i] as string;
    const ids = found.get(i);
    const list = ids ? [...ids] : NONE;
    cache.set(t, list);
    if (list.length > 0) hits.set(t, list);
  }
  return hits;
}

/** Index of the last start ≤ pos (binary search). */
function indexAt(starts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
