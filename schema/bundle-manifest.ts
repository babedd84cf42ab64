import * as v from 'valibot';

/**
 * `manifest.json` of a submission bundle (`learning submit --to file:PATH`): the files with their
 * sizes and SHA-256, so whoever receives the bundle can check it arrived unchanged.
 */

const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

export const BundleFile = v.strictObject({
  name: v.pipe(v.string(), v.maxLength(128), v.regex(/^[A-Za-z0-9._-]+$/)),
  bytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sha256: hex64,
  contentType: v.picklist(['application/json', 'application/msgpack', 'text/plain']),
  contentEncoding: v.optional(v.literal('gzip')),
});

export const BundleManifest = v.strictObject({
  kind: v.literal('tapps-agents-learning-submission'),
  version: v.literal(1),
  exportId: hex64,
  /** SHA-256 of the export file: the same hash as the receipt. */
  sha256: hex64,
  schemaVersion: v.pipe(v.string(), v.maxLength(16)),
  policyVersion: v.pipe(v.string(), v.maxLength(32)),
  createdAt: v.pipe(v.string(), v.maxLength(40), v.isoTimestamp()),
  producer: v.pipe(v.string(), v.maxLength(64)),
  files: v.pipe(v.array(BundleFile), v.minLength(1), v.maxLength(8)),
});

export type BundleFile = v.InferOutput<typeof BundleFile>;
export type BundleManifest = v.InferOutput<typeof BundleManifest>;
