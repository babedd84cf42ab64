import crypto, { createHash, createHmac } from 'node:crypto';
import {
  ERROR_CATEGORIES,
  FRAMEWORK_ACTIONS,
  FRAMEWORK_AGENTS,
  FRAMEWORK_DOMAINS,
  FRAMEWORK_EXPERTS,
  FRAMEWORK_WORKFLOWS,
  KNOWN_ERROR_TYPES,
} from '../../lib/privacy/known-names.ts';
import { normalizeName } from '../../lib/privacy/names.ts';

/**
 * An attacker's dictionary of plausible names for a project that uses the framework: the
 * framework's own names, ≥10,000 checkout paths (personal, CI, container, Windows), repository
 * names and git remotes, plus whatever the caller adds (canaries, capability ids of a real store).
 */
const USERS = `alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent victor walter
  runner root ubuntu vscode node dev jenkins gitpod codespace admin user`.split(/\s+/);
const ORGS =
  `acme acme-corp contoso globex initech umbrella hooli vandelay stark wayne tyrell cyberdyne`.split(/\s+/);
const NOUNS =
  `payments billing invoice invoices refunds ledger checkout auth search reports payroll api web app
  backend frontend service platform core infra data ml mobile admin portal gateway`.split(/\s+/);
const ROOTS = [
  '/home/{u}/{r}',
  '/home/{u}/src/{r}',
  '/home/{u}/work/{r}',
  '/home/{u}/code/{r}',
  '/home/{u}/projects/{r}',
  '/home/{u}/git/{r}',
  '/Users/{u}/{r}',
  '/Users/{u}/src/{r}',
  '/Users/{u}/Projects/{r}',
  'C:\\Users\\{u}\\source\\repos\\{r}',
];

export function repoNames(): string[] {
  const out = new Set<string>();
  for (const n of NOUNS) {
    out.add(n);
    out.add(`${n}-service`);
    for (const o of ORGS) out.add(`${o}-${n}`);
  }
  for (const o of ORGS) out.add(o);
  return [...out];
}

export function projectPaths(): string[] {
  const repos = repoNames();
  const out = new Set<string>();
  for (const r of repos) {
    for (const u of USERS.slice(0, 6))
      for (const root of ROOTS.slice(0, 4)) out.add(root.replace('{u}', u).replace('{r}', r));
    for (const u of USERS.slice(16)) out.add(ROOTS[0]?.replace('{u}', u).replace('{r}', r) as string);
    for (const root of ROOTS.slice(4))
      for (const u of USERS.slice(0, 3)) out.add(root.replace('{u}', u).replace('{r}', r));
    out.add(`/home/runner/work/${r}/${r}`);
    out.add(`/workspaces/${r}`);
    out.add(`/builds/${r}`);
  }
  for (const p of ['/app', '/src', '/code', '/workspace', '/project', '/repo']) out.add(p);
  return [...out];
}

export function remotes(): string[] {
  const out: string[] = [];
  for (const o of ORGS)
    for (const r of repoNames().slice(0, 60)) {
      out.push(
        `git@github.com:${o}/${r}.git`,
        `https://github.com/${o}/${r}`,
        `https://github.com/${o}/${r}.git`,
      );
      out.push(`git@gitlab.com:${o}/${r}.git`);
    }
  return out;
}

export function frameworkNames(): string[] {
  const sets = [
    FRAMEWORK_AGENTS,
    FRAMEWORK_ACTIONS,
    FRAMEWORK_WORKFLOWS,
    FRAMEWORK_DOMAINS,
    FRAMEWORK_EXPERTS,
    KNOWN_ERROR_TYPES,
  ];
  const out = new Set<string>([...ERROR_CATEGORIES, 'id', 'project']);
  for (const s of sets) for (const n of s) out.add(n);
  for (const a of FRAMEWORK_AGENTS) for (const b of FRAMEWORK_ACTIONS) out.add(`${a}.${b}`);
  return [...out];
}

/** The entries plus their spellings a hasher may have been given (normalized, last path part). */
export function dictionary(extra: readonly string[]): string[] {
  const out = new Set<string>();
  for (const x of [...frameworkNames(), ...projectPaths(), ...repoNames(), ...remotes(), ...extra]) {
    out.add(x);
    out.add(normalizeName(x));
    const base = x.split(/[\\/]/).pop();
    if (base) out.add(base);
  }
  return [...out];
}

/** The pseudonym kinds our code keys values with (lib/privacy/observe.ts, recorder.ts). */
const KINDS = ['capability', 'action', 'workflow', 'domain', 'expert', 'decision', 'project'];
export const UPSTREAM_SALT = 'tapps-agents-anonymization';
/** Keys an attacker would try when the real one is unknown: empty, the public salt. */
const GUESSED_KEYS = [Buffer.alloc(0), Buffer.from(UPSTREAM_SALT)];

const oneShot = (crypto as unknown as { hash?: (alg: string, data: string) => string }).hash;
const sha16 = (s: string) =>
  (oneShot ? oneShot('sha256', s) : createHash('sha256').update(s).digest('hex')).slice(0, 16);

/**
 * Every 16-hex digest the attacker can compute from the dictionary: the upstream exporter's
 * schemes (unsalted SHA-256 of a path, SHA-256 with the public salt), SHA-256 of our
 * `kind NUL value` input, and HMAC-SHA-256 of it under guessed keys. Digest → dictionary entry.
 */
export function attackIndex(entries: readonly string[]): Map<string, string> {
  const index = new Map<string, string>();
  const put = (digest: string, entry: string) => {
    if (!index.has(digest)) index.set(digest, entry);
  };
  for (const x of entries) {
    put(sha16(x), x);
    put(sha16(UPSTREAM_SALT + x), x);
    for (const kind of KINDS) {
      const input = `${kind}\u0000${x}`;
      put(sha16(input), x);
      for (const key of GUESSED_KEYS)
        put(createHmac('sha256', key).update(input).digest('hex').slice(0, 16), x);
    }
  }
  return index;
}

/** Looks every digest up; returns what was recovered. */
export function recover(digests: Iterable<string>, index: ReadonlyMap<string, string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const d of digests) {
    const hit = index.get(d);
    if (hit !== undefined) found.set(d, hit);
  }
  return found;
}
