import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/fixtures beside the project (CI has it); null when absent, and tests skip visibly. */
export const SHARED_FIXTURES: string | null = (() => {
  const dir = fileURLToPath(new URL('../../shared/fixtures/', import.meta.url));
  return existsSync(dir) ? dir : null;
})();

export const SKIP_NO_FIXTURES =
  '../shared/fixtures is absent: conformance and canary tests against the framework data are skipped';

export function canaries(fixture = 'tapps-small'): string[] {
  if (!SHARED_FIXTURES) return [];
  return readFileSync(join(SHARED_FIXTURES, fixture, 'canaries.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Every form a canary may take in an output: verbatim and JSON-escaped. */
export function canaryForms(c: string): string[] {
  return [...new Set([c, JSON.stringify(c).slice(1, -1)])];
}

export function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* filesUnder(p);
    else yield p;
  }
}
