import * as v from 'valibot';
import { DestinationKey } from './consent.ts';

/**
 * One line of the receipts ledger, `.tapps-agents/learning-plugin/receipts.jsonl`: what left (or was
 * handed over), where to, and the SHA-256 of the exact payload bytes. `learning submit --dry-run`
 * prints the same hash for the bytes it would send, so a user can check what was sent.
 */

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const shortText = v.pipe(v.string(), v.maxLength(200));

export const Transport = v.picklist(['file', 'github-api', 'github-url', 'http']);

/**
 * accepted: the server took it; duplicate: the server already had this exportId; written: a bundle
 * was written for manual upload; prefilled: an issue URL was printed, the user finishes in a browser.
 */
export const ReceiptOutcome = v.picklist(['accepted', 'duplicate', 'written', 'prefilled']);

/** What the other side answered, reduced to bounded, typed fields (never its free text). */
export const ServerAnswer = v.strictObject({
  httpStatus: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(599))),
  receivedAt: v.optional(shortText),
  duplicate: v.optional(v.boolean()),
  issueNumber: v.optional(count),
  issueUrl: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  /** The bundle or attachment written, or the length of a prefilled URL. */
  path: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  urlLength: v.optional(count),
  /** SHA-256 of the whole request body when it wraps the payload (a GitHub issue). */
  requestSha256: v.optional(hex64),
  /** Sent by `submit --retry` from the outbox. */
  fromOutbox: v.optional(v.boolean()),
  /** Set when a 2xx answer did not have the expected shape; the bytes were still delivered. */
  problem: v.optional(shortText),
});

export const Receipt = v.strictObject({
  version: v.literal(1),
  at: v.pipe(v.string(), v.maxLength(40), v.isoTimestamp()),
  destination: DestinationKey,
  transport: Transport,
  outcome: ReceiptOutcome,
  /** Size and SHA-256 of the payload bytes (the gzip-compressed export). */
  bytes: count,
  sha256: hex64,
  exportId: hex64,
  format: v.picklist(['json', 'msgpack']),
  answer: ServerAnswer,
});

export type Transport = v.InferOutput<typeof Transport>;
export type ReceiptOutcome = v.InferOutput<typeof ReceiptOutcome>;
export type ServerAnswer = v.InferOutput<typeof ServerAnswer>;
export type Receipt = v.InferOutput<typeof Receipt>;
