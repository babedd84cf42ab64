/**
 * The ids a run has emitted, as 64-bit hashes in typed arrays: half a million string keys in a Map
 * kept the heap growing through the whole run (flattened ids, hash tables rebuilt as they grew, all
 * of it copied by every young-generation collection). A collision (odds about 1 in 10^8 for a run
 * of half a million ids) could hide one record, never add one, like the persisted window's hashes.
 */

/** The two 32-bit halves of the hash hashId computed last (an object per call would be garbage). */
export const lastHash = { lo: 0, hi: 0 };

/**
 * cyrb53 of `s`: returns the 53-bit value hash.ts's hash53 gives, and leaves both 32-bit halves in
 * lastHash for an IdSet.
 */
export function hashId(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  lastHash.lo = h1 >>> 0;
  lastHash.hi = h2 >>> 0;
  return 4294967296 * (2097151 & lastHash.hi) + lastHash.lo;
}

/** An open-addressing set of 64-bit hashes, each with a UTC day. */
export class IdSet {
  /**
   * Three words per slot, side by side so a probe touches one cache line: the hash's low and high
   * halves, and the day + 1 (0: the slot is empty).
   */
  #slots = new Uint32Array(3 << 14);
  #capacity = 1 << 14;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Whether the hash hashId computed last is in the set. */
  has(): boolean {
    return this.#slots[3 * this.#slot(lastHash.lo, lastHash.hi) + 2] !== 0;
  }

  /** Adds the hash hashId computed last, or gives it this day if it is there already. */
  set(day = 0): void {
    if ((this.#size + 1) * 2 > this.#capacity) this.#grow();
    const at = 3 * this.#slot(lastHash.lo, lastHash.hi);
    if (this.#slots[at + 2] === 0) this.#size++;
    this.#slots[at] = lastHash.lo;
    this.#slots[at + 1] = lastHash.hi;
    this.#slots[at + 2] = day + 1;
  }

  /** Every entry as [hash53, day]. */
  *entries(): IterableIterator<[number, number]> {
    const s = this.#slots;
    for (let at = 0; at < s.length; at += 3) {
      const d = s[at + 2] as number;
      if (d !== 0) yield [4294967296 * (2097151 & (s[at + 1] as number)) + (s[at] as number), d - 1];
    }
  }

  /** The slot holding (lo, hi), or the empty slot where it would go. */
  #slot(lo: number, hi: number): number {
    const mask = this.#capacity - 1;
    const s = this.#slots;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    while (s[3 * i + 2] !== 0 && (s[3 * i] !== lo || s[3 * i + 1] !== hi)) i = (i + 1) & mask;
    return i;
  }

  #grow(): void {
    const old = this.#slots;
    this.#capacity *= 2;
    this.#slots = new Uint32Array(3 * this.#capacity);
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] === 0) continue;
      const lo = old[at] as number;
      const hi = old[at + 1] as number;
      const to = 3 * this.#slot(lo, hi);
      this.#slots[to] = lo;
      this.#slots[to + 1] = hi;
      this.#slots[to + 2] = old[at + 2] as number;
    }
  }
}
