export interface RateLimit {
  /** Requests allowed per minute on average; 0 turns the limit off. */
  perMinute: number;
  /** Requests allowed at once after a quiet spell. */
  burst: number;
}

/**
 * Token buckets, one per key (a bearer token's hash, a client address). Each request takes a token;
 * tokens come back at `perMinute`, up to `burst`. Idle full buckets are forgotten, and at most
 * `maxKeys` are kept, so a scan from many addresses cannot grow memory without bound.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** 0 when the request may go ahead, else the seconds to wait. */
  take(key: string): number {
    if (this.limit.perMinute <= 0) return 0;
    const now = this.clock();
    const ratePerMs = this.limit.perMinute / 60_000;
    const b = this.#buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + (now - b.at) * ratePerMs);
    b.at = now;
    this.#buckets.delete(key);
    this.#buckets.set(key, b);
    if (this.#buckets.size > this.maxKeys) this.#evict();
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000));
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Least recently used first (a Map keeps insertion order and take() re-inserts). */
  #evict(): void {
    for (const key of this.#buckets.keys()) {
      this.#buckets.delete(key);
      if (this.#buckets.size <= this.maxKeys) return;
    }
  }
}
