import { isFrameworkWord } from './gate-vocabulary.ts';
import { FRAMEWORK_ACTIONS, FRAMEWORK_AGENTS } from './known-names.ts';

/**
 * What an allow-listed export never holds: code, code identifiers, free text and custom names
 * that escaped pseudonymization. Upstream leaked all of them (L7, L9–L11: function names inside
 * pattern ids, `def` lines, failure reasons, prompts), so the second wall looks for their shape.
 */
const CODE =
  /\bdef\s+[A-Za-z_]\w*\s*\(|\bclass\s+(?:[A-Z]\w*|\w+\s*[:({])|\bfunction\b[\s\w$]*\(|\bfunc\s+\w+\s*\(|\bfn\s+\w+\s*[(<]|\bfrom\s+[\w.]+\s+import\b|\bimport\s+[\w.*{}, ]+\s+from\s+['"]|\brequire\(\s*['"]|[A-Za-z_$][\w$.]*\([^()]*\)|=>|\w\s*[!=]==?\s*\w|;\s*$/m;
const CODE_HINT = /[(;=]|\bclass\s|\bdef\s|\bimport\b|\bfunction\b/;

/** snake_case words: Python function, variable and module names, custom capability ids. */
const SNAKE = /(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![A-Za-z0-9_])/g;
/** Our keyed pseudonyms and migrated legacy ids; upstream `hash_` ids have their own rule. */
const OUR_IDS = /^(?:p|legacy|hash)_[0-9a-f]{16}$/;

const SENTENCE_PUNCTUATION = /[:;,!?"'()]/;
const CAPABILITY = /^([A-Za-z][A-Za-z_-]*)\.([A-Za-z0-9_-]+)$/;
const PSEUDONYM = /^p_[0-9a-f]{16}$/;

export function codeRules(text: string, out: string[]): void {
  if (CODE_HINT.test(text) && CODE.test(text)) out.push('code/fragment');
  if (text.includes('_') && hasCodeIdentifier(text)) out.push('code/identifier');
  if (isFreeText(text)) out.push('text/free-text');
  if (text.includes('.') && isUnlistedCapability(text)) out.push('name/unlisted-capability');
}

/**
 * A snake_case word is code unless the framework ships it (`write_code`, `test_coverage`).
 * ALL_CAPS words (`DO_NOT_TRACK`) are configuration names, not project code, and a word with a
 * 16+ character part holding digits (`sk_live_…`, `p_…`) is a token, left to the secret rules.
 */
function hasCodeIdentifier(text: string): boolean {
  SNAKE.lastIndex = 0;
  for (let m = SNAKE.exec(text); m !== null; m = SNAKE.exec(text)) {
    const w = m[0];
    if (w === w.toUpperCase()) continue;
    if (OUR_IDS.test(w) || isFrameworkWord(w)) continue;
    if (w.split('_').some((part, i) => i > 0 && part.length >= 16 && /\d/.test(part))) continue;
    return true;
  }
  return false;
}

/**
 * Three or more words, or two words with sentence punctuation: a message, a reason, a prompt or a
 * title. Export labels never contain spaces (schema Label), so this costs no precision on them.
 */
function isFreeText(text: string): boolean {
  if (!/\s/.test(text)) return false;
  let words = 0;
  for (const token of text.split(/\s+/)) if (/[A-Za-z]/.test(token)) words++;
  if (words >= 3) return true;
  return words >= 2 && SENTENCE_PUNCTUATION.test(text);
}

/**
 * `implementer.contoso-refund-service`: a framework agent with an action the framework does not
 * ship. observe() always pseudonymizes such actions (`implementer.p_…`), so a readable one in an
 * outgoing document is a custom (project-named) capability that slipped through (upstream L2).
 */
function isUnlistedCapability(text: string): boolean {
  const m = CAPABILITY.exec(text);
  if (!m) return false;
  const agent = normalize(m[1] as string);
  const action = m[2] as string;
  if (!FRAMEWORK_AGENTS.has(agent)) return false;
  if (PSEUDONYM.test(action) || action === '__other__') return false;
  return !FRAMEWORK_ACTIONS.has(normalize(action)) && !isFrameworkWord(action);
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/_+/g, '-');
}
