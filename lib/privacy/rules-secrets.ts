import { hasHighEntropyToken } from './entropy.ts';

/**
 * Our own secret rules: the prefixed token families (vendor formats as gitleaks writes them, with
 * lengths loosened so a truncated or test token still counts), private keys, JWTs, credentials in
 * URLs and `password: …` assignments. secretlint's preset runs beside them (secretlint-scan.ts);
 * these exist because the preset skips the AWS docs key, truncated PEM blocks, Stripe and Google
 * keys, and because a prefix test is cheap enough to run on every string.
 */
interface TokenRule {
  readonly id: string;
  /** Substrings of which at least one must occur: a cheap test before the regex. */
  readonly hints: readonly string[];
  readonly re: RegExp;
}

// Token characters around a match must not continue it (`(?<![A-Za-z0-9])`), so a long random
// word that merely contains `AKIA` is not a key unless the whole token has the key's shape.
const RULES: readonly TokenRule[] = [
  {
    id: 'secret/github-token',
    hints: ['gh'],
    re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{20,255}(?![A-Za-z0-9])/,
  },
  { id: 'secret/github-token', hints: ['github_pat_'], re: /github_pat_[A-Za-z0-9_]{20,255}/ },
  {
    id: 'secret/gitlab-token',
    hints: ['gl'],
    re: /(?<![A-Za-z0-9])gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|oas|agent)-[A-Za-z0-9_-]{16,}/,
  },
  { id: 'secret/slack-token', hints: ['xox'], re: /(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,}/ },
  {
    id: 'secret/slack-webhook',
    hints: ['hooks.slack.com'],
    re: /hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]{10,}/,
  },
  {
    id: 'secret/stripe-key',
    hints: ['_live_', '_test_'],
    re: /(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/,
  },
  { id: 'secret/google-api-key', hints: ['AIza'], re: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{30,}/ },
  {
    id: 'secret/aws-access-key',
    hints: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/,
  },
  { id: 'secret/anthropic-key', hints: ['sk-ant-'], re: /sk-ant-[A-Za-z0-9_-]{16,}/ },
  {
    id: 'secret/openai-key',
    hints: ['sk-'],
    re: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{16,}|[A-Za-z0-9]{20,}(?:T3BlbkFJ[A-Za-z0-9]{10,})?)(?![A-Za-z0-9])/,
  },
  { id: 'secret/npm-token', hints: ['npm_'], re: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{30,}/ },
  { id: 'secret/huggingface-token', hints: ['hf_'], re: /(?<![A-Za-z0-9_])hf_[A-Za-z]{30,}/ },
  {
    id: 'secret/sendgrid-key',
    hints: ['SG.'],
    re: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/,
  },
  { id: 'secret/pypi-token', hints: ['pypi-'], re: /pypi-AgE[A-Za-z0-9_-]{30,}/ },
  {
    id: 'secret/vendor-token',
    hints: [
      'dop_v1_',
      'shpat_',
      'shpss_',
      'hvs.',
      'lin_api_',
      'PMAK-',
      'glsa_',
      'sntryu_',
      'dapi',
      'AGE-SECRET-KEY-',
      'pplx-',
      'HRKU-',
    ],
    re: /(?<![A-Za-z0-9])(?:dop_v1_[a-f0-9]{32,}|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{20,}|hvs\.[A-Za-z0-9_-]{20,}|lin_api_[A-Za-z0-9]{20,}|PMAK-[A-Za-z0-9-]{20,}|glsa_[A-Za-z0-9_]{20,}|sntryu_[a-f0-9]{32,}|dapi[a-f0-9]{32}|AGE-SECRET-KEY-1[A-Z0-9]{20,}|pplx-[A-Za-z0-9]{20,}|HRKU-[A-Za-z0-9_-]{20,})/,
  },
  // Even a truncated block: the header alone says a private key was pasted here.
  { id: 'secret/private-key', hints: ['PRIVATE KEY'], re: /-{3,}\s*BEGIN[ A-Z0-9]*PRIVATE KEY/ },
  {
    id: 'secret/jwt',
    hints: ['eyJ'],
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/,
  },
  { id: 'secret/url-credentials', hints: ['://'], re: /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:]+:[^\s/?#@]+@/ },
  // Upstream's `hash_` ids are SHA-256 with a public constant salt: reversible by dictionary.
  { id: 'pseudonym/unkeyed-hash', hints: ['hash_'], re: /(?<![A-Za-z0-9])hash_[0-9a-f]{16}(?![A-Za-z0-9])/ },
];

/**
 * `password hunter2`, `api_key=…`, `token: …`: a secret named by the word before it. The value
 * must look like one (a digit or symbol, or 8+ characters), so `token budget` is not a finding.
 */
const ASSIGNMENT =
  /(?<![A-Za-z])(?:pass(?:word|wd|phrase)?|pwd|secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?token|access[_-]?token|bearer|token|credentials?|private[_-]?key)["']?\s*(?:[:=]|=>|\s+is\s+|\s)\s*["']?([^\s"',;)]{4,})/i;
const ASSIGNMENT_HINT = /pass|pwd|secret|key|token|bearer|credential/i;
const PLACEHOLDER =
  /^(?:\*+|x+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|null|none|true|false|required|missing|invalid|expired|redacted|\[redacted\]|changeme|example|budget|limit|count|usage|length)$/i;

export function secretRules(text: string, out: string[]): void {
  for (const rule of RULES) {
    if (!hasHint(text, rule.hints)) continue;
    if (rule.re.test(text)) out.push(rule.id);
  }
  if (ASSIGNMENT_HINT.test(text)) {
    const value = ASSIGNMENT.exec(text)?.[1];
    if (value !== undefined && looksLikeSecretValue(value)) out.push('secret/password-assignment');
  }
  if (hasHighEntropyToken(text)) out.push('secret/high-entropy');
}

function hasHint(text: string, hints: readonly string[]): boolean {
  for (const h of hints) if (text.includes(h)) return true;
  return false;
}

function looksLikeSecretValue(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  return /[0-9!@#$%^&*+=?~]/.test(value) || value.length >= 8;
}

/**
 * A key that names a secret (`password`, `api_key`, `GITHUB_TOKEN`): any non-trivial string
 * under it is one, whatever it looks like.
 */
const SECRET_KEY =
  /(?:^|[_\-.\s]|[a-z](?=[A-Z]))(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth)$/i;

/** Field names are identifiers; a key with `/` or spaces is a label (`secret/github-token`), not a field. */
const FIELD_NAME = /^[A-Za-z_$][\w$.-]*$/;

export function isSecretKey(key: string): boolean {
  return key.length <= 64 && FIELD_NAME.test(key) && SECRET_KEY.test(key);
}

export function isSecretValueUnderKey(value: string): boolean {
  const v = value.trim();
  return v.length >= 3 && !PLACEHOLDER.test(v);
}
