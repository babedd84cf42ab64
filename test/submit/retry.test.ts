import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type AttemptOutcome,
  backoffDelay,
  DEFAULT_RETRY,
  parseRetryAfter,
  type RetryPolicy,
  withRetries,
} from '../../lib/submit/retry.ts';

/** A clock that only moves when the code sleeps: the policy runs without waiting. */
function fakeTime(random = () => 0.5) {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    deps: {
      now: () => now,
      sleep: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
      random,
    },
  };
}

const policy: RetryPolicy = {
  maxAttempts: 5,
  maxTotalMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  attemptTimeoutMs: 10_000,
};

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(max, base·2^(n-1))] for any random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (n, r) => {
          const d = backoffDelay(n, policy, () => r);
          assert.ok(
            d >= 0 && d <= Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)),
            `${n} ${r} ${d}`,
          );
        },
      ),
    );
  });

  it('grows exponentially until the cap', () => {
    const top = (n: number) => backoffDelay(n, policy, () => 0.9999999);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(top), [499, 999, 1999, 3999, 7999, 7999]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, ignores nonsense', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('-1', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(
      parseRetryAfter('Wed, 24 Nov 2027 10:00:00 GMT', now),
      undefined,
      'more than a day is not trusted',
    );
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});

describe('withRetries', () => {
  const retry = (reason = 'HTTP 503', retryAfterMs?: number): AttemptOutcome<string> =>
    retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs };

  it('retries until done, waiting with jitter between attempts', async () => {
    const t = fakeTime();
    const outcomes = [retry(), retry(), { kind: 'done', value: 'ok' } as const];
    const r = await withRetries(async () => outcomes.shift()!, policy, t.deps);
    assert.deepEqual(r, { kind: 'done', value: 'ok', attempts: 3 });
    assert.deepEqual(t.waits, [250, 500]);
  });

  it('never retries a final failure', async () => {
    const t = fakeTime();
    let n = 0;
    const r = await withRetries(
      async () => {
        n++;
        return { kind: 'fail', value: '400' };
      },
      policy,
      t.deps,
    );
    assert.equal(r.kind, 'fail');
    assert.equal(n, 1);
    assert.deepEqual(t.waits, []);
  });

  it('honours Retry-After as a lower bound on the wait', async () => {
    const t = fakeTime(() => 0);
    const outcomes = [retry('HTTP 429', 4_000), { kind: 'done', value: 'ok' } as const];
    await withRetries(async () => outcomes.shift()!, policy, t.deps);
    assert.deepEqual(t.waits, [4_000]);
  });

  it('stops at the attempt cap, and before a wait would pass the time budget', async () => {
    const t = fakeTime();
    const capped = await withRetries(async () => retry(), policy, t.deps);
    assert.deepEqual(capped, { kind: 'exhausted', reason: 'HTTP 503', attempts: 5 });
    const t2 = fakeTime();
    const budget = await withRetries(async () => retry('HTTP 503', 120_000), policy, t2.deps);
    assert.equal(budget.kind, 'exhausted');
    assert.equal(
      budget.attempts,
      1,
      'a Retry-After beyond the budget ends the run at once (the caller queues)',
    );
    assert.deepEqual(t2.waits, []);
  });

  it('gives each attempt at most what is left of the budget', async () => {
    const t = fakeTime(() => 0.9999);
    const timeouts: number[] = [];
    await withRetries(
      async (_n, timeoutMs) => {
        timeouts.push(timeoutMs);
        return retry('HTTP 503', 20_000);
      },
      { ...policy, maxTotalMs: 45_000 },
      t.deps,
    );
    assert.deepEqual(timeouts, [10_000, 10_000, 5_000]);
  });

  it('the default policy is bounded: at most 5 attempts in a minute', () => {
    assert.equal(DEFAULT_RETRY.maxAttempts, 5);
    assert.equal(DEFAULT_RETRY.maxTotalMs, 60_000);
  });
});
