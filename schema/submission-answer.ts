import * as v from 'valibot';

/**
 * What a hub answers to `POST /v1/submissions`, as the submitting side reads it. The answer comes
 * from the network: only these bounded fields are kept (unknown keys are dropped, not trusted).
 */

export const HubReceiptAnswer = v.object({
  exportId: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  receivedAt: v.pipe(v.string(), v.maxLength(64)),
  duplicate: v.optional(v.boolean()),
  deletionToken: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(512), v.regex(/^[\x21-\x7e]+$/))),
});

/** `{ error: { type, message } }` with a 4xx or 5xx. */
export const HubErrorAnswer = v.object({
  error: v.object({
    type: v.pipe(v.string(), v.maxLength(64)),
    message: v.pipe(v.string(), v.maxLength(2000)),
  }),
});

/** GitHub's answer to creating an issue (201): only what a receipt needs. */
export const GithubIssueAnswer = v.object({
  number: v.pipe(v.number(), v.integer(), v.minValue(1)),
  html_url: v.pipe(v.string(), v.maxLength(2048), v.url()),
});

export type HubReceiptAnswer = v.InferOutput<typeof HubReceiptAnswer>;
export type HubErrorAnswer = v.InferOutput<typeof HubErrorAnswer>;
export type GithubIssueAnswer = v.InferOutput<typeof GithubIssueAnswer>;
