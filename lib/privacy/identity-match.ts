import { isGenericWord } from './gate-vocabulary.ts';
import type { MachineIdentity } from './identity.ts';

export interface IdentityTerm {
  readonly value: string;
  readonly ruleId: string;
}

/** Finds identity values in a string; returns the rule ids that matched. */
export interface IdentityMatcher {
  readonly size: number;
  match(text: string): string[];
}

/**
 * Shortest value worth matching. Two-letter account names (`al`, `jo`) would match everywhere;
 * the path and e-mail rules still catch them in context.
 */
export const MIN_TERM_LENGTH = 3;

/** Mail providers shared by millions: their domain says nothing about who sent the export. */
const PUBLIC_MAIL =
  /^(?:gmail|googlemail|outlook|hotmail|live|yahoo|icloud|me|aol|proton|protonmail|pm|gmx|mail|yandex|zoho|users\.noreply\.github)\.[a-z.]+$/i;

/**
 * The terms the gate looks for, each with the rule that names its kind. Composite values are
 * split into the parts that identify on their own: an e-mail's local part and (non-public)
 * domain, the capitalized words of a git user name, a home directory's last folder.
 */
export function identityTerms(
  id: MachineIdentity | undefined,
  declared: readonly string[] = [],
): IdentityTerm[] {
  const terms: IdentityTerm[] = [];
  const add = (ruleId: string, values: readonly string[]) => {
    for (const value of values) terms.push({ value, ruleId });
  };
  if (id) {
    add('identity/user-name', id.userNames);
    add('identity/home-dir', id.homeDirs);
    add(
      'identity/user-name',
      id.homeDirs.map((h) => h.split(/[\\/]/).filter(Boolean).pop() ?? ''),
    );
    add('identity/host-name', id.hostNames);
    add('identity/git-user-name', id.gitUserNames);
    // A surname alone identifies; an ordinary lower-case word of a name does not, and refusing it
    // refused every dashboard hint that says "report it to the maintainers" for a git user named
    // "Seed … maintainers". So single words count when capitalized (Lovelace) or holding a digit.
    add(
      'identity/git-user-name',
      id.gitUserNames.flatMap((n) => n.split(/\s+/).filter((w) => w.length >= 4 && /^\p{Lu}|\d/u.test(w))),
    );
    add('identity/git-email', id.gitEmails);
    for (const email of id.gitEmails) {
      const at = email.lastIndexOf('@');
      if (at <= 0) continue;
      add('identity/git-email', [email.slice(0, at)]);
      const domain = email.slice(at + 1);
      if (!PUBLIC_MAIL.test(domain)) add('identity/git-email', [domain]);
    }
    add('identity/project-folder', id.projectFolders);
    add('identity/git-remote', id.gitRemotes);
    add('identity/git-remote', id.remoteParts);
  }
  add('identity/declared-term', declared);
  return terms.filter((t) => isMatchable(t.value));
}

/**
 * Why these rules. Identity values are short, common-looking words, so a plain substring test
 * would refuse every export: user `ali` is inside `alias` and `kali`, host `ci` inside `decision`,
 * user `dev` inside the framework word `devex`. Matching is therefore
 *  - token-aware: a value matches only where the text does not continue it with another letter
 *    (or digit, for a value that ends in one): `ali` matches `/home/ali/x`, `ali@…` and `ali2`,
 *    never `alias`;
 *  - case-insensitive, and lenient about separators inside the value (`orbit-billing` also
 *    matches `orbit_billing`, `Orbit Billing`, `OrbitBilling` and a JSON-escaped `C:\\Users`);
 *  - limited to values of at least MIN_TERM_LENGTH characters that are not purely digits and not
 *    generic words (`dev`, `root`, `runner`, `app`, framework names such as `rapid-dev`): such a
 *    value identifies nobody, and matching it would refuse every export that uses the word. The
 *    path, e-mail and host rules still catch those values in context (`/home/dev/…`).
 * Besides the plain form, each value is also looked for percent-encoded and base64-encoded (at
 * all three alignments), because bytes can carry an encoded value past a plain search.
 */
export function isMatchable(value: string): boolean {
  const v = value.trim();
  if (v.length < MIN_TERM_LENGTH || v.length > 512) return false;
  if (/^\d+$/.test(v)) return false;
  if (!/[\p{L}\p{N}]{2}/u.test(v)) return false;
  return !isGenericWord(v);
}

