import { safeText } from './safe-text.ts';

/** fetch as the transports use it; tests pass their own, the CLI passes the global one. */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The body as text, at most `maxAnswerBytes` of it. */
  text: string;
}

export type HttpResult = { ok: true; answer: HttpAnswer } | { ok: false; reason: string };

export const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One request, bounded in time and in how much of the answer is read. Redirects are never
 * followed: a redirect would send the payload to an address the user did not approve.
 */
export async function requestOnce(
  fetchFn: FetchFn,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: Uint8Array | string },
  timeoutMs: number,
  maxAnswerBytes = MAX_ANSWER_BYTES,
): Promise<HttpResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs);
  try {
    const response = await fetchFn(url, {
      method: init.method,
      headers: init.headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      redirect: 'manual',
      signal: controller.signal,
    });
    const text = await readBounded(response, maxAnswerBytes);
    return { ok: true, answer: { status: response.status, headers: response.headers, text } };
  } catch (error) {
    return { ok: false, reason: networkReason(error, controller.signal) };
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`);
    this.name = 'TimeoutError';
  }
}

async function readBounded(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= max) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

/** A short, printable reason: the system error code when there is one (ECONNREFUSED, ENOTFOUND). */
export function networkReason(error: unknown, signal?: AbortSignal): string {
  if (signal?.aborted && signal.reason instanceof TimeoutError) return signal.reason.message;
  const e = error as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string };
  };
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? String(error);
  return safeText(code ? `${code}: ${message}` : message, 200);
}

/** Whether an HTTP status is worth another try: the server is busy, overloaded or briefly broken. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}
