import { normalizeName } from '../privacy/names.ts';

const cache = new Map<string, string>();

/**
 * normalizeName with a memo: the same few dozen agent and action names repeat on every record, and
 * the regex work would otherwise dominate a large read.
 */
export function normName(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const n = normalizeName(name);
  if (cache.size > 4096) cache.clear();
  cache.set(name, n);
  return n;
}