export function createIdentityMatcher(terms: readonly IdentityTerm[]): IdentityMatcher {
  const plainSources: string[] = [];
  const plainRules: string[] = [];
  const exactSources: string[] = [];
  const exactRules: string[] = [];
  const seen = new Set<string>();
  let minLength = Number.POSITIVE_INFINITY;
  for (const { value, ruleId } of terms) {
    const key = `${ruleId}\u0000${value.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const tokens = value.match(/[\p{L}\p{N}]+/gu);
    if (!tokens) continue;
    plainSources.push(tokenPattern(tokens));
    plainRules.push(ruleId);
    minLength = Math.min(minLength, tokens.join('').length);
    const percent = encodeURIComponent(value);
    if (percent !== value) {
      exactSources.push(escapeRegex(percent));
      exactRules.push(ruleId);
    }
    if (hasNonAscii(value)) {
      // JSON written with ensure_ascii (Python's default) spells `é` as `\u00e9`.
      exactSources.push(escapeRegex(asciiEscaped(value)));
      exactRules.push(ruleId);
    }
    for (const core of base64Cores(value)) {
      exactSources.push(escapeRegex(core));
      exactRules.push(ruleId);
    }
  }
  const plain = group(plainSources, 'giu');
  const exact = group(exactSources, 'g');
  return {
    size: plainSources.length,
    match(text) {
      if (text.length < minLength) return [];
      const out = new Set<string>();
      collect(plain, plainRules, text, out);
      if (exact) collect(exact, exactRules, text, out);
      return [...out];
    },
  };
}

/** Tokens in order, with up to three separator characters (or none) between them. */
function tokenPattern(tokens: readonly string[]): string {
  const first = tokens[0] as string;
  const last = tokens[tokens.length - 1] as string;
  const before = /^\p{N}/u.test(first) ? '(?<!\\p{N})' : '(?<!\\p{L})';
  const after = /\p{N}$/u.test(last) ? '(?!\\p{N})' : '(?!\\p{L})';
  return `${before}${tokens.join('[^\\p{L}\\p{N}]{0,3}')}${after}`;
}

/**
 * Base64 of a value depends on its alignment in the encoded stream; the middle part of each of
 * the three encodings is stable whatever precedes or follows it.
 */
export function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length < 6) return [];
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const b64 = padded.toString('base64');
    // Character k holds bits [6k, 6k+6): keep those that hold only the value's bits.
    const core = b64.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6));
    if (core.length >= 6) cores.push(core);
  }
  return cores;
}

function hasNonAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return true;
  return false;
}

function asciiEscaped(value: string): string {
  let out = '';
  for (const c of value) out += c.charCodeAt(0) > 0x7f ? escapeUnits(c) : c;
  return out;
}

/** `\uXXXX` for each UTF-16 unit, as JSON writers spell characters outside ASCII. */
function escapeUnits(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

const cache = new WeakMap<MachineIdentity, Map<string, IdentityMatcher>>();
const withoutIdentity = new Map<string, IdentityMatcher>();

/**
 * The matcher for an identity and declared terms, cached: building the regex costs more than
 * running it, and one identity gates many documents.
 */
export function identityMatcher(
  id: MachineIdentity | undefined,
  declared: readonly string[] = [],
): IdentityMatcher {
  let byTerms = withoutIdentity;
  if (id) {
    byTerms = cache.get(id) ?? new Map<string, IdentityMatcher>();
    cache.set(id, byTerms);
  }
  const key = declared.join('\u0000');
  let m = byTerms.get(key);
  if (!m) {
    m = createIdentityMatcher(identityTerms(id, declared));
    if (byTerms.size >= 16) byTerms.clear();
    byTerms.set(key, m);
  }
  return m;
}

function group(sources: readonly string[], flags: string): RegExp | null {
  if (sources.length === 0) return null;
  return new RegExp(sources.map((s) => `(${s})`).join('|'), flags);
}

function collect(re: RegExp | null, rules: readonly string[], text: string, out: Set<string>): void {
  if (!re) return;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    for (let i = 1; i < m.length; i++) {
      if (m[i] !== undefined) {
        out.add(rules[i - 1] as string);
        break;
      }
    }
    if (m[0] === '') re.lastIndex++;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
