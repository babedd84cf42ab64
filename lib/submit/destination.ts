import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a submission goes. Parsed from `--to`, TAPPS_LEARNING_SUBMIT_TO or a consent record. */
export type Destination =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'github'; readonly owner: string; readonly repo: string; readonly apiBase: string }
  | { readonly kind: 'http'; readonly base: string };

export const DEFAULT_GITHUB_OWNER = 'wtthornton';
export const DEFAULT_GITHUB_REPO = 'TappsCodingAgents';
export const DEFAULT_GITHUB_API = 'https://api.github.com';
export const MAX_DESTINATION_CHARS = 2048;

/** Bad destination text: says what is wrong and what is accepted. */
export class DestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationError';
  }
}

const ACCEPTED = 'use file:PATH, github, github:OWNER/REPO, or the https:// URL of a hub';
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Parses a destination. `source` names where the text came from (`--to`, an environment variable)
 * so the error can say where to fix it. The GitHub API base is part of a github destination: a
 * different API base is a different destination, and needs its own consent.
 */
export function parseDestination(
  text: string,
  o: { cwd: string; githubApiBase: string; source: string },
): Destination {
  const t = text.trim();
  if (t === '') throw new DestinationError(`${o.source} is empty; ${ACCEPTED}`);
  if (t.length > MAX_DESTINATION_CHARS)
    throw new DestinationError(`${o.source} is longer than ${MAX_DESTINATION_CHARS} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(t)) throw new DestinationError(`${o.source} contains control characters`);
  if (/^file:/i.test(t)) return { kind: 'file', path: filePath(t, o) };
  if (/^github(?::|$)/i.test(t)) {
    const rest = t.slice('github'.length + 1);
    if (rest === '')
      return {
        kind: 'github',
        owner: DEFAULT_GITHUB_OWNER,
        repo: DEFAULT_GITHUB_REPO,
        apiBase: normalizeBase(o.githubApiBase, 'the GitHub API base'),
      };
    const m = /^([^/]+)\/([^/]+)$/.exec(rest);
    if (!m || !OWNER.test(m[1] as string) || !REPO.test(m[2] as string) || m[2] === '.' || m[2] === '..')
      throw new DestinationError(`${o.source}: "${t}" is not github:OWNER/REPO (letters, digits, - . _)`);
    return {
      kind: 'github',
      owner: m[1] as string,
      repo: (m[2] as string).replace(/\.git$/i, ''),
      apiBase: normalizeBase(o.githubApiBase, 'the GitHub API base'),
    };
  }
  if (/^https?:\/\//i.test(t)) {
    const base = normalizeBase(t, o.source).replace(/\/v1\/submissions$/, '');
    return { kind: 'http', base };
  }
  throw new DestinationError(`${o.source}: unknown destination "${t.slice(0, 80)}"; ${ACCEPTED}`);
}

function filePath(t: string, o: { cwd: string; source: string }): string {
  let p: string;
  if (/^file:\/\//i.test(t)) {
    try {
      p = fileURLToPath(t);
    } catch (error) {
      throw new DestinationError(
        `${o.source}: "${t}" is not a usable file URL (${(error as Error).message})`,
      );
    }
  } else p = t.slice('file:'.length);
  if (p === '')
    throw new DestinationError(
      `${o.source}: file: needs a path, e.g. file:./learning-bundle or file:learning.tar.gz`,
    );
  return isAbsolute(p) ? resolve(p) : resolve(o.cwd, p);
}

/**
 * A hub or API base URL in one canonical form (lower-case host, no default port, no trailing
 * slash), so cosmetic differences never count as a new destination. Plain http only reaches this
 * machine: anything else must be https.
 */
export function normalizeBase(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new DestinationError(`${source}: "${text.slice(0, 80)}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new DestinationError(`${source}: ${url.protocol} URLs are not supported; use https://`);
  if (url.username || url.password)
    throw new DestinationError(
      `${source}: the URL carries a user name or password; remove it (it would be stored in the consent record)`,
    );
  if (url.search || url.hash)
    throw new DestinationError(`${source}: remove the query string or fragment from the URL`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw new DestinationError(
      `${source}: plain http:// is allowed only for this machine (localhost); use https:// for ${url.hostname}`,
    );
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * The canonical text a consent is bound to. GitHub names are case-insensitive, so the repository
 * is lower-cased; the API base appears only when it is not GitHub's own.
 */
export function destinationKey(d: Destination): string {
  switch (d.kind) {
    case 'file':
      return `file:${d.path}`;
    case 'github': {
      const repo = `github:${d.owner.toLowerCase()}/${d.repo.toLowerCase()}`;
      return d.apiBase === DEFAULT_GITHUB_API ? repo : `${repo} via ${d.apiBase}`;
    }
    case 'http':
      return d.base;
  }
}

/** The text a user types to choose this destination again (`--to …`). */
export function destinationArg(d: Destination): string {
  switch (d.kind) {
    case 'file':
      return `file:${d.path}`;
    case 'github':
      return d.owner === DEFAULT_GITHUB_OWNER && d.repo === DEFAULT_GITHUB_REPO
        ? 'github'
        : `github:${d.owner}/${d.repo}`;
    case 'http':
      return d.base;
  }
}

/** One line for prompts and messages: who will be able to read what is sent. */
export function describeDestination(d: Destination): string {
  switch (d.kind) {
    case 'file':
      return `a bundle written to ${d.path} for you to upload by hand (nothing is sent)`;
    case 'github': {
      const via = d.apiBase === DEFAULT_GITHUB_API ? '' : ` through the API at ${d.apiBase}`;
      return `a GitHub issue in ${d.owner}/${d.repo}${via} (issues of a public repository are public)`;
    }
    case 'http':
      return `the learning hub at ${d.base}`;
  }
}

/** The web address of a GitHub API base: api.github.com → github.com, GHES …/api/v3 → its host. */
export function githubWebBase(apiBase: string): string {
  if (apiBase === DEFAULT_GITHUB_API) return 'https://github.com';
  return apiBase.replace(/\/api\/v3$/, '');
}

/** A destination only this machine sees (a bundle) needs no consent: nothing leaves. */
export function leavesMachine(d: Destination): boolean {
  return d.kind !== 'file';
}

/**
 * The destination a consent record names, for a submit without `--to`. A github destination takes
 * the API base in force now, not the recorded one: if the environment changed it, the key differs
 * and the consent check asks again instead of sending somewhere new.
 */
export function destinationFromKey(key: string, o: { cwd: string; githubApiBase: string }): Destination {
  const github = /^(github:[^\s]+)(?: via .+)?$/.exec(key);
  const text = github ? (github[1] as string) : key;
  const d = parseDestination(text, { ...o, source: 'the consent record' });
  // Keys are lower-case; give the framework's repository back its own spelling for URLs and messages.
  if (
    d.kind === 'github' &&
    d.owner === DEFAULT_GITHUB_OWNER.toLowerCase() &&
    d.repo === DEFAULT_GITHUB_REPO.toLowerCase()
  )
    return { ...d, owner: DEFAULT_GITHUB_OWNER, repo: DEFAULT_GITHUB_REPO };
  return d;
}
