/**
 * Retries with exponential backoff and full jitter (AWS architecture blog, "Exponential Backoff and
 * Jitter"): the wait before retry n is uniform in [0, min(maxDelay, base·2^(n-1))], so many clients
 * that failed together do not come back together. Retry-After is honoured as a lower bound. Attempts
 * and total time are capped: when the cap is reached the caller queues the submission instead.
 */

export interface RetryPolicy {
  maxAttempts: number;
  /** Time budget for all attempts and waits together. */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** One attempt is abandoned (and counted as a timeout) after this long. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  maxTotalMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  attemptTimeoutMs: 15_000,
};

/** Clock, sleep and randomness come in, so tests run the policy without waiting or mocking. */
export interface RetryDeps {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export type AttemptOutcome<T> =
  | { kind: 'done'; value: T }
  /** Worth another try (5xx, 408, 429, timeout, network); `retryAfterMs` from the server. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** Trying again cannot help (another 4xx). */
  | { kind: 'fail'; value: T };

export type RetryResult<T> =
  | { kind: 'done'; value: T; attempts: number }
  | { kind: 'fail'; value: T; attempts: number }
  | { kind: 'exhausted'; reason: string; attempts: number; retryAfterMs?: number };

/** The full-jitter wait before retry number `retry` (1 = the first retry). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 10.2.3). Anything else,
 * negative or absurd (over a day) is ignored rather than trusted.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const t = value.trim();
  if (/^\d{1,6}$/.test(t)) return Number(t) * 1000;
  // An HTTP date names its weekday or month; anything else (-1, 1.5) is not one.
  if (t.length > 64 || !/[A-Za-z]{3}/.test(t)) return undefined;
  const at = Date.parse(t);
  if (Number.isNaN(at)) return undefined;
  const ms = at - nowMs;
  if (ms > 86_400_000) return undefined;
  return Math.max(0, ms);
}

/**
 * Runs `attempt` until it is done, fails for good, or the attempts or the time budget run out.
 * Each attempt gets the time it may take: the attempt timeout, or what is left of the budget.
 */
export async function withRetries<T>(
  attempt: (n: number, timeoutMs: number) => Promise<AttemptOutcome<T>>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<RetryResult<T>> {
  const start = deps.now();
  let last: { reason: string; retryAfterMs?: number } = { reason: 'not tried' };
  for (let n = 1; n <= policy.maxAttempts; n++) {
    const left = policy.maxTotalMs - (deps.now() - start);
    const outcome = await attempt(n, Math.max(1, Math.min(policy.attemptTimeoutMs, left)));
    if (outcome.kind === 'done') return { kind: 'done', value: outcome.value, attempts: n };
    if (outcome.kind === 'fail') return { kind: 'fail', value: outcome.value, attempts: n };
    last =
      outcome.retryAfterMs === undefined
        ? { reason: outcome.reason }
        : { reason: outcome.reason, retryAfterMs: outcome.retryAfterMs };
    if (n === policy.maxAttempts) break;
    const wait = Math.max(backoffDelay(n, policy, deps.random), outcome.retryAfterMs ?? 0);
    // Waiting past the budget would only delay the queueing the caller does anyway.
    if (deps.now() - start + wait >= policy.maxTotalMs) return { kind: 'exhausted', attempts: n, ...last };
    await deps.sleep(wait);
  }
  return { kind: 'exhausted', attempts: policy.maxAttempts, ...last };
}
