import { createHash, hash } from 'node:crypto';

/** `p_` + 16 hex digits of HMAC-SHA-256(secret, kind NUL value): unlinkable without the secret. */
export type Pseudonymize = (kind: string, value: string) => string;

export const PSEUDONYM_PATTERN = /^p_[0-9a-f]{16}$/;

const BLOCK = 64;
/** Kinds whose values never recur within a run (one per event): caching them only evicts the names. */
const UNIQUE_KIND = 'event:';

/**
 * HMAC-SHA-256 (RFC 2104) as two one-shot hashes over reused buffers, in hex. `createHmac` builds
 * a keyed object per call; with two pseudonyms per event that was a tenth of a full collection.
 */
function hmacSha256Hex(secret: Uint8Array): (message: string) => string {
  const key = secret.byteLength > BLOCK ? createHash('sha256').update(secret).digest() : secret;
  let inner = Buffer.alloc(BLOCK + 1024, 0);
  const outer = Buffer.alloc(BLOCK + 32, 0x5c);
  inner.fill(0x36, 0, BLOCK);
  for (let i = 0; i < key.byteLength; i++) {
    inner[i] = (inner[i] as number) ^ (key[i] as number);
    outer[i] = (outer[i] as number) ^ (key[i] as number);
  }
  return (message) => {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit: grown first, never truncated.
    if (BLOCK + 3 * message.length > inner.length) {
      const bigger = Buffer.alloc(BLOCK + 3 * message.length);
      inner.copy(bigger, 0, 0, BLOCK);
      inner = bigger;
    }
    const n = inner.write(message, BLOCK, 'utf8');
    hash('sha256', inner.subarray(0, BLOCK + n), 'buffer').copy(outer, BLOCK);
    return hash('sha256', outer, 'hex');
  };
}

/**
 * A keyed pseudonymizer. The per-project 256-bit secret makes a dictionary of guessed names useless
 * (the framework's own exporter used a public constant salt, so its hashes are reversible). A small
 * cache keeps the per-event cost in microseconds: the same few names recur on every event.
 */
export function createPseudonymizer(secret: Uint8Array, cacheSize = 4096): Pseudonymize {
  if (secret.byteLength < 32) throw new Error('pseudonym secret must be at least 256 bits');
  const hmac = hmacSha256Hex(secret);
  const pseudonymOf = (key: string) => `p_${hmac(key).slice(0, 16)}`;
  const cache = new Map<string, string>();
  return (kind, value) => {
    const key = `${kind}\u0000${value}`;
    if (kind.startsWith(UNIQUE_KIND)) return pseudonymOf(key);
    let p = cache.get(key);
    if (p === undefined) {
      p = pseudonymOf(key);
      if (cache.size >= cacheSize) cache.clear();
      cache.set(key, p);
    }
    return p;
  };
}
