import * as v from 'valibot';
import { DestinationKey } from './consent.ts';

/**
 * A submission waiting for its hub: `outbox/<exportId>.json` beside the exact payload bytes in
 * `outbox/<exportId>.bin`. `learning submit --retry` sends the bytes unchanged, so the receipt hash
 * is the hash the user saw when the submission was queued.
 */

const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const isoTime = v.pipe(v.string(), v.maxLength(40), v.isoTimestamp());

export const OutboxEntry = v.strictObject({
  version: v.literal(1),
  /** The consent binding of the folder that queued it: an entry copied or committed from elsewhere is never sent. */
  binding: hex64,
  destination: DestinationKey,
  exportId: hex64,
  sha256: hex64,
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  format: v.picklist(['json', 'msgpack']),
  queuedAt: isoTime,
  attempts: v.pipe(v.number(), v.integer(), v.minValue(0)),
  lastAttemptAt: v.nullable(isoTime),
  lastError: v.pipe(v.string(), v.maxLength(300)),
});

export type OutboxEntry = v.InferOutput<typeof OutboxEntry>;
