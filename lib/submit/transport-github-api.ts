import * as v from 'valibot';
import { GithubIssueAnswer } from '../../schema/submission-answer.ts';
import { sha256Hex } from '../export/canonical.ts';
import { apiIssueBody, ISSUE_LABELS, issueTitle, maxApiPayloadBytes } from './github-issue.ts';
import { type HttpAnswer, requestOnce, retryableStatus } from './http-request.ts';
import type { Payload } from './payload.ts';
import { parseRetryAfter, withRetries } from './retry.ts';
import { safeText } from './safe-text.ts';
import { type HttpDeps, USER_AGENT } from './transport-http.ts';

export type GithubOutcome =
  | {
      kind: 'created';
      status: number;
      issueNumber: number;
      issueUrl: string;
      requestSha256: string;
      attempts: number;
    }
  | { kind: 'too-large'; message: string }
  | { kind: 'rejected'; status: number; message: string; attempts: number }
  | { kind: 'unreachable'; reason: string; attempts: number };

export interface GithubTarget {
  apiBase: string;
  owner: string;
  repo: string;
}

/** The request body (JSON) that creates the issue: title, labels, summary table and the payload. */
export function issueRequestBody(payload: Payload): string | null {
  const body = apiIssueBody(payload.doc, payload);
  if (body === null) return null;
  return JSON.stringify({ title: issueTitle(payload.doc), body, labels: [...ISSUE_LABELS] });
}

/**
 * Creates the issue with the REST API (POST /repos/{owner}/{repo}/issues). GitHub has no
 * idempotency key, so a retried request may create a second issue; the exportId in both lets
 * maintainers count it once. Secondary rate limits (403 with Retry-After) are retried like 429.
 */
export async function createIssue(
  target: GithubTarget,
  token: string,
  payload: Payload,
  deps: HttpDeps,
): Promise<GithubOutcome> {
  const json = issueRequestBody(payload);
  if (json === null)
    return {
      kind: 'too-large',
      message:
        `the export (${payload.bytes.byteLength} bytes) does not fit a GitHub issue body (65,536 characters hold about ` +
        `${maxApiPayloadBytes()} bytes of gzip data in base64)`,
    };
  const body = Buffer.from(json);
  const requestSha256 = sha256Hex(body);
  const url = `${target.apiBase}/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/issues`;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'x-github-api-version': '2022-11-28',
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
  };
  const result = await withRetries<GithubOutcome>(
    async (n, timeoutMs) => {
      const r = await requestOnce(deps.fetch, url, { method: 'POST', headers, body }, timeoutMs);
      if (!r.ok) return { kind: 'retry', reason: r.reason };
      const a = r.answer;
      if (a.status === 201 || a.status === 200) {
        const parsed = safeJson(a.text, GithubIssueAnswer);
        if (!parsed)
          return {
            kind: 'done',
            value: {
              kind: 'rejected',
              status: a.status,
              message: 'GitHub answered without an issue number and URL',
              attempts: n,
            },
          };
        return {
          kind: 'done',
          value: {
            kind: 'created',
            status: a.status,
            issueNumber: parsed.number,
            issueUrl: parsed.html_url,
            requestSha256,
            attempts: n,
          },
        };
      }
      const rateLimited =
        a.status === 403 && (a.headers.has('retry-after') || a.headers.get('x-ratelimit-remaining') === '0');
      if (retryableStatus(a.status) || rateLimited) {
        const retryAfterMs =
          parseRetryAfter(a.headers.get('retry-after'), deps.now()) ?? resetDelay(a, deps.now());
        const reason = `GitHub answered ${a.status}${rateLimited ? ' (rate limit)' : ''}`;
        return retryAfterMs === undefined
          ? { kind: 'retry', reason }
          : { kind: 'retry', reason, retryAfterMs };
      }
      return {
        kind: 'fail',
        value: { kind: 'rejected', status: a.status, message: githubMessage(a, target), attempts: n },
      };
    },
    deps.retry,
    deps,
  );
  if (result.kind === 'exhausted')
    return { kind: 'unreachable', reason: result.reason, attempts: result.attempts };
  return result.value;
}

/** x-ratelimit-reset is epoch seconds. */
function resetDelay(a: HttpAnswer, nowMs: number): number | undefined {
  const reset = a.headers.get('x-ratelimit-reset');
  if (!reset || !/^\d{1,12}$/.test(reset)) return undefined;
  return Math.max(0, Number(reset) * 1000 - nowMs);
}

function safeJson<T extends v.GenericSchema>(text: string, schema: T): v.InferOutput<T> | null {
  try {
    const r = v.safeParse(schema, JSON.parse(text));
    return r.success ? r.output : null;
  } catch {
    return null;
  }
}

/** What a refusal means for this user, with GitHub's own message (sanitized) when it sent one. */
export function githubMessage(a: HttpAnswer, t: GithubTarget): string {
  const said = safeJson(a.text, v.object({ message: v.pipe(v.string(), v.maxLength(2000)) }));
  const theirs = said ? ` (GitHub: ${safeText(said.message, 200)})` : '';
  const repo = `${t.owner}/${t.repo}`;
  switch (a.status) {
    case 401:
      return `GitHub refused the token (401)${theirs}: check that GITHUB_TOKEN is valid and not expired`;
    case 403:
      return `the token may not create issues in ${repo} (403)${theirs}: it needs the "Issues: write" permission (fine-grained) or the public_repo scope (classic)`;
    case 404:
      return `${repo} was not found, or the token cannot see it (404)${theirs}`;
    case 410:
      return `issues are turned off in ${repo} (410)${theirs}`;
    case 422:
      return `GitHub did not accept the issue (422)${theirs}`;
    default:
      return a.status >= 300 && a.status < 400
        ? `GitHub answered with a redirect (${a.status}); it is not followed`
        : `GitHub answered ${a.status}${theirs}`;
  }
}
