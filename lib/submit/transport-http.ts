import * as v from 'valibot';
import { HubErrorAnswer, HubReceiptAnswer } from '../../schema/submission-answer.ts';
import { PACKAGE_VERSION } from '../version.ts';
import { type FetchFn, type HttpAnswer, requestOnce, retryableStatus } from './http-request.ts';
import type { Payload } from './payload.ts';
import { parseRetryAfter, type RetryDeps, type RetryPolicy, withRetries } from './retry.ts';
import { safeText } from './safe-text.ts';

export interface HttpDeps extends RetryDeps {
  fetch: FetchFn;
  retry: RetryPolicy;
}

export type HubOutcome =
  | { kind: 'accepted'; status: number; answer: HubReceiptAnswer | null; problem?: string; attempts: number }
  | { kind: 'rejected'; status: number; type: string; message: string; attempts: number }
  | { kind: 'unreachable'; reason: string; attempts: number };

export const USER_AGENT = `@tapps-agents/learning/${PACKAGE_VERSION}`;

export function submissionsUrl(base: string): string {
  return `${base}/v1/submissions`;
}

/** The request headers of a submission: the exportId is the idempotency key, so a retry can never count twice. */
export function submissionHeaders(payload: Payload): Record<string, string> {
  return {
    'content-type': payload.format === 'msgpack' ? 'application/msgpack' : 'application/json',
    'content-encoding': 'gzip',
    'idempotency-key': payload.exportId,
    'content-digest': `sha-256=:${Buffer.from(payload.sha256, 'hex').toString('base64')}:`,
    accept: 'application/json',
    'user-agent': USER_AGENT,
  };
}

/**
 * POST <base>/v1/submissions with retries. A 2xx is delivered (a duplicate exportId answers 200 with
 * the first receipt); another 4xx is final; 5xx, 408, 429, timeouts and network errors are retried
 * until the policy gives up, and then the caller queues the payload in the outbox.
 */
export async function postToHub(
  base: string,
  payload: Payload,
  deps: HttpDeps,
  /** `authorization` for hubs that require a submission token, `deletion-token` chosen by this project. */
  extraHeaders: Record<string, string> = {},
): Promise<HubOutcome> {
  const url = submissionsUrl(base);
  const headers = { ...submissionHeaders(payload), ...extraHeaders };
  const result = await withRetries<HubOutcome>(
    async (n, timeoutMs) => {
      const r = await requestOnce(
        deps.fetch,
        url,
        { method: 'POST', headers, body: payload.bytes },
        timeoutMs,
      );
      if (!r.ok) return { kind: 'retry', reason: r.reason };
      const a = r.answer;
      if (a.status >= 200 && a.status < 300) return { kind: 'done', value: accepted(a, payload.exportId, n) };
      if (retryableStatus(a.status)) {
        const retryAfterMs = parseRetryAfter(a.headers.get('retry-after'), deps.now());
        const reason = `HTTP ${a.status}${errorSuffix(a)}`;
        return retryAfterMs === undefined
          ? { kind: 'retry', reason }
          : { kind: 'retry', reason, retryAfterMs };
      }
      return { kind: 'fail', value: rejected(a, n) };
    },
    deps.retry,
    deps,
  );
  if (result.kind === 'exhausted')
    return { kind: 'unreachable', reason: result.reason, attempts: result.attempts };
  return result.value;
}

function accepted(a: HttpAnswer, exportId: string, attempts: number): HubOutcome {
  let json: unknown;
  try {
    json = JSON.parse(a.text);
  } catch {
    return { kind: 'accepted', status: a.status, answer: null, problem: 'the answer was not JSON', attempts };
  }
  const parsed = v.safeParse(HubReceiptAnswer, json);
  if (!parsed.success)
    return {
      kind: 'accepted',
      status: a.status,
      answer: null,
      problem: 'the answer was not a hub receipt',
      attempts,
    };
  const problem =
    parsed.output.exportId === exportId ? undefined : 'the hub acknowledged a different exportId';
  return problem
    ? { kind: 'accepted', status: a.status, answer: parsed.output, problem, attempts }
    : { kind: 'accepted', status: a.status, answer: parsed.output, attempts };
}

function rejected(a: HttpAnswer, attempts: number): HubOutcome {
  if (a.status >= 300 && a.status < 400) {
    const to = safeText(a.headers.get('location') ?? 'nowhere', 200);
    return {
      kind: 'rejected',
      status: a.status,
      type: 'redirect',
      message: `the hub redirects to ${to}; redirects are not followed, because the payload may only go where you approved`,
      attempts,
    };
  }
  const { type, message } = hubError(a);
  return { kind: 'rejected', status: a.status, type, message, attempts };
}

/** The hub's typed error (`{ error: { type, message } }`), or the status when it sent none. */
export function hubError(a: HttpAnswer): { type: string; message: string } {
  try {
    const parsed = v.safeParse(HubErrorAnswer, JSON.parse(a.text));
    if (parsed.success)
      return { type: safeText(parsed.output.error.type, 64), message: safeText(parsed.output.error.message) };
  } catch {
    // Not JSON: fall through to the status line.
  }
  return {
    type: `http-${a.status}`,
    message: a.text.trim() === '' ? `HTTP ${a.status}` : safeText(a.text, 200),
  };
}

function errorSuffix(a: HttpAnswer): string {
  const { type } = hubError(a);
  return type.startsWith('http-') ? '' : ` ${type}`;
}
