/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Lengths of the digests we and every tool print in lowercase hex (64-bit ids, MD5, SHA-1, SHA-2). */
const DIGEST_HEX_LENGTHS: ReadonlySet<number> = new Set([16, 32, 40, 56, 64, 96, 128]);

const TOKEN = /[A-Za-z0-9+/=_-]{20,}/g;
const LOWER_HEX = /^[0-9a-f]+$/;
const ANY_HEX = /^[0-9A-Fa-f]+$/;

/**
 * A long token that looks random: a key, a password or a session id that no prefixed rule knows.
 * Tuned so our own ids pass: lowercase hex of a digest length (exportId, SHA-256, `p_` + 16 hex)
 * is a digest, not a secret. Other tokens need three character classes (upper, lower, digit),
 * which words, kebab-case names, dates and pointers never have, and an entropy near that of random
 * text of their length (random base62 of length n has about log2(n) bits when n ≤ 62).
 */
export function hasHighEntropyToken(text: string): boolean {
  if (text.length < 20) return false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    for (const part of m[0].split('/')) if (isRandomLooking(part)) return true;
    if (isRandomLooking(m[0]) && !m[0].startsWith('/')) return true;
  }
  return false;
}

function isRandomLooking(token: string): boolean {
  const n = token.length;
  if (n < 20) return false;
  if (ANY_HEX.test(token)) {
    if (LOWER_HEX.test(token) && DIGEST_HEX_LENGTHS.has(n)) return false;
    return n >= 24 && shannonEntropy(token) >= 3.0;
  }
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
  }
  if (upper === 0 || lower === 0) return false;
  // A random token of 32 or more letters can lack a digit (1 in 1,000 of 40 base64 characters);
  // camel-case words never have as many capitals as a random token (over a third of its letters).
  if (digit === 0 && !(n >= 32 && upper * 4 >= n && lower * 4 >= n)) return false;
  // Camel-case words with a number (`retrySuccessesPerWeek2`) have long runs of lowercase;
  // random text switches class often.
  const h = shannonEntropy(token);
  return h >= Math.min(4.2, Math.log2(n) - 0.7);
}
