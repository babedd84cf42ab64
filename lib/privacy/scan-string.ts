import { codeRules } from './rules-code.ts';
import { pathRules } from './rules-paths.ts';
import { piiRules } from './rules-pii.ts';
import { secretRules } from './rules-secrets.ts';
import { timeRules } from './rules-time.ts';

/**
 * Every content rule (secrets, PII, paths, code, time zones) over one string. The answer depends on the
 * string alone, so it is cached: an export repeats a few thousand distinct strings (field names,
 * labels, weeks) tens of thousands of times, and a repeated export repeats all of them.
 */
const NONE: readonly string[] = [];
const CACHE_LIMIT = 100_000;
const cache = new Map<string, readonly string[]>();

/** Plain lowercase words and digits (`runs`, `successes`, `p95`) match no content rule. */
const TRIVIAL = /^[a-z]{1,24}$|^[A-Z][a-z]{1,24}$|^[a-z]{1,16}\d{1,3}$|^\d{1,7}$/;

/** For benchmarks that measure a first export, not a repeated one. */
export function clearContentCache(): void {
  cache.clear();
}

export function contentRuleIds(text: string): readonly string[] {
  if (TRIVIAL.test(text)) return NONE;
  let ids = cache.get(text);
  if (ids !== undefined) return ids;
  const out: string[] = [];
  secretRules(text, out);
  piiRules(text, out);
  pathRules(text, out);
  codeRules(text, out);
  timeRules(text, out);
  ids = out.length === 0 ? NONE : [...new Set(out)];
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, ids);
  return ids;
}
