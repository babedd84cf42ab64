import { createHmac } from 'node:crypto';

/** `p_` + 16 hex digits of HMAC-SHA-256(secret, kind NUL value): unlinkable without the secret. */
export type Pseudonymize = (kind: string, value: string) => string;

export const PSEUDONYM_PATTERN = /^p_[0-9a-f]{16}$/;

/**
 * A keyed pseudonymizer. The per-project 256-bit secret makes a dictionary of guessed names useless
 * (the framework's own exporter used a public constant salt, so its hashes are reversible). A small
 * cache keeps the per-event cost in microseconds: the same few names recur on every event.
 */
export function createPseudonymizer(secret: Uint8Array, cacheSize = 4096): Pseudonymize {
  if (secret.byteLength < 32) throw new Error('pseudonym secret must be at least 256 bits');
  const cache = new Map<string, string>();
  return (kind, value) => {
    const key = `${kind}\u0000${value}`;
    let p = cache.get(key);
    if (p === undefined) {
      p = `p_${createHmac('sha256', secret).update(key).digest('hex').slice(0, 16)}`;
      if (cache.size >= cacheSize) cache.clear();
      cache.set(key, p);
    }
    return p;
  };
}
