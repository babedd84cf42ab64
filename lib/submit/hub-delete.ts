import { requestOnce, retryableStatus } from './http-request.ts';
import { parseRetryAfter, withRetries } from './retry.ts';
import { type HttpDeps, hubError, USER_AGENT } from './transport-http.ts';

export type DeleteOutcome =
  | { kind: 'deleted'; status: number }
  /** The hub holds nothing for this project (already deleted, or never stored). */
  | { kind: 'not-found'; status: number }
  | { kind: 'refused'; status: number; type: string; message: string }
  | { kind: 'unreachable'; reason: string };

/**
 * Asks a hub to delete everything it holds for a project: DELETE <base>/v1/projects/<projectId>,
 * authorized by the deletion token the hub returned at the project's first submission. Sent only
 * when the user asks for it (`consent revoke --delete-remote`, or yes at the revoke prompt).
 */
export async function requestDeletion(
  base: string,
  projectId: string,
  token: string,
  deps: HttpDeps,
): Promise<DeleteOutcome> {
  const url = `${base}/v1/projects/${encodeURIComponent(projectId)}`;
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': USER_AGENT };
  const result = await withRetries<DeleteOutcome>(
    async (_n, timeoutMs) => {
      const r = await requestOnce(deps.fetch, url, { method: 'DELETE', headers }, timeoutMs);
      if (!r.ok) return { kind: 'retry', reason: r.reason };
      const a = r.answer;
      if (a.status >= 200 && a.status < 300)
        return { kind: 'done', value: { kind: 'deleted', status: a.status } };
      if (a.status === 404 || a.status === 410)
        return { kind: 'done', value: { kind: 'not-found', status: a.status } };
      if (retryableStatus(a.status)) {
        const retryAfterMs = parseRetryAfter(a.headers.get('retry-after'), deps.now());
        const reason = `HTTP ${a.status}`;
        return retryAfterMs === undefined
          ? { kind: 'retry', reason }
          : { kind: 'retry', reason, retryAfterMs };
      }
      return { kind: 'fail', value: { kind: 'refused', status: a.status, ...hubError(a) } };
    },
    deps.retry,
    deps,
  );
  if (result.kind === 'exhausted') return { kind: 'unreachable', reason: result.reason };
  return result.value;
}
